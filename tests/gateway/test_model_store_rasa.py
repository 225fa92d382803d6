"""Rasa's own code against what we build (issue 21): the endpoints file `python -m assistant
rasa` writes is read by Rasa 3.6 as a model server (with RASA_TOKEN), a Redis lock store and
the SQL tracker store; and Rasa's model-pulling client, pointed at a gateway's
/model-store/rasa, downloads the published model, stores it under its name, keeps the ETag as
its fingerprint, and gets nothing new when asking again with it."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from assistant.gateway.app import create_app
from assistant.model_publish import publish_file
from assistant.rasa_model import RASA_VENV
from assistant.run import rasa_spec
from tests.gateway.conftest import FakeRasa, gateway_settings

pytestmark = [pytest.mark.db, pytest.mark.rasa]
TOKEN = "-a-token-that-looks-like-an-option"

PULL = """
import asyncio, json, os, sys, uuid
from rasa.core.agent import _pull_model_and_fingerprint
from rasa.core.utils import read_endpoints_from_path

endpoints = read_endpoints_from_path(sys.argv[1])
model, folder = endpoints.model, sys.argv[2]
# an Agent starts with a random fingerprint (Agent._set_fingerprint), never None
first = asyncio.run(_pull_model_and_fingerprint(model, uuid.uuid4().hex, folder))
again = asyncio.run(_pull_model_and_fingerprint(model, first, folder + "/again"))
print(json.dumps({
    "url": model.url, "token": model.token, "pulls": model.kwargs["wait_time_between_pulls"],
    "lock_store": endpoints.lock_store.type, "lock_host": endpoints.lock_store.url,
    "tracker_store": endpoints.tracker_store.type,
    "tracker_db": endpoints.tracker_store.kwargs["db"],
    "first": first, "again": again, "files": sorted(os.listdir(folder)),
}))
"""


@pytest.mark.skipif(not (RASA_VENV / "bin" / "python").exists(), reason="no .venv-rasa")
async def test_rasa_reads_our_endpoints_and_pulls_the_published_model(
        database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer], demo: None) -> None:
    settings = gateway_settings(database_url, tmp_path, rasa[1].port, rasa_token=TOKEN,
                                redis_url="redis://cache.internal:6380/2")
    server = TestServer(create_app(settings))
    await server.start_server()
    try:
        store_url = f"http://127.0.0.1:{server.port}/model-store/rasa"
        replica = settings.model_copy(update={"model_store_url": store_url,
                                              "model_pull_seconds": 7})
        model = tmp_path / "model-abc.tar.gz"
        model.write_bytes(b"\x1f\x8b pretend model")
        digest = await publish_file(database_url, model)
        spec = rasa_spec(replica, database_url, model)
        endpoints = spec.argv[spec.argv.index("--endpoints") + 1]
        folder = tmp_path / "pulled"
        (folder / "again").mkdir(parents=True)
        process = await asyncio.create_subprocess_exec(
            str(RASA_VENV / "bin" / "python"), "-c", PULL, endpoints, str(folder),
            env={**spec.env, "PATH": "/usr/bin:/bin"}, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), 240)
    finally:
        await server.close()
    assert process.returncode == 0, err.decode()[-2000:]
    seen = json.loads(out.decode().strip().splitlines()[-1])
    assert seen["url"] == store_url and seen["token"] == TOKEN and seen["pulls"] == 7
    assert (seen["lock_store"], seen["lock_host"]) == ("redis", "cache.internal")
    assert seen["tracker_store"] == "SQL" and seen["tracker_db"] == database_url.rsplit("/", 1)[1]
    assert seen["first"] == digest and seen["again"] is None
    assert seen["files"] == ["again", "model-abc.tar.gz"]
    assert (folder / "model-abc.tar.gz").read_bytes() == model.read_bytes()
