"""The waiting room through the gateway: verified customers only, one place per contact
whatever sends it, admission one at a time, and booking gated while the room is in force."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from scheduling.demo import demo_catalog
from scheduling.persistence.release_store import ReleaseStore
from scheduling.releases import Period, ReleaseRule
from tests.security.test_identity import _token_for
from tests.waiting_room.crowd import verified

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
PLACES = "/api/v1/waiting-room/places"


async def _json(client: Client, method: str, path: str, status: int, token: str | None = None,
                address: str = "203.0.113.1", **kwargs: Any) -> Any:
    headers = {"X-Forwarded-For": address} | ({"Authorization": f"Bearer {token}"}
                                              if token else {})
    response = await client.request(method, path, headers=headers | kwargs.pop("headers", {}),
                                    **kwargs)
    assert response.status == status, await response.text()
    return await response.json()


async def _slots(client: Client) -> tuple[str, date, list[str]]:
    """The men's cut and the open starts of its first day with a few of them."""
    services = await _json(client, "GET", "/api/v1/services", 200)
    service = next(s["id"] for s in services["items"] if s["name"] == "Men's cut")
    start = datetime.now(UTC) + timedelta(days=2)
    found = await _json(client, "GET", "/api/v1/availability", 200, params={
        "service_id": service, "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})
    zone = demo_catalog().business.zone
    day = datetime.fromisoformat(found["items"][0]["start"]).astimezone(zone).date()
    starts = [s["start"] for s in found["items"]
              if datetime.fromisoformat(s["start"]).astimezone(zone).date() == day]
    return service, day, starts


async def _book(client: Client, service: str, start: str, status: int, token: str | None,
                key: str, **extra: str) -> Any:
    return await _json(client, "POST", "/api/v1/appointments", status, token, json={
        "service_id": service, "start": start, "customer": {"name": "Guest",
                                                            "phone": "+15550004444"}, **extra},
        headers={"Idempotency-Key": key})


async def test_the_room_admits_one_at_a_time_and_gates_booking(
        room_gateway: Client, engine: AsyncEngine) -> None:
    settings = room_gateway.server.app[SETTINGS]
    (first, a), (_, b) = await verified(engine, settings, demo_catalog().business.id, 2)
    service, day, starts = await _slots(room_gateway)
    enter = {"service_id": service, "day": day.isoformat()}

    quiet = (await _json(room_gateway, "POST", PLACES, 201, a, json=enter))["place"]
    assert quiet["state"] == "admitted" and quiet["position"] == 0  # nobody else: straight in
    waiting = (await _json(room_gateway, "POST", PLACES, 201, b, json=enter))["place"]
    assert (waiting["state"], waiting["position"]) == ("waiting", 1)
    assert waiting["estimated_wait_seconds"] == 300  # one hold ahead

    refused = await _book(room_gateway, service, starts[0], 403, None, "anon-1")
    assert refused["error"]["code"] == "waiting_room"
    await _book(room_gateway, service, starts[0], 403, b, "b-early")

    booked = await _book(room_gateway, service, starts[0], 201, a, "a-1")
    assert booked["appointment"]["customer_id"] == str(first)
    again = await _json(room_gateway, "GET", f"{PLACES}/{quiet['id']}", 200, a)
    assert again["place"]["state"] == "booked"
    now_b = (await _json(room_gateway, "GET", f"{PLACES}/{waiting['id']}", 200, b))["place"]
    assert now_b["state"] == "admitted" and now_b["hold_until"]
    taken = await _book(room_gateway, service, starts[0], 409, b, "b-taken",
                        staff_id=booked["appointment"]["staff_id"])
    assert taken["error"]["code"]  # the time was taken: the admission stands for another
    await _book(room_gateway, service, starts[1], 201, b, "b-1")
    await _book(room_gateway, service, starts[2], 201, b, "b-2")  # the room is quiet again

    async with engine.connect() as db:
        events = (await db.execute(text(
            "SELECT event, customer_id FROM waiting_room_events ORDER BY id"))).all()
    assert [e.event for e in events] == ["entered", "admitted", "entered", "booked",
                                         "admitted", "booked"]


async def test_one_contact_behind_many_senders_has_one_place(
        room_gateway: Client, engine: AsyncEngine) -> None:
    service, day, _ = await _slots(room_gateway)
    enter = {"service_id": service, "day": day.isoformat()}
    settings = room_gateway.server.app[SETTINGS]
    await verified(engine, settings, demo_catalog().business.id, 1, first=500)
    phone = "+15559000500"
    proved = [await _token_for(room_gateway, engine, phone) for _ in range(2)]
    assert proved[0] and proved[1]  # two codes, two browsers: the same person
    subject = UUID(proved[0].split(".")[0])
    yesterday = links.sign(links.link_key(settings), subject, "customer",
                           datetime.now(UTC) + timedelta(hours=3))
    tokens = [proved[0], proved[1], yesterday]
    places = [(await _json(room_gateway, "POST", PLACES, 201, token, json=enter,
                           cookies={"sid": f"cookie-{i}"}))["place"]
              for i, token in enumerate(tokens)]
    assert len({place["id"] for place in places}) == 1
    left = await _json(room_gateway, "DELETE", f"{PLACES}/{places[0]['id']}", 200, tokens[1])
    assert left == {"left": True}
    back = (await _json(room_gateway, "POST", PLACES, 201, tokens[0], json=enter))["place"]
    assert back["id"] != places[0]["id"]


async def test_strangers_and_bad_input_get_clear_refusals(
        room_gateway: Client, engine: AsyncEngine) -> None:
    settings = room_gateway.server.app[SETTINGS]
    (_, a), (_, b), (_, c) = await verified(engine, settings, demo_catalog().business.id, 3,
                                            first=10)
    service, day, starts = await _slots(room_gateway)
    enter = {"service_id": service, "day": day.isoformat()}
    await _json(room_gateway, "POST", PLACES, 401, None, "198.51.100.1", json=enter)
    await _json(room_gateway, "POST", PLACES, 401, "0" * 32 + ".customer.9999999999.abc",
                "198.51.100.1", json=enter)
    link = (await _book(room_gateway, service, starts[3], 201, None, "link"))["token"]
    await _json(room_gateway, "POST", PLACES, 401, link, "198.51.100.1", json=enter)
    for bad in ({"service_id": service, "day": "9999-12-31"}, {"service_id": service, "day": 7},
                {"service_id": "nope", "day": day.isoformat()},
                {"service_id": service, "day": "2027-02-30"}):
        await _json(room_gateway, "POST", PLACES, 422, a, "198.51.100.2", json=bad)
    unknown = {"service_id": "00000000-0000-0000-0000-000000000001", "day": day.isoformat()}
    await _json(room_gateway, "POST", PLACES, 404, a, "198.51.100.2", json=unknown)
    limited = await _json(room_gateway, "POST", PLACES, 429, a, "198.51.100.3", json=enter)
    assert limited["error"]["retry_after_seconds"] > 0  # five tries a minute per customer
    mine = (await _json(room_gateway, "POST", PLACES, 201, b, "198.51.100.4",
                        json=enter))["place"]
    await _json(room_gateway, "GET", f"{PLACES}/{mine['id']}", 404, c, "198.51.100.5")
    await _json(room_gateway, "DELETE", f"{PLACES}/{mine['id']}", 404, c, "198.51.100.5")
    await _json(room_gateway, "GET", f"{PLACES}/not-a-uuid", 422, c, "198.51.100.5")
    for status in (400, 413):
        response = await room_gateway.post(PLACES, data=b"\xff\xfe" * 10 if status == 400 else
                                           b'{"day": "' + b"x" * 70_000 + b'"}', headers={
            "Authorization": f"Bearer {c}", "Content-Type": "application/json",
            "X-Forwarded-For": f"198.51.100.{status}"})
        assert response.status == status


async def test_one_network_takes_a_bounded_number_of_places(
        room_gateway: Client, engine: AsyncEngine) -> None:
    settings = room_gateway.server.app[SETTINGS]
    farm = await verified(engine, settings, demo_catalog().business.id, 11, first=100)
    service, day, _ = await _slots(room_gateway)
    enter = {"service_id": service, "day": day.isoformat()}
    for _, token in farm[:10]:
        await _json(room_gateway, "POST", PLACES, 201, token, "2001:db8:1:1::7", json=enter)
    await _json(room_gateway, "POST", PLACES, 429, farm[10][1], "2001:db8:1:1:ffff::1",
                json=enter)  # another address of the same IPv6 /64
    await _json(room_gateway, "POST", PLACES, 201, farm[10][1], "2001:db8:1:2::1", json=enter)


async def test_a_release_holds_admission_until_it_opens(
        room_gateway: Client, engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    settings, catalog = room_gateway.server.app[SETTINGS], demo_catalog()
    (_, a), = await verified(engine, settings, catalog.business.id, 1, first=400)
    service = next(s.id for s in catalog.services if s.name == "Beard trim")
    local = datetime.now(catalog.business.zone)
    opens = (local + timedelta(seconds=6)).replace(microsecond=0)
    day = opens.date() + timedelta(days=3)  # a daily rule three days ahead opens today
    rule = ReleaseRule(uuid4(), catalog.business.id, Period.DAY, opens.time(), lead=3,
                       service_id=service)
    async with session_factory() as session:
        await ReleaseStore(session).add_rule(rule, local)
        await session.commit()
    enter = {"service_id": str(service), "day": day.isoformat()}
    place = (await _json(room_gateway, "POST", PLACES, 201, a, "192.0.2.77", json=enter))["place"]
    assert place["state"] == "waiting" and place["position"] == 1  # alone, but before the release
    assert 0 < place["estimated_wait_seconds"] <= 6
    await asyncio.sleep(max(0.0, (opens - datetime.now(catalog.business.zone)).total_seconds()))
    now = (await _json(room_gateway, "GET", f"{PLACES}/{place['id']}", 200, a, "192.0.2.77"))
    assert now["place"]["state"] == "admitted"
    async with engine.connect() as db:
        room = (await db.execute(text("SELECT release_at, release_rule_id FROM waiting_rooms"
                                      " WHERE service_id = :s AND day = :d"),
                                 {"s": service, "d": day})).one()
    assert room.release_rule_id == rule.id and room.release_at == opens
