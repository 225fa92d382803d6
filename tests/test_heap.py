"""The gateway and the action server freeze their start-up heap before serving
(`assistant.heap`): the collector's full collections then skip the loaded application."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import pytest

from assistant import action_server
from assistant.gateway import app as gateway_app


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_gateway_freezes_before_serving(unfrozen: None, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    monkeypatch.setattr(gateway_app, "create_app", lambda settings: object())
    monkeypatch.setattr(gateway_app.web, "run_app",
                        lambda app, **kw: seen.append(gc.get_freeze_count()))
    settings: Any = type("S", (), {"gateway_host": "127.0.0.1", "gateway_port": 0})()
    gateway_app.serve(settings)
    assert seen and seen[0] > 0


def test_action_server_freezes_after_registering(
    unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    settings: Any = type("S", (), {"action_server_host": "127.0.0.1",
                                   "action_server_port": 0, "catalog_cache_seconds": 0,
                                   "metrics_token": None})()
    monkeypatch.setattr(action_server.runtime, "configure", lambda *a, **kw: None)
    monkeypatch.setattr(action_server, "database_url", lambda s: "")
    monkeypatch.setattr(action_server, "busy_source", lambda s: None)
    monkeypatch.setattr(action_server, "run",
                        lambda executor, port: seen.append(gc.get_freeze_count()))
    monkeypatch.setenv("SANIC_HOST", "x")
    action_server.serve(settings)
    assert seen and seen[0] > 0
