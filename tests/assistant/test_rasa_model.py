"""The model is retrained exactly when its training inputs change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.rasa_model import TRAINING_INPUTS, training_fingerprint
from assistant.settings import PROJECT_ROOT


def copy_inputs(target: Path) -> Path:
    for name in TRAINING_INPUTS:
        source = PROJECT_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy(source, target / name)
    return target


def test_fingerprint_is_stable_for_the_same_data(tmp_path: Path) -> None:
    assert training_fingerprint(copy_inputs(tmp_path)) == training_fingerprint(PROJECT_ROOT)


@pytest.mark.parametrize(("changed", "addition"), [
    ("data/nlu.yml", "      - hullo\n"),  # training data
    ("nlu_components/tfidf_intent_classifier.py", "\n# a change to the classifier\n"),
])
def test_fingerprint_changes_with_any_training_input(
    tmp_path: Path, changed: str, addition: str,
) -> None:
    root = copy_inputs(tmp_path)
    before = training_fingerprint(root)
    target = root / changed
    target.write_text(target.read_text() + addition)
    assert training_fingerprint(root) != before


def test_fingerprint_ignores_files_that_do_not_shape_the_model(tmp_path: Path) -> None:
    root = copy_inputs(tmp_path)
    before = training_fingerprint(root)
    (root / "data" / "notes.txt").write_text("not training data")
    (root / "nlu_components" / "__pycache__").mkdir(exist_ok=True)
    (root / "nlu_components" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    (root / "endpoints.yml").write_text("action_endpoint: {}\n")
    assert training_fingerprint(root) == before
