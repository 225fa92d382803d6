"""Code that runs inside the Rasa server process (`.venv-rasa`, Python 3.10).

It may import Rasa and the standard library only: nothing from `assistant`, `actions` or
`scheduling`, whose environment (Python 3.11) Rasa cannot load.
"""
