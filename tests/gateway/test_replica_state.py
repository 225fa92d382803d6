"""Two gateway replicas on one database (issue 21): a slow Twilio turn parked by one is collected
by the other, once; both serve Rasa the same model from the store (Rasa's model-server
protocol, checked with Rasa's own client in tests/assistant/test_model_store_rasa.py); each
periodic job's tick is run by one of them; a GATEWAY_RUNS_JOBS=false gateway leaves the jobs
to `assistant worker`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway import conversation
from assistant.gateway.app import create_app
from assistant.model_publish import publish_file
from assistant.worker import create_worker, running
from scheduling.persistence.replica_tables import JobTickRow
from tests.gateway.conftest import FakeRasa, gateway_settings
from tests.gateway.test_twilio import CALLER, PUBLIC, TOKEN, post, said

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
RASA_TOKEN = "rasa-token-for-replicas"


@pytest.fixture
async def pair(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],
               demo: None) -> AsyncIterator[tuple[Client, Client]]:
    """Two gateways: separate apps, engines and memory; one database and one Rasa."""
    clients = []
    for name in ("a", "b"):
        settings = gateway_settings(database_url, tmp_path / name, rasa[1].port,
                                    twilio_auth_token=TOKEN, public_url=PUBLIC,
                                    rasa_token=RASA_TOKEN)
        app = create_app(settings)
        app[conversation.TIMEOUTS] = conversation.Timeouts(voice=0.3, sms=0.3)
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
    yield clients[0], clients[1]
    for client in clients:
        await client.close()


async def test_a_slow_turn_parked_on_one_gateway_is_collected_on_the_other_once(
        pair: tuple[Client, Client], rasa: tuple[FakeRasa, TestServer]) -> None:
    first, second = pair
    rasa[0].delay = 0.6
    _, root = await post(first, "/twilio/sms", {"From": CALLER, "Body": "hello"})
    redirect = root.find("Redirect") if root is not None else None
    assert redirect is not None and redirect.text and "One moment" in said(root)

    await asyncio.sleep(0.5)  # Rasa answers on the first gateway meanwhile
    _, later = await post(second, redirect.text, {"From": CALLER, "Body": "hello"})
    assert said(later) == "echo hello" and len(rasa[0].received) == 1
    # collected: neither gateway hands it out again (Twilio's retry gets an empty reply)
    for gateway in pair:
        _, again = await post(gateway, redirect.text, {"From": CALLER, "Body": "hello"})
        assert said(again) == ""


async def test_a_turn_that_fails_on_the_parking_gateway_is_told_on_the_other(
        pair: tuple[Client, Client], rasa: tuple[FakeRasa, TestServer]) -> None:
    first, second = pair
    rasa[0].delay = 0.6

    def broken(body: dict[str, object]) -> list[dict[str, object]]:
        raise RuntimeError("Rasa answered 500")

    rasa[0].reply = broken
    form = {"From": CALLER, "CallSid": "CA-replica", "SpeechResult": "tomorrow"}
    _, root = await post(first, "/twilio/voice/gather", form)
    redirect = root.find("Redirect") if root is not None else None
    assert redirect is not None and redirect.text
    await asyncio.sleep(0.5)
    _, later = await post(second, redirect.text, {"From": CALLER, "CallSid": "CA-replica"})
    assert "having trouble" in said(later)


async def test_every_gateway_serves_the_published_model_by_rasas_protocol(
        pair: tuple[Client, Client], database_url: str, tmp_path: Path) -> None:
    first, second = pair
    path = "/model-store/rasa"
    assert (await first.get(path)).status == 401
    assert (await first.get(path, params={"token": "guess"})).status == 401
    assert (await first.get(path, params={"token": RASA_TOKEN})).status == 404  # none yet

    model = tmp_path / "model-one.tar.gz"
    model.write_bytes(b"first model bytes")
    digest = await publish_file(database_url, model)
    for gateway in pair:
        got = await gateway.get(path, params={"token": RASA_TOKEN})
        assert got.status == 200 and await got.read() == b"first model bytes"
        assert got.headers["ETag"] == digest and got.headers["filename"] == "model-one.tar.gz"
        same = await gateway.get(path, params={"token": RASA_TOKEN},
                                 headers={"If-None-Match": digest})
        assert same.status == 304 and await same.read() == b""

    retrained = tmp_path / "model-two.tar.gz"
    retrained.write_bytes(b"second model bytes")
    assert await publish_file(database_url, retrained, only_if_empty=True) is None  # kept
    newer = await publish_file(database_url, retrained)
    got = await second.get(path, params={"token": RASA_TOKEN}, headers={"If-None-Match": digest})
    assert got.status == 200 and got.headers["ETag"] == newer != digest
    assert await got.read() == b"second model bytes"


async def claims(factory: async_sessionmaker[AsyncSession], job: str) -> list[JobTickRow]:
    async with factory() as session:
        return list(await session.scalars(select(JobTickRow).where(JobTickRow.job == job)))


async def test_jobs_run_in_the_worker_when_gateways_do_not_run_them(
        database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer], demo: None,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    settings = gateway_settings(database_url, tmp_path, rasa[1].port, gateway_runs_jobs=False)
    async with TestClient(TestServer(create_app(settings))):
        await asyncio.sleep(1.0)  # a gateway running the timers claims at start
        assert await claims(session_factory, "booking jobs") == []
        assert await claims(session_factory, "outbox dispatcher") == []
        async with running(create_worker(settings)):
            for _ in range(100):
                done = await claims(session_factory, "booking jobs")
                if done and done[0].finished_at is not None:
                    break
                await asyncio.sleep(0.1)
    assert len(done) == 1 and done[0].failed is False
    assert done[0].tick <= datetime.now(UTC)
    assert len(await claims(session_factory, "outbox dispatcher")) >= 1


async def test_a_rate_limit_is_spent_once_across_both_gateways(
        pair: tuple[Client, Client]) -> None:
    """Five one-time-code requests a client may send at once, in all: alternating between the
    replicas does not give it five on each."""
    statuses = []
    for attempt in range(7):
        gateway = pair[attempt % 2]
        response = await gateway.post("/api/v1/auth/code", json={"contact": "+15550009999"})
        statuses.append(response.status)
    assert statuses == [202] * 5 + [429, 429]
