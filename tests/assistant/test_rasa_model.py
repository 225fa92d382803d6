"""The model is retrained exactly when its training inputs change."""

from __future__ import annotations

import shutil
from pathlib import Path

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


def test_fingerprint_changes_with_any_training_file(tmp_path: Path) -> None:
    root = copy_inputs(tmp_path)
    before = training_fingerprint(root)
    nlu = root / "data" / "nlu.yml"
    nlu.write_text(nlu.read_text() + "      - hullo\n")
    assert training_fingerprint(root) != before


def test_fingerprint_changes_with_our_nlu_components_code(tmp_path: Path) -> None:
    root = copy_inputs(tmp_path)
    before = training_fingerprint(root)
    component = root / "nlu_components" / "tfidf_intent_classifier.py"
    component.write_text(component.read_text() + "\n# a change to the classifier\n")
    assert training_fingerprint(root) != before


def test_fingerprint_ignores_files_that_do_not_shape_the_model(tmp_path: Path) -> None:
    root = copy_inputs(tmp_path)
    before = training_fingerprint(root)
    (root / "data" / "notes.txt").write_text("not training data")
    (root / "nlu_components" / "__pycache__").mkdir(exist_ok=True)
    (root / "nlu_components" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    (root / "endpoints.yml").write_text("action_endpoint: {}\n")
    assert training_fingerprint(root) == before
