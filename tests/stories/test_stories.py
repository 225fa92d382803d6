"""The test stories through the trained model.

`rasa test core` replays the stories' intents and must predict every action; it does not run
NLU on the stories' words, so a second test sends those words through the model
(`rasa test nlu`) and requires it to read nearly all of them as the story says. The model is
the one `assistant.rasa_model.ensure_model` keeps for the current data (trained only when the
data changed).
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from assistant.rasa_model import ensure_model, rasa_executable
from assistant.settings import PROJECT_ROOT

pytestmark = [pytest.mark.rasa, pytest.mark.slow]

STORIES = Path(__file__).with_name("test_stories.yml")
INTENT_ACCURACY = 0.9


def rasa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(rasa_executable()), *args], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, timeout=900, check=False)


def test_every_story_is_predicted(tmp_path: Path) -> None:
    done = rasa("test", "core", "--stories", str(STORIES), "--model", str(ensure_model()),
                "--out", str(tmp_path), "--fail-on-prediction-errors")
    failed = tmp_path / "failed_test_stories.yml"
    report = failed.read_text() if failed.exists() else ""
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:] + "\n" + report
    assert "- story:" not in report, report


def test_the_stories_words_are_read_as_their_intents(tmp_path: Path) -> None:
    examples: dict[str, set[str]] = {}
    for story in yaml.safe_load(STORIES.read_text())["stories"]:
        for step in story["steps"]:
            if "user" in step:
                examples.setdefault(step["intent"], set()).add(step["user"])
    nlu = {"version": "3.1", "nlu": [
        {"intent": intent, "examples": "".join(f"- {text}\n" for text in sorted(texts))}
        for intent, texts in sorted(examples.items())
    ]}
    data = tmp_path / "story_messages.yml"
    data.write_text(yaml.safe_dump(nlu, sort_keys=False))
    done = rasa("test", "nlu", "--nlu", str(data), "--model", str(ensure_model()),
                "--out", str(tmp_path / "report"))
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    report = json.loads((tmp_path / "report" / "intent_report.json").read_text())
    errors_file = tmp_path / "report" / "intent_errors.json"  # written only when there are
    errors = errors_file.read_text() if errors_file.exists() else ""
    assert report["accuracy"] >= INTENT_ACCURACY, errors


def test_the_data_validates_without_a_warning() -> None:
    """`rasa data validate --fail-on-warnings` exits 0 even on some of its own warnings (unused
    responses), so the output is read too: no line from Rasa's validator may warn."""
    done = rasa("data", "validate", "--fail-on-warnings")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "Validating utterances" in output, output[-3000:]
    warnings = [line for line in output.splitlines()
                if "UserWarning" in line or re.search(r"\bWARNING\b.*rasa\.", line)]
    assert warnings == [], "\n".join(warnings)


def test_there_are_stories_for_every_path() -> None:
    text = STORIES.read_text()
    assert text.count("- story:") >= 40
    for action in ("action_book", "action_manage", "action_answer_question", "action_handoff",
                   "action_stop_flow", "utter_help", "utter_chitchat"):
        assert f"action: {action}" in text, action
