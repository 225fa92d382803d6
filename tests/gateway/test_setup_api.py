"""The admin catalog API (/api/v1/admin/...) on the demo salon with every table filled: each
listing shows its rows, creates and edits reach the public API and booking, archived entries
stop being offered, bad input is a 422 naming the field, and a change that strands bookings
lists them and, asked to, cancels them with an offer of new times."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.demo import demo_catalog
from scheduling.persistence.outbox import OutboxRow
from tests.fill import Filled, drop_conversations, fill
from tests.gateway.booking_flow import fetch, press
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
ADMIN = {"X-API-Key": API_KEY}
API = "/api/v1/admin"
Client = TestClient[web.Request, web.Application]


async def _json(client: Client, method: str, path: str, status: int, **kwargs: Any) -> Any:
    response = await client.request(method, path, **kwargs)
    body = await response.json()
    assert response.status == status, body
    return body


async def _admin(client: Client, method: str, path: str, status: int, **kwargs: Any) -> Any:
    return await _json(client, method, f"{API}{path}", status, headers=ADMIN, **kwargs)


@pytest.fixture
async def filled(session_factory: async_sessionmaker[AsyncSession], gateway: Client
                 ) -> AsyncIterator[Filled]:
    done = await fill(session_factory, datetime.now(UTC))
    yield done
    await drop_conversations(session_factory)


async def test_every_admin_read_shows_the_filled_rows(gateway: Client, filled: Filled) -> None:
    business = await _admin(gateway, "GET", "/business", 200)
    assert (business["name"], business["late_cancel_fee"]) == ("Shear Delight Salon", "25.00")
    places = await _admin(gateway, "GET", "/locations", 200)
    assert [p["name"] for p in places["items"]] == ["Main Street"]
    assert places["items"][0]["opening_hours"]["mon"] and not places["items"][0]["archived"]
    services = await _admin(gateway, "GET", "/services", 200)
    colour = next(s for s in services["items"] if s["name"] == "Colour")
    assert (colour["deposit"], colour["duration_minutes"]) == ("30.00", 90)
    staff = await _admin(gateway, "GET", "/staff", 200)
    ana = next(m for m in staff["items"] if m["name"] == "Ana")
    assert ana["breaks"]["tue"] == ["12:30-13:30"] and ana["max_bookings_per_day"] == 8
    off = await _admin(gateway, "GET", f"/staff/{ana['id']}/time-off", 200)
    assert [o["reason"] for o in off["items"]] == ["filled holiday"]
    assert (await _admin(gateway, "GET", f"/staff/{ana['id']}", 200))["name"] == "Ana"
    assert (await _admin(gateway, "GET", "/booking-rules", 200))["hold_minutes"] == 10
    assert (await _admin(gateway, "GET", "/reminders", 200))["offsets_minutes"] == [1440, 60]
    blocked = await _admin(gateway, "GET", "/blocklist", 200)
    assert [(b["name"], b["reason"]) for b in blocked["items"]] == [("Blocked Bob",
                                                                     "filled block")]
    assert (await _admin(gateway, "GET", "/messages", 200))["signature"] == "Filled signature"


def _massage(location_id: str) -> dict[str, Any]:
    return {"name": "Scalp massage", "duration_minutes": 25, "price": "30.00",
            "deposit": "10.00", "aliases": ["head massage"], "required_skills": ["cut"],
            "location_ids": [location_id], "capacity": 3, "max_participants": 2,
            "min_notice_minutes": 60, "cancellation": {"free_hours": 12, "late_fee": "5.00"}}


async def test_a_service_created_edited_and_archived_through_the_api(
    gateway: Client, filled: Filled
) -> None:
    location = demo_catalog().business.locations[0].id
    made = await _admin(gateway, "POST", "/services", 201, json=_massage(str(location)))
    service = made["item"]
    assert (service["deposit"], service["cancellation"], made["stranded"]) == (
        "10.00", {"free_hours": 12, "late_fee": "5.00"}, [])
    public = await _json(gateway, "GET", "/api/v1/services", 200)
    assert "Scalp massage" in {s["name"] for s in public["items"]}
    edited = await _admin(gateway, "PATCH", f"/services/{service['id']}", 200,
                          json={"price": "35.00"})
    assert (edited["item"]["price"], edited["item"]["deposit"]) == ("35.00", "10.00")
    await _admin(gateway, "PATCH", f"/services/{service['id']}/reminders", 200,
                 json={"offsets_minutes": [120]})
    assert (await _admin(gateway, "GET", f"/services/{service['id']}/reminders", 200)
            )["offsets_minutes"] == [120]
    gone = await _admin(gateway, "POST", f"/services/{service['id']}/archive", 200)
    assert gone["item"]["archived"] is True
    public = await _json(gateway, "GET", "/api/v1/services", 200)
    assert "Scalp massage" not in {s["name"] for s in public["items"]}
    start = (datetime.now(UTC) + timedelta(days=3)).replace(hour=15, minute=0, second=0,
                                                            microsecond=0)
    refused = await gateway.post("/api/v1/appointments", json={
        "service_id": service["id"], "start": start.isoformat(),
        "customer": {"name": "Dana Fox", "phone": "+15550002001"}},
        headers=ADMIN | {"Idempotency-Key": "archived-service"})
    assert refused.status == 404, await refused.text()
    no_times = await gateway.get("/api/v1/availability", params={
        "service_id": service["id"], "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})
    assert no_times.status == 404, await no_times.text()
    again = await gateway.patch(f"{API}/services/{service['id']}", json={"price": "1.00"},
                                headers=ADMIN)
    assert again.status == 422


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/services", {"name": "X", "duration_minutes": -5, "price": "1.00"}, "duration_minutes"),
    ("/services", {"name": "X", "duration_minutes": 30, "price": "10.00", "deposit": "20.00"},
     "deposit"),
    ("/services", {"name": "X", "duration_minutes": 30, "price": "-1"}, "price"),
    ("/services", {"name": "Men's cut", "duration_minutes": 30, "price": "1.00"}, "name"),
    ("/services", {"name": "X", "duration_minutes": 30, "price": "1.00", "size": 1}, "size"),
    ("/services", {"duration_minutes": 30, "price": "1.00"}, "name"),
    ("/locations", {"name": "Mars", "time_zone": "Mars/Olympus", "opening_hours": {}},
     "time_zone"),
    ("/locations", {"name": "Late", "time_zone": "UTC",
                    "opening_hours": {"fri": ["22:00-02:00"]}}, "opening_hours"),
    ("/locations", {"name": "Odd", "time_zone": "UTC", "opening_hours": {"funday": []}},
     "opening_hours"),
    ("/locations", {"name": "Far", "time_zone": "UTC", "opening_hours": {},
                    "closures": [{"first_day": "9999-01-01", "last_day": "9999-01-02"}]},
     "closures"),
    ("/business", {"time_zone": "Nowhere/Town"}, "time_zone"),
    ("/business", {"currency": "dollars"}, "currency"),
    ("/booking-rules", {"hold_minutes": 0}, "hold_minutes"),
    ("/booking-rules", {"require_approval": "yes"}, "require_approval"),
    ("/messages", {"signature": "x" * 1001}, "signature"),
    ("/reminders", {"offsets_minutes": [-60]}, "offsets_minutes"),
    ("/blocklist", {"customer_id": "not-an-id"}, "customer_id"),
])
async def test_bad_input_is_a_422_naming_the_field(
    gateway: Client, filled: Filled, path: str, body: dict[str, Any], field: str
) -> None:
    method = "PATCH" if path in ("/business", "/booking-rules", "/messages", "/reminders") \
        else "POST"
    refused = await _admin(gateway, method, path, 422, json=body)
    assert refused["error"]["field"] == field, refused


async def test_staff_edits_refused_by_field_and_odd_requests(gateway: Client,
                                                            filled: Filled) -> None:
    ana = str(demo_catalog().staff[0].id)
    for body, field in [
        ({"breaks": {"tue": ["12:00-13:00", "12:30-14:00"]}}, "breaks"),
        ({"location_ids": []}, "location_ids"),
        ({"max_bookings_per_day": 0}, "max_bookings_per_day"),
        ({"overrides": [{"day": "2027-02-30"}]}, "overrides"),
        ({"notify": "please"}, "notify"),
    ]:
        refused = await _admin(gateway, "PATCH", f"/staff/{ana}", 422, json=body)
        assert refused["error"]["field"] == field, refused
    year_9999 = {"start": "9999-12-31T10:00:00Z", "end": "9999-12-31T12:00:00Z"}
    assert (await _admin(gateway, "POST", f"/staff/{ana}/time-off", 422, json=year_9999)
            )["error"]["field"] == "time_off.start"
    await _admin(gateway, "GET", "/staff/8d6f0f5e-0000-4000-8000-000000000000", 404)
    await _admin(gateway, "POST", "/staff/not-a-uuid/archive", 422)
    broken = await gateway.patch(f"{API}/staff/{ana}", data=b"\xff\xfe{", headers=ADMIN)
    assert broken.status == 400
    anonymous = await gateway.patch(f"{API}/staff/{ana}", json={"name": "Eve"})
    assert anonymous.status == 401
    assert (await _admin(gateway, "GET", f"/staff/{ana}", 200))["name"] == "Ana"
    main = str(demo_catalog().business.locations[0].id)
    last = await _admin(gateway, "POST", f"/locations/{main}/archive", 422)
    assert last["error"]["field"] == "location"


async def test_blocking_and_unblocking_a_customer(gateway: Client, filled: Filled) -> None:
    customer = str(filled.customer_id)
    listed = await _admin(gateway, "POST", "/blocklist", 200,
                          json={"customer_id": customer, "reason": "no-shows"})
    assert {b["name"] for b in listed["items"]} == {"Blocked Bob", "Fillia Everyrow"}
    listed = await _admin(gateway, "DELETE", f"/blocklist/{customer}", 200)
    assert {b["name"] for b in listed["items"]} == {"Blocked Bob"}
    await _admin(gateway, "POST", "/blocklist", 404,
                 json={"customer_id": "8d6f0f5e-0000-4000-8000-000000000000"})


async def _book_marcus(gateway: Client) -> dict[str, Any]:
    catalog = demo_catalog()
    marcus, cut = catalog.staff[1], catalog.find_service("Men's cut")
    start = datetime.now(UTC) + timedelta(days=2)
    slots = await _json(gateway, "GET", "/api/v1/availability", 200, params={
        "service_id": str(cut.id), "staff_id": str(marcus.id), "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})
    booked = await _json(gateway, "POST", "/api/v1/appointments", 201, json={
        "service_id": str(cut.id), "staff_id": str(marcus.id),
        "start": slots["items"][0]["start"],
        "customer": {"name": "Dana Fox", "phone": "+15550002001"}},
        headers={"Idempotency-Key": "strand-me"})
    return booked["appointment"] | {"token": booked["token"]}  # type: ignore[no-any-return]


async def test_a_change_that_strands_bookings_lists_them_and_notify_offers_new_times(
    gateway: Client, demo: None, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    booked = await _book_marcus(gateway)
    marcus = booked["staff_id"]
    shorter = {"weekly_hours": {"mon": ["10:00-11:00"]}}
    changed = await _admin(gateway, "PATCH", f"/staff/{marcus}", 200, json=shorter)
    assert [a["id"] for a in changed["stranded"]] == [booked["id"]] and not changed["notified"]
    still = await _json(gateway, "GET", f"/api/v1/appointments/{booked['id']}", 200,
                        headers=ADMIN)
    assert still["status"] == "confirmed"
    day_off = {"start": booked["start"], "end": booked["end"], "reason": "blocked",
               "notify": True}
    blocked = await _admin(gateway, "POST", f"/staff/{marcus}/time-off", 201, json=day_off)
    assert blocked["stranded"] == [] and blocked["notified"] == []  # already outside hours
    await _admin(gateway, "PATCH", f"/staff/{marcus}", 200,
                 json={"weekly_hours": {d: ["09:00-19:00"] for d in ("mon", "tue", "wed",
                                                                      "thu", "fri", "sat")},
                       "time_off": []})
    notified = await _admin(gateway, "PATCH", f"/staff/{marcus}", 200,
                            json={"weekly_hours": {}, "notify": True})
    assert notified["notified"] == [booked["id"]]
    gone = await _json(gateway, "GET", f"/api/v1/appointments/{booked['id']}", 200,
                       headers=ADMIN)
    assert (gone["status"], gone["cancellation"]["by"]) == ("cancelled", "owner")
    async with session_factory() as session:
        sent = await session.scalars(select(OutboxRow).where(OutboxRow.kind == "cancellation"))
        assert [row.payload["offer_new_times"] for row in sent] == [True]
    start = datetime.now(UTC) + timedelta(days=1)
    open_times = await _json(gateway, "GET", "/api/v1/availability", 200, params={
        "service_id": booked["service_id"], "staff_id": marcus, "start": start.isoformat(),
        "end": (start + timedelta(days=14)).isoformat()})
    assert open_times["items"] == []


async def test_old_appointments_still_show_what_was_archived(gateway: Client, demo: None
                                                             ) -> None:
    booked = await _book_marcus(gateway)
    retired = await _admin(gateway, "POST", f"/staff/{booked['staff_id']}/archive", 200)
    assert [a["id"] for a in retired["stranded"]] == [booked["id"]]
    await _admin(gateway, "POST", f"/services/{booked['service_id']}/archive", 200,
                 json={"notify": False})
    page = await gateway.get("/appointments/manage", params={"token": booked["token"]})
    text = await page.text()
    assert page.status == 200 and "Marcus" in text and "Men&#39;s cut" in text, text[:2000]
    for link in sorted(set(re.findall(r'href="(/appointments/[^"]+)"', text))):
        followed = await gateway.get(html.unescape(link))
        words = await followed.text()
        assert followed.status == 200 or "no longer offered" in words, (link, words)
    cancel = await fetch(gateway, "GET", f"/appointments/manage?token={booked['token']}"
                                            "&step=cancel")
    done = await press(gateway, cancel.page, "Yes, cancel it")
    assert done.status == 200 and "cancelled" in done.words.lower(), done.words
    shown = await _json(gateway, "GET", f"/api/v1/appointments/{booked['id']}", 200,
                        headers=ADMIN)
    assert shown["status"] == "cancelled"
    staff = await _json(gateway, "GET", "/api/v1/staff", 200)
    assert "Marcus" not in {m["name"] for m in staff["items"]}
    again = await _admin(gateway, "POST", f"/staff/{booked['staff_id']}/archive", 422)
    assert again["error"]["field"] == "staff"
