"""What is offered obeys what booking obeys: Google busy time and live holds.

Booking placement re-checks the owner's Google calendar; if the chat's offers and the REST
API's open times did not, a customer would be offered a time the owner is busy and refused on
"yes". Each surface is run as its composition root wires it: the chat through the action
server's runtime with `assistant.action_server.busy_source`, the API through the gateway's
`context.uow` with the calendar services installed. Times are a few days after the real clock
because the API reads the real clock (notice and horizon are counted from it).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.runtime import runtime
from assistant.action_server import busy_source
from assistant.gateway.api import catalog_routes
from assistant.gateway.api.spec import route_table
from assistant.gateway.resources import CALENDAR, ENGINE
from assistant.settings import Settings
from calendar_sync.connections import ConnectionStore
from calendar_sync.service import CalendarServices
from scheduling.booking import services
from scheduling.booking.commands import HoldSlot
from scheduling.desk.slots import SlotSearch, find_slots
from tests.booking.booking_builders import NY, Salon
from tests.calendar_sync.conftest import connect_staff
from tests.calendar_sync.test_busy import owner_event
from tests.fakes.google_calendar import FakeGoogle

pytestmark = pytest.mark.db


def _morning() -> datetime:
    """10:00 in New York three days from now: inside notice, horizon and Ana's hours."""
    day: date = (datetime.now(NY) + timedelta(days=3)).date()
    return datetime.combine(day, time(10), NY)


def _overlaps(start: datetime, end: datetime, busy_start: datetime, busy_end: datetime) -> bool:
    return start < busy_end and busy_start < end


def _settings(google: FakeGoogle) -> Settings:
    """Google configured as an operator would, with the token key the `store` fixture uses."""
    return Settings(google_client_id="client-id", google_client_secret="client-secret",  # type: ignore[arg-type]
                    google_token_key="test secret key", google_api_url=google.api_url,
                    google_oauth_url=google.oauth_url)


async def _chat_offers(salon: Salon, start: datetime, **search: Any) -> list[datetime]:
    found = await find_slots(runtime.uow(), SlotSearch(
        salon.id, salon.service("Cut").id, preferred_start=start,
        preferred_end=start + timedelta(hours=1), **search), datetime.now(UTC))
    return [s.slot.start for s in found]


@pytest.fixture
async def chat(database_url: str) -> AsyncIterator[None]:
    yield
    await runtime.dispose()


@pytest.fixture
async def api(engine: AsyncEngine, calendar: CalendarServices
              ) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    """The public catalog routes on the gateway's resources, Google connected."""
    app = web.Application()
    app[ENGINE], app[CALENDAR] = engine, calendar
    app.add_routes(route_table(catalog_routes.OPS))
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()


async def _api_starts(client: TestClient, path: str, params: dict[str, str]  # type: ignore[type-arg]
                      ) -> list[datetime]:
    response = await client.get(path, params=params)
    body = await response.json()
    assert response.status == 200, body
    return [datetime.fromisoformat(item.get("start") or item["slot"]["start"])
            for item in body["items"]]


async def test_chat_offers_skip_the_owners_google_busy_time(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, database_url: str, chat: None,
) -> None:
    start = _morning()
    await connect_staff(google, store, salon, "Ana", "ana@example.com")
    owner_event(google, "ana@example.com", start)
    ana = salon.staff("Ana").id

    runtime.configure(database_url)  # no calendar connected: the hour is free
    assert start in await _chat_offers(salon, start, staff_id=ana)
    await runtime.dispose()

    runtime.configure(database_url, busy_source(_settings(google)))
    offered = await _chat_offers(salon, start, staff_id=ana)
    cut = salon.service("Cut").duration
    assert offered and not any(
        _overlaps(s, s + cut, start, start + timedelta(hours=1)) for s in offered
    )


async def test_the_api_offers_no_time_the_owner_is_busy_in_google(
    google: FakeGoogle, store: ConnectionStore, salon: Salon,
    api: TestClient,  # type: ignore[type-arg]
) -> None:
    start = _morning()
    await connect_staff(google, store, salon, "Ana", "ana@example.com")
    owner_event(google, "ana@example.com", start)
    service, ana = str(salon.service("Cut").id), str(salon.staff("Ana").id)
    day = datetime.combine(start.date(), time(0), NY)

    open_times = await _api_starts(api, "/api/v1/availability", {
        "service_id": service, "staff_id": ana, "start": day.isoformat(),
        "end": (day + timedelta(days=1)).isoformat()})
    ranked = await _api_starts(api, "/api/v1/suggestions", {
        "service_id": service, "staff_id": ana, "preferred_start": start.isoformat(),
        "preferred_end": (start + timedelta(hours=1)).isoformat(), "count": "10"})

    cut = salon.service("Cut").duration
    for offered in (open_times, ranked):
        assert offered and not any(
            _overlaps(s, s + cut, start, start + timedelta(hours=1)) for s in offered
        )
    assert start - timedelta(hours=1) in open_times  # 9:00, before the event, is still open


async def test_a_live_hold_is_offered_to_no_one_else_until_it_expires(
    salon: Salon, database_url: str, chat: None,
    api: TestClient,  # type: ignore[type-arg]
) -> None:
    start = _morning()
    runtime.configure(database_url)
    ana = salon.staff("Ana").id
    assert start in await _chat_offers(salon, start, staff_id=ana)

    now = datetime.now(UTC)
    held = await services.hold(HoldSlot(salon.slot("Cut", start), salon.customers[0].id,
                                        ttl=timedelta(minutes=10)), runtime.uow(), now)
    assert held.start == start
    assert start not in await _chat_offers(salon, start, staff_id=ana,
                                           customer_id=salon.customers[1].id)
    day = datetime.combine(start.date(), time(0), NY)
    open_times = await _api_starts(api, "/api/v1/availability", {
        "service_id": str(salon.service("Cut").id), "staff_id": str(ana),
        "start": day.isoformat(), "end": (day + timedelta(days=1)).isoformat()})
    assert open_times and start not in open_times

    later = held.expires_at + timedelta(seconds=1)
    found = await find_slots(runtime.uow(), SlotSearch(
        salon.id, salon.service("Cut").id, preferred_start=start, staff_id=ana), later)
    assert start in [s.slot.start for s in found]  # an expired hold frees its time
