"""Retraining's decisions: no worse than the current model, three models kept, hot swap."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from assistant import retrain
from assistant.retrain import Scores
from assistant.settings import Settings


def test_a_model_must_not_be_worse_on_either_score() -> None:
    current = Scores(0.90, 1.0)
    assert Scores(0.90, 1.0).at_least(current)
    assert Scores(0.95, 1.0).at_least(current)
    assert not Scores(0.95, 0.98).at_least(current)
    assert not Scores(0.89, 1.0).at_least(current)


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(retrain, "MODELS", tmp_path)
    return tmp_path


def make(folder: Path, name: str, age: int, scores: Scores | None = None) -> Path:
    model = folder / f"model-{name}.tar.gz"
    model.write_bytes(b"model")
    os.utime(model, (1_000_000 + age, 1_000_000 + age))
    if scores is not None:
        (folder / f"model-{name}.scores.json").write_text(
            json.dumps({"intent_f1": scores.intent_f1, "stories": scores.stories})
        )
    return model


def test_the_newest_scored_model_is_the_one_to_beat(models: Path) -> None:
    assert retrain.current_scores() is None
    make(models, "a", 1, Scores(0.8, 1.0))
    make(models, "b", 2, Scores(0.9, 1.0))
    make(models, "c", 3)
    assert retrain.current_scores() == Scores(0.9, 1.0)


def test_only_the_last_three_models_are_kept(models: Path) -> None:
    for age, name in enumerate("abcde"):
        make(models, name, age, Scores(0.9, 1.0))
    retrain.prune()
    assert sorted(p.name for p in models.glob("model-*.tar.gz")) == [
        "model-c.tar.gz", "model-d.tar.gz", "model-e.tar.gz"]
    assert not (models / "model-a.scores.json").exists()


class FakeRasa(BaseHTTPRequestHandler):
    received: list[tuple[str, str, dict[str, str]]] = []

    def do_PUT(self) -> None:  # noqa: N802 - the http.server naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeRasa.received.append((self.command, self.path, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet: the test reads `received`."""


@pytest.fixture
def rasa_server() -> Iterator[int]:
    server = HTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()


def test_hot_swap_puts_the_model_into_the_running_server(rasa_server: int, tmp_path: Path) -> None:
    settings = Settings(rasa_port=rasa_server, rasa_token="the-rasa-token")
    model = tmp_path / "model-x.tar.gz"
    swapped, note = retrain.hot_swap(settings, model)
    assert swapped and "now serving" in note
    assert FakeRasa.received[-1] == (
        "PUT", "/model?token=the-rasa-token", {"model_file": str(model)})


def test_without_a_running_server_the_model_waits_for_the_next_start(tmp_path: Path) -> None:
    from assistant.embedded_db import free_port

    swapped, note = retrain.hot_swap(Settings(rasa_port=free_port()), tmp_path / "m.tar.gz")
    assert not swapped and "next start" in note
