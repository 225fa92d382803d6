"""Project NLU components for Rasa (loaded by module path from config.yml).

Rasa imports them with the working directory on sys.path: `rasa train`, `rasa run` and
`rasa test` are all started from the repository root (see assistant/rasa_model.py,
assistant/run.py and assistant/retrain.py), so no installation is needed.
"""
