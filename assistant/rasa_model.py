"""The trained Rasa model: trained only when the training data changed.

A model is named by a hash of everything that shapes it (config, domain, data/), so an existing
file with that name *is* the model of the current data and the training step can be skipped.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
from pathlib import Path

from assistant.settings import PROJECT_ROOT

log = logging.getLogger(__name__)

RASA_VENV = PROJECT_ROOT / ".venv-rasa"
MODELS = PROJECT_ROOT / "models"
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "nlu_components")
"""What shapes a model: Rasa's config, domain and data, and our own NLU component's code."""
SOURCE_SUFFIXES = (".yml", ".py")


class TrainingError(RuntimeError):
    """`rasa train` or `rasa data validate` failed; carries the tail of its output."""


def rasa_executable() -> Path:
    executable = RASA_VENV / "bin" / "rasa"
    if not executable.exists():
        raise TrainingError(f"{executable} is missing: run `make venvs` to build .venv-rasa")
    return executable


def training_fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A short hash of the training inputs' paths and contents."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        target = root / name
        files = (sorted(f for f in target.rglob("*") if f.suffix in SOURCE_SUFFIXES)
                 if target.is_dir() else [target])
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def model_path(fingerprint: str) -> Path:
    return MODELS / f"model-{fingerprint}.tar.gz"


def ensure_model() -> Path:
    """The model for the current training data, trained first if there is none."""
    target = model_path(training_fingerprint())
    if target.exists():
        log.info("Rasa model %s is up to date", target.name)
        return target
    log.info("training data changed: training %s (about a minute)", target.name)
    _rasa("train", "--fixed-model-name", target.name.removesuffix(".tar.gz"), "--out", str(MODELS))
    return target


def _rasa(*args: str) -> None:
    done = subprocess.run(
        [str(rasa_executable()), *args],
        cwd=PROJECT_ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr)[-3000:]
        raise TrainingError(f"rasa {args[0]} failed ({done.returncode}):\n{output}")
