"""LOG_FORMAT=json (issue 21): every line one JSON object a collector can parse, carrying the
request or conversation id of the task that logged it, and the traceback of an exception."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from assistant import logcontext


@pytest.fixture
def json_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    root.handlers = [logging.StreamHandler(stream := io.StringIO())]
    try:
        root.setLevel(logging.INFO)  # basicConfig leaves the level of a configured root alone
        logcontext.configure("INFO", "json")
        yield stream
    finally:
        root.handlers, root.level = saved, level


def test_each_line_is_json_with_its_context(json_stream: io.StringIO) -> None:
    log = logging.getLogger("assistant.test")
    token = logcontext.current.set("req=4f2a9c")
    try:
        log.info("booked \"%s\" ✓", "Cut")
        try:
            raise ValueError("bad slot")
        except ValueError:
            log.exception("failed")
    finally:
        logcontext.current.reset(token)
    log.warning("after the request")
    lines = [json.loads(line) for line in json_stream.getvalue().splitlines()]
    assert [(e["level"], e["message"], e["context"]) for e in lines] == [
        ("INFO", 'booked "Cut" ✓', "req=4f2a9c"),
        ("ERROR", "failed", "req=4f2a9c"),
        ("WARNING", "after the request", "-"),
    ]
    assert "ValueError: bad slot" in lines[1]["exception"]
    assert lines[0]["logger"] == "assistant.test" and lines[0]["time"].endswith("+00:00")
