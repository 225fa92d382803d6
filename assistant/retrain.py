"""`python -m assistant train`: validate, train, evaluate, and swap in a model that is no worse.

Admins retrain after editing the training data. The new model is trained under a candidate
name, scored (cross-validated intent macro-F1 on data/nlu.yml, and the share of test stories
predicted), and compared with the scores recorded for the current model; only a model that
scores at least as well on both becomes `models/model-<fingerprint>.tar.gz` (the one
`assistant run` loads) and is hot-swapped into the running Rasa server with `PUT /model`.
The last three accepted models are kept. `retrain()` is what the admin API will call.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

import yaml

from assistant.rasa_model import (
    MODELS,
    TrainingError,
    model_path,
    rasa_executable,
    training_fingerprint,
)
from assistant.settings import PROJECT_ROOT, Settings

STORIES = PROJECT_ROOT / "tests" / "stories" / "test_stories.yml"
KEEP = 3
FOLDS = 3

Say = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class Scores:
    intent_f1: float
    stories: float

    def at_least(self, other: Scores) -> bool:
        return self.intent_f1 >= other.intent_f1 and self.stories >= other.stories


@dataclass(frozen=True, slots=True)
class Outcome:
    model: Path | None
    scores: Scores
    previous: Scores | None
    swapped: bool
    message: str


def retrain(settings: Settings, say: Say = print) -> Outcome:
    """The whole cycle; raises `TrainingError` when validation or training fails."""
    _rasa(say, "data", "validate", "--fail-on-warnings")
    fingerprint = training_fingerprint()
    MODELS.mkdir(exist_ok=True)
    candidate = MODELS / f"candidate-{fingerprint}.tar.gz"
    _rasa(say, "train", "--fixed-model-name", candidate.name.removesuffix(".tar.gz"),
          "--out", str(MODELS))
    scores = evaluate(candidate, say)
    previous = current_scores()
    if previous is not None and not scores.at_least(previous):
        candidate.unlink()
        return Outcome(None, scores, previous, False, "the new model scores worse; kept the old")
    accepted = model_path(fingerprint)
    candidate.replace(accepted)
    _scores_file(accepted).write_text(json.dumps(asdict(scores)))
    prune()
    swapped, note = hot_swap(settings, accepted)
    return Outcome(accepted, scores, previous, swapped, note)


def evaluate(model: Path, say: Say) -> Scores:
    with tempfile.TemporaryDirectory(prefix="retrain-") as folder:
        out = Path(folder)
        _rasa(say, "test", "nlu", "--nlu", "data/nlu.yml", "--cross-validation", "--folds",
              str(FOLDS), "--out", str(out / "nlu"))
        report = json.loads((out / "nlu" / "intent_report.json").read_text())
        _rasa(say, "test", "core", "--stories", str(STORIES), "--model", str(model),
              "--out", str(out / "core"), check=False)
        failed = out / "core" / "failed_test_stories.yml"
        wrong = len((yaml.safe_load(failed.read_text()) or {}).get("stories") or []) \
            if failed.exists() else 0
    total = STORIES.read_text().count("- story:")
    return Scores(round(report["macro avg"]["f1-score"], 4), round(1 - wrong / total, 4))


def current_scores() -> Scores | None:
    """Scores recorded for the newest accepted model; None when there is none to beat."""
    models = sorted(MODELS.glob("model-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    recorded = [_scores_file(m) for m in models if _scores_file(m).exists()]
    return Scores(**json.loads(recorded[-1].read_text())) if recorded else None


def prune(keep: int = KEEP) -> None:
    models = sorted(MODELS.glob("model-*.tar.gz"), key=lambda p: p.stat().st_mtime)
    for old in models[:-keep]:
        old.unlink()
        _scores_file(old).unlink(missing_ok=True)


def hot_swap(settings: Settings, model: Path) -> tuple[bool, str]:
    """Load `model` into the running Rasa server; when none runs, the next start loads it."""
    token = urlencode({"token": settings.rasa_token.get_secret_value()})  # Rasa's API auth
    request = urllib.request.Request(
        f"{settings.rasa_url}/model?{token}", method="PUT",
        data=json.dumps({"model_file": str(model)}).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=300):
            return True, f"{model.name} is now serving"
    except (urllib.error.URLError, TimeoutError) as error:
        return False, f"{model.name} saved; Rasa not reachable ({error}), it loads on next start"


def _scores_file(model: Path) -> Path:
    return model.with_name(model.name.removesuffix(".tar.gz") + ".scores.json")


def _rasa(say: Say, *args: str, check: bool = True) -> None:
    """Run rasa, showing its progress lines as they come."""
    say(f"$ rasa {' '.join(args)}")
    process = subprocess.Popen([str(rasa_executable()), *args], cwd=PROJECT_ROOT, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    tail: list[str] = []
    for line in process.stdout or []:
        tail = (tail + [line])[-40:]
        if "Epochs" in line or "INFO" in line and "rasa." in line:
            say(line.rstrip()[-160:])
    if process.wait() != 0 and check:
        raise TrainingError(f"rasa {args[0]} failed:\n{''.join(tail)}")


def main(settings: Settings) -> int:
    try:
        outcome = retrain(settings)
    except TrainingError as error:
        print(f"error: {error}")
        return 1
    before = f" (before: {outcome.previous})" if outcome.previous else ""
    print(f"scores: {outcome.scores}{before}\n{outcome.message}")
    if outcome.model and settings.model_store_url:
        print(f"published for every Rasa replica: {publish(settings, outcome.model)}")
    return 0 if outcome.model else 3


def publish(settings: Settings, model: Path) -> str | None:
    """Put the accepted model in the model store every Rasa replica pulls from."""
    from assistant.model_publish import publish_file
    from assistant.run import database

    with database(settings, borrow=True) as url:
        return asyncio.run(publish_file(url, model))
