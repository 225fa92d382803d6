"""Abuse limits, shown with the attacks they stop: a client booking a whole day with made-up
contacts, a chat client rotating sender ids, a client forging X-Forwarded-For, N gateway
replicas each allowing the rate once, and SMS pumping through made-up phone numbers.

The buckets are in PostgreSQL; the limits' clock is frozen at the start of each test (the
gateway's pruning job runs on the real clock, a minute apart), so no refill happens while a
test runs and every count is exact.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import psycopg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway import ratelimit
from assistant.gateway.app import create_app
from assistant.gateway.resources import SETTINGS
from assistant.notifications.dispatcher import Dispatcher
from assistant.settings import Settings
from scheduling.catalog import Customer
from scheduling.persistence import limits
from scheduling.persistence.limits import Rate
from scheduling.persistence.notification_tables import DeliveryAttemptRow
from tests.booking.booking_builders import NOW as BOOKED
from tests.booking.booking_builders import Salon, save_salon
from tests.gateway.conftest import API_KEY, FakeRasa, gateway_settings
from tests.notifications.conftest import (  # noqa: F401  (fixtures)
    Fakes,
    clock,
    fakes,
    mailable_salon,
    make_dispatcher,
    renderer,
)
from tests.notifications.seeding import seed_messages

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
Rasa = tuple[FakeRasa, TestServer]


@pytest.fixture
def now() -> datetime:
    """The moment the limits see for the whole test."""
    return datetime.now(UTC)
ATTACKER, OFFICE = "203.0.113.9", "198.51.100.7"


@asynccontextmanager
async def gateway_at(database_url: str, tmp_path: Path, rasa_port: int, now: datetime,
                     **extra: Any) -> AsyncIterator[Client]:
    """A gateway with its own engine (as a replica has), its limits' clock frozen at `now`."""
    app = create_app(gateway_settings(database_url, tmp_path, rasa_port, **extra))
    app[ratelimit.LIMITS] = ratelimit.default_limits(clock=lambda: now)
    async with TestClient(TestServer(app)) as client:
        yield client


def via(address: str, forged: str | None = None) -> dict[str, str]:
    """Headers as our proxy passes them on: it appends the peer to what the client sent."""
    return {"X-Forwarded-For": f"{forged}, {address}" if forged else address}


async def test_a_bucket_gives_its_burst_then_one_token_per_step(db_session: AsyncSession,
                                                                now: datetime) -> None:
    rate = Rate(3, timedelta(minutes=1))
    spent = [await limits.spend(db_session, "k", rate, now) for _ in range(4)]
    assert spent == [None, None, None, timedelta(minutes=1)]
    assert await limits.spend(db_session, "other", rate, now) is None
    assert await limits.spend(db_session, "k", rate, now + timedelta(seconds=30)) is not None
    assert await limits.spend(db_session, "k", rate, now + timedelta(minutes=1)) is None
    assert await limits.prune(db_session, now + timedelta(minutes=5)) == 2


# --- slot hoarding through the anonymous booking API -----------------------------------------

async def _one_day_of_slots(client: Client, count: int) -> tuple[str, list[tuple[str, str]]]:
    """`count` (start, staff) pairs on one day that do not overlap each other."""
    services = await (await client.get("/api/v1/services")).json()
    service_id = next(s["id"] for s in services["items"] if s["name"] == "Men's cut")
    start = datetime.now(UTC) + timedelta(days=2)
    found = await (await client.get("/api/v1/availability", params={
        "service_id": service_id, "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})).json()
    by_day: dict[str, list[tuple[str, str]]] = {}
    free: dict[str, datetime] = {}
    for slot in found["items"]:
        begins, ends = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        day = begins.astimezone(ZoneInfo("America/New_York")).date().isoformat()
        for staff in slot["staff_ids"]:
            if free.get(staff, begins) <= begins:
                by_day.setdefault(day, []).append((slot["start"], staff))
                free[staff] = ends
    day = next(d for d, pairs in by_day.items() if len(pairs) >= count)
    return service_id, by_day[day][:count]


async def _book(client: Client, service_id: str, start: str, staff: str, n: int,
                headers: dict[str, str] | None = None, phone: str | None = None) -> int:
    body = {"service_id": service_id, "start": start, "staff_id": staff,
            "customer": {"name": f"Made Up {n}", "phone": phone or f"+1555010{n:04d}"}}
    response = await client.post("/api/v1/appointments", json=body,
                                 headers={"Idempotency-Key": f"hoard-{n}", **(headers or {})})
    if response.status == 429:
        assert "sign in with a one-time code" in (await response.json())["error"]["message"]
    return response.status


async def _customer_token(client: Client, database_url: str, phone: str) -> str:
    """A token from the one-time-code flow, the code read from the outbox as the SMS has it."""
    asked = await client.post("/api/v1/auth/code", json={"contact": phone})
    assert asked.status == 202
    with psycopg.connect(database_url) as db:
        row = db.execute("SELECT payload->>'code' FROM outbox WHERE kind = 'verification_code' "
                         "ORDER BY created_at DESC LIMIT 1").fetchone()
    assert row is not None
    given = await client.post("/api/v1/auth/token", json={"contact": phone, "code": row[0]})
    assert given.status == 200, await given.text()
    return str((await given.json())["token"])


async def test_one_client_cannot_book_a_whole_day(
        database_url: str, tmp_path: Path, rasa: Rasa, demo: None,  # noqa: F811
        now: datetime) -> None:
    async with gateway_at(database_url, tmp_path, rasa[1].port, now) as client:
        service_id, slots = await _one_day_of_slots(client, 28)
        statuses = [await _book(client, service_id, start, staff, n)
                    for n, (start, staff) in enumerate(slots[:22])]
        assert statuses == [201] * 5 + [429] * 17
        admin = [await _book(client, service_id, start, staff, 100 + n, {"X-API-Key": API_KEY})
                 for n, (start, staff) in enumerate(slots[22:25])]
        assert admin == [201] * 3
        token = await _customer_token(client, database_url, "+15550100000")
        own = {"Authorization": f"Bearer {token}"}
        mine = [await _book(client, service_id, start, staff, 200 + n, own, "+15550100000")
                for n, (start, staff) in enumerate(slots[25:28])]
        assert mine == [201] * 3


async def test_one_contact_is_capped_whatever_address_books_for_it(
        database_url: str, tmp_path: Path, rasa: Rasa, demo: None,  # noqa: F811
        now: datetime) -> None:
    async with gateway_at(database_url, tmp_path, rasa[1].port, now, trust_proxy=True) as client:
        service_id, slots = await _one_day_of_slots(client, 4)
        statuses = [await _book(client, service_id, start, staff, n, via(f"192.0.2.{n + 1}"),
                                "+15550109999") for n, (start, staff) in enumerate(slots)]
        assert statuses == [201, 201, 201, 429]


# --- chat: sender rotation, offices behind one proxy -----------------------------------------

async def _say(client: Client, sender: str, address: str, forged: str | None = None) -> int:
    response = await client.post("/chat", json={"sender": sender, "message": "hello"},
                                 headers=via(address, forged))
    return response.status


async def test_rotating_sender_ids_is_stopped_at_the_new_conversation_cap(
        database_url: str, tmp_path: Path, rasa: Rasa, demo: None,  # noqa: F811
        now: datetime) -> None:
    async with gateway_at(database_url, tmp_path, rasa[1].port, now, trust_proxy=True) as client:
        statuses = [await _say(client, f"rotating-{n}", ATTACKER,
                               forged=f"10.0.{n // 250}.{n % 250}" if n % 2 else None)
                    for n in range(600)]
    assert statuses == [200] * 100 + [429] * 500
    assert len(rasa[0].received) == 100


@pytest.mark.parametrize("shared", [True, False], ids=["one-office-address", "own-addresses"])
async def test_fifty_customers_behind_one_proxy_are_never_refused(
        database_url: str, tmp_path: Path, rasa: Rasa, demo: None,  # noqa: F811
        now: datetime, shared: bool) -> None:
    async with gateway_at(database_url, tmp_path, rasa[1].port, now, trust_proxy=True) as client:
        for n in range(150):  # someone else's sender rotation on another address meanwhile
            await _say(client, f"rotating-{n}", ATTACKER)
        statuses = [await _say(client, f"web-customer-{c}", OFFICE if shared else f"192.0.2.{c}")
                    for _ in range(5) for c in range(50)]
    assert statuses == [200] * 250


async def test_the_websocket_counts_new_conversations_too(
        database_url: str, tmp_path: Path, rasa: Rasa, demo: None,  # noqa: F811
        now: datetime) -> None:
    async with gateway_at(database_url, tmp_path, rasa[1].port, now, trust_proxy=True) as client:
        for n in range(100):
            assert await _say(client, f"rotating-{n}", ATTACKER) == 200
        refused = await client.get("/chat/ws", params={"sender": "rotating-new"},
                                   headers=via(ATTACKER))
        assert refused.status == 429
        async with client.ws_connect("/chat/ws", params={"sender": "rotating-1"},
                                     headers=via(ATTACKER)) as known:
            await known.send_json({"message": "still me"})
            assert (await known.receive_json())["type"] == "typing"
            assert (await known.receive_json())["type"] == "replies"


# --- one bucket for every replica; TRUST_PROXY --------------------------------------------

async def _ask_code(client: Client, headers: dict[str, str] | None = None) -> int:
    response = await client.post("/api/v1/auth/code", json={"contact": "+15550107777"},
                                 headers=headers or {})
    return response.status


async def test_two_gateway_processes_share_one_bucket(
        database_url: str, tmp_path: Path, rasa: Rasa, demo: None,  # noqa: F811
        now: datetime) -> None:
    port = rasa[1].port
    async with gateway_at(database_url, tmp_path / "a", port, now) as one, \
            gateway_at(database_url, tmp_path / "b", port, now) as two:
        statuses = [await _ask_code(client) for _ in range(5) for client in (one, two)]
    assert sorted(statuses) == [202] * 5 + [429] * 5


async def test_forwarded_clients_have_their_own_buckets_and_cannot_forge_one(
        database_url: str, tmp_path: Path, rasa: Rasa, demo: None,  # noqa: F811
        now: datetime) -> None:
    async with gateway_at(database_url, tmp_path, rasa[1].port, now, trust_proxy=True) as client:
        first = [await _ask_code(client, via("198.51.100.1")) for _ in range(6)]
        assert first == [202] * 5 + [429]
        forged = [await _ask_code(client, via("198.51.100.1", forged=f"10.9.9.{n}"))
                  for n in range(3)]
        assert forged == [429] * 3
        assert await _ask_code(client, via("198.51.100.2")) == 202


async def test_without_trust_proxy_the_header_is_ignored(
        database_url: str, tmp_path: Path, rasa: Rasa, demo: None,  # noqa: F811
        now: datetime) -> None:
    async with gateway_at(database_url, tmp_path, rasa[1].port, now) as client:
        statuses = [await _ask_code(client, via(f"198.51.100.{n}")) for n in range(6)]
    assert statuses == [202] * 5 + [429]


def _request(trust: bool, forwarded: str) -> web.Request:
    app = web.Application()
    app[SETTINGS] = Settings(trust_proxy=trust)
    return make_mocked_request("GET", "/", headers={"X-Forwarded-For": forwarded}, app=app)


@pytest.mark.parametrize(("forwarded", "network"), [
    ("1.2.3.4, 198.51.100.1", "198.51.100.1"),
    ("198.51.100.1,2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::9", "2001:db8:1:2::/64"),
    ("::ffff:198.51.100.3", "198.51.100.3"),
])
def test_a_client_is_counted_by_address_or_ipv6_network(forwarded: str, network: str) -> None:
    assert ratelimit.client_network(_request(True, forwarded)) == network


def test_a_proxy_appending_garbage_falls_back_to_the_peer() -> None:
    peer = ratelimit.client_ip(_request(False, "198.51.100.1"))
    assert ratelimit.client_ip(_request(True, "198.51.100.1, not-an-ip")) == peer


# --- SMS pumping -------------------------------------------------------------------------------

async def made_up_customers(factory: async_sessionmaker[AsyncSession], count: int,
                            verified: bool = False) -> Salon:
    """The salon with `count` customers whose phones were typed in (or, `verified`, proved)."""
    salon = mailable_salon()
    proved = datetime(2026, 1, 1, tzinfo=UTC) if verified else None
    people = tuple(Customer(uuid4(), f"Made Up {n}", phone=f"+1555030{n:04d}",
                            email=f"made-up-{n}@example.com", phone_verified_at=proved)
                   for n in range(count))
    crowd = Salon(salon.catalog, people)
    await save_salon(factory, crowd)
    return crowd


async def _sent(factory: async_sessionmaker[AsyncSession]) -> dict[tuple[str, str], int]:
    async with factory() as session:
        rows = await session.execute(select(DeliveryAttemptRow.channel, DeliveryAttemptRow.status,
                                            func.count()).group_by(DeliveryAttemptRow.channel,
                                                                   DeliveryAttemptRow.status))
        return {(channel, status): n for channel, status, n in rows.all()}


async def test_texts_to_made_up_numbers_stop_at_the_business_cap(
        session_factory: async_sessionmaker[AsyncSession], clean_tables: None,
        make_dispatcher: Callable[..., Dispatcher], fakes: Fakes) -> None:  # noqa: F811
    crowd = await made_up_customers(session_factory, 60)
    await seed_messages(session_factory, crowd, 60, BOOKED)
    await make_dispatcher().run_once()
    assert len(fakes.twilio.ledger.delivered) == 50
    assert len(fakes.sendgrid.ledger.delivered) == 60  # the e-mails all go
    assert await _sent(session_factory) == {("email", "sent"): 60, ("sms", "sent"): 50,
                                            ("sms", "skipped"): 10}
    async with session_factory() as session:
        reasons = set(await session.scalars(select(DeliveryAttemptRow.error).where(
            DeliveryAttemptRow.status == "skipped")))
    assert reasons == {"over 50 texts an hour to unverified numbers for this business"}


@pytest.mark.parametrize(("verified", "texts"), [(False, 3), (True, 8)])
async def test_one_unverified_number_gets_three_texts_a_day(
        session_factory: async_sessionmaker[AsyncSession], clean_tables: None,
        make_dispatcher: Callable[..., Dispatcher], fakes: Fakes,  # noqa: F811
        verified: bool, texts: int) -> None:
    crowd = await made_up_customers(session_factory, 1, verified)
    await seed_messages(session_factory, crowd, 8, BOOKED)
    await make_dispatcher().run_once()
    assert len(fakes.twilio.ledger.delivered) == texts
    assert len(fakes.sendgrid.ledger.delivered) == 8
