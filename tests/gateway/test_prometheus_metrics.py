"""/metrics in the Prometheus format, scraped after real traffic and parsed with
prometheus_client's own parser (issue 21): requests by route pattern (never the raw path),
method and status with latency; process metrics; the outbox backlog and its oldest message's
age, read from the database every replica writes to."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.app import create_app
from scheduling.persistence.outbox import OutboxRow
from tests.gateway.conftest import FakeRasa, gateway_settings

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture
async def quiet_gateway(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],
                        demo: None) -> AsyncIterator[Client]:
    """A gateway that leaves the outbox alone (no dispatcher here), so the backlog stays."""
    settings = gateway_settings(database_url, tmp_path, rasa[1].port, gateway_runs_jobs=False)
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client


async def scrape(client: Client) -> Samples:
    response = await client.get("/metrics")
    assert response.status == 200
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(await response.text())
            for s in family.samples}


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def queue(factory: async_sessionmaker[AsyncSession], due: datetime, status: str) -> None:
    async with factory() as session:
        session.add(OutboxRow(kind="reminder", payload={}, due_at=due, status=status,
                              created_at=due, dedupe_key=str(uuid.uuid4())))
        await session.commit()


async def test_requests_process_and_outbox_are_scraped(
        quiet_gateway: Client, session_factory: async_sessionmaker[AsyncSession]) -> None:
    before = await scrape(quiet_gateway)
    for _ in range(3):
        assert (await quiet_gateway.get("/health")).status == 200
    assert (await quiet_gateway.get("/no/such/page-xyz")).status == 404
    assert (await quiet_gateway.get("/a/NOSUCHCODE")).status in (404, 410)
    now = datetime.now(UTC)
    await queue(session_factory, now - timedelta(minutes=10), "pending")
    await queue(session_factory, now - timedelta(minutes=1), "pending")
    await queue(session_factory, now + timedelta(hours=1), "pending")  # not due yet
    await queue(session_factory, now - timedelta(hours=2), "sent")

    after = await scrape(quiet_gateway)

    count = "http_request_duration_seconds_count"
    health = {"route": "/health", "method": "GET", "status": "200"}
    assert value(after, count, **health) - value(before, count, **health) == 3
    unmatched = {"route": "unmatched", "method": "GET", "status": "404"}
    assert value(after, count, **unmatched) - value(before, count, **unmatched) == 1
    routes = {dict(labels).get("route") for _, labels in after}
    assert "/a/{code}" in routes and not any("NOSUCHCODE" in str(r) for r in routes)
    assert not any("page-xyz" in str(r) for r in routes)
    assert value(after, "outbox_backlog") == 2
    assert 600 <= value(after, "outbox_oldest_unsent_seconds") < 700
    assert value(after, "process_cpu_seconds_total") > 0
    assert value(after, "process_resident_memory_bytes") > 0
