"""`python -m rasa_addons <rasa arguments>`: Rasa's own command line, with our fixes installed.

`assistant run` starts the Rasa server this way (from the project root, so the package is
importable) instead of through `.venv-rasa/bin/rasa`; arguments and behaviour are Rasa's.
"""

import sys

from rasa.__main__ import main

from rasa_addons import action_results, event_types

action_results.install()
event_types.install()
sys.exit(main())
