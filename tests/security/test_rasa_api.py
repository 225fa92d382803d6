"""Rasa's HTTP API and the action server, closed to anyone without the token or off the machine.

The attacks: with `rasa run --enable-api` and no token, `GET /conversations/<id>/tracker`
handed anyone a customer's name and phone number, and `PUT /model` loaded any file as the model;
Rasa and the action server listened on the same address as the gateway.

`python -m assistant run` is started as `make run` starts it (no RASA_TOKEN: the run generates
one into DATA_DIR/rasa_token) on the test database, with HOST=0.0.0.0 as an operator would set
to open the gateway to the network: Rasa and the action server must stay on loopback anyway.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import psutil
import pytest

from assistant import retrain
from assistant.rasa_model import MODELS
from assistant.settings import Settings
from tests.stack import RunningAssistant, truncate_all

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]
SENDER = "sms:+17185550199"


@pytest.fixture(scope="module")
def stack(database_url: str, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[RunningAssistant]:
    running = RunningAssistant(tmp_path_factory.mktemp("rasa-api"), DATABASE_URL=database_url,
                               HOST="0.0.0.0")
    try:
        running.wait_ready()
        chat(running, "hello, I'm Jordan Lee")  # a tracker worth stealing
        yield running
    finally:
        running.finish()
        truncate_all(database_url)


def chat(stack: RunningAssistant, text: str) -> None:
    call(stack, "POST", "/webhooks/rest/webhook", {"sender": SENDER, "message": text})


def call(stack: RunningAssistant, method: str, path: str, body: object = None,
         token: str | None = None) -> int:
    """The status Rasa answers `method path` with, sending `token` as `?token=` when given."""
    query = f"?{urlencode({'token': token})}" if token is not None else ""
    request = urllib.request.Request(
        f"{stack.rasa_url}{path}{query}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def current_model() -> Path:
    return max(MODELS.glob("model-*.tar.gz"), key=lambda m: m.stat().st_mtime)


def test_trackers_need_the_token(stack: RunningAssistant) -> None:
    tracker = f"/conversations/{SENDER}/tracker"
    assert call(stack, "GET", tracker) in (401, 403)
    assert call(stack, "GET", tracker, token="guessed") in (401, 403)
    assert call(stack, "GET", tracker, token=stack.rasa_token) == 200


def test_loading_a_model_needs_the_token(stack: RunningAssistant, tmp_path: Path) -> None:
    body = {"model_file": str(current_model())}
    assert call(stack, "PUT", "/model", body) in (401, 403)
    assert call(stack, "PUT", "/model", body, token="guessed") in (401, 403)
    settings = Settings(data_dir=tmp_path, rasa_port=stack.rasa_port, rasa_token=stack.rasa_token)
    swapped, note = retrain.hot_swap(settings, current_model())  # what `assistant train` does
    assert swapped, note
    chat(stack, "hello again")  # the reloaded model still answers


def test_rasa_and_the_action_server_listen_on_loopback_only(stack: RunningAssistant) -> None:
    listening = {(c.laddr.ip, c.laddr.port) for c in psutil.net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN}
    for port in (stack.rasa_port, stack.action_server_port):
        assert {ip for ip, bound in listening if bound == port} == {"127.0.0.1"}, port


def test_the_gateway_health_check_still_sees_rasa(stack: RunningAssistant) -> None:
    with urllib.request.urlopen(f"{stack.url}/health", timeout=30) as response:
        components = json.loads(response.read())["components"]
    assert components["rasa"]["status"] == "ok", components["rasa"]
    assert components["action_server"]["status"] == "ok", components["action_server"]
