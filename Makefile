# Two commands matter: `make run` (everything up on embedded defaults) and `make test`.
# Both build the two environments first when they are missing or their lock files changed.

SHELL := /bin/bash
VENV := .venv
RASA_VENV := .venv-rasa
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv

.PHONY: run test lint bench venvs lock train clean

run: venvs
	$(PY) -m assistant run

test: venvs node_modules/.synced
	$(PY) -m pytest

lint: venvs
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

bench: venvs
	@set -e; for script in bench/*.py; do echo "== $$script"; $(PY) $$script; done

train: venvs
	$(PY) -m assistant train-if-changed

venvs: $(VENV)/.synced $(RASA_VENV)/.synced

# .venv: Python >= 3.11, the project (editable) and its locked dependencies, installed by uv.
$(VENV)/.synced: requirements/dev.lock pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python 3.11)" -m venv $(VENV)
	@test -x $(UV) || $(PY) -m pip install --quiet --disable-pip-version-check uv
	$(UV) pip sync --quiet --python $(PY) requirements/dev.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	@touch $@

# .venv-rasa: Python 3.10 (Rasa 3.6.21 needs < 3.11) with the verified Rasa set.
$(RASA_VENV)/.synced: requirements/rasa.lock $(VENV)/.synced
	@test -x $(RASA_VENV)/bin/python || "$$(scripts/find-python 3.10)" -m venv $(RASA_VENV)
	$(UV) pip sync --quiet --python $(RASA_VENV)/bin/python requirements/rasa.lock
	@touch $@

# node_modules: test-only tools from the npm registry (axe-core, injected by the browser tests).
node_modules/.synced: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	@touch $@

# Re-resolve .venv's dependencies after editing pyproject.toml.
lock: $(VENV)/.synced
	$(UV) pip compile pyproject.toml --extra dev -c requirements/constraints.txt \
	  --python-version 3.11 --no-header --no-annotate --quiet -o requirements/dev.lock
	# the app image's set (deploy/Dockerfile.app): the same pins without the dev tools
	$(UV) pip compile pyproject.toml -c requirements/constraints.txt -c requirements/dev.lock \
	  --python-version 3.11 --no-header --no-annotate --quiet -o requirements/runtime.lock

clean:
	rm -rf $(VENV) $(RASA_VENV) models/*.tar.gz
