"""The REST API with two branches in two zones: services and staff say where they are,
availability, suggestions, bookings, the appointment listing and analytics take a
`location_id`, and an unknown or unsuitable location is a clear error."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient

from assistant.notifications.runtime import DISPATCHER
from scheduling import formats
from scheduling.demo import demo_id
from tests import branches
from tests.branches import branch_demo  # noqa: F401 (the gateway's catalog)
from tests.gateway.admin_login import sign_in
from tests.gateway.booking_flow import Factory, fetch, rows
from tests.gateway.test_api import ADMIN, _json
from tests.gateway.test_appointment_pages import link

pytestmark = pytest.mark.db
HARBOUR, MAIN = str(branches.HARBOUR), str(branches.MAIN_STREET)
MENS_CUT = str(demo_id("service/Men's cut"))
CHICAGO = ZoneInfo("America/Chicago")



def _week() -> dict[str, str]:
    start = datetime.now(UTC) + timedelta(days=2)
    return {"start": start.isoformat(), "end": (start + timedelta(days=7)).isoformat()}


async def _slots(client: TestClient, service: str = MENS_CUT,  # type: ignore[type-arg]
                 **params: str) -> list[dict[str, Any]]:
    found = await _json(client, "GET", "/api/v1/availability", 200,
                        params={"service_id": service, **_week(), **params})
    items: list[dict[str, Any]] = found["items"]
    return items


async def test_services_and_staff_say_where_they_are(gateway: TestClient) -> None:  # type: ignore[type-arg]
    business = await _json(gateway, "GET", "/api/v1/business", 200)
    assert [(loc["name"], loc["time_zone"]) for loc in business["locations"]] == [
        ("Main Street", "America/New_York"), ("Harbour", "America/Chicago")]
    services = {s["name"]: s["location_ids"]
                for s in (await _json(gateway, "GET", "/api/v1/services", 200))["items"]}
    assert services["Hot towel shave"] == [HARBOUR] and services["Colour"] == [MAIN]
    assert services["Men's cut"] == [MAIN, HARBOUR]
    staff = {m["name"]: m["location_ids"]
             for m in (await _json(gateway, "GET", "/api/v1/staff", 200))["items"]}
    assert staff["Dana"] == [HARBOUR] and staff["Ana"] == [MAIN]


async def test_availability_and_suggestions_by_location(gateway: TestClient) -> None:  # type: ignore[type-arg]
    everywhere = await _slots(gateway)
    assert {s["location_id"] for s in everywhere} == {MAIN, HARBOUR}
    harbour = await _slots(gateway, location_id=HARBOUR)
    assert harbour and {s["location_id"] for s in harbour} == {HARBOUR}
    assert {tuple(s["staff_ids"]) for s in harbour} == {(str(branches.DANA),)}
    assert all(8 <= datetime.fromisoformat(s["start"]).astimezone(CHICAGO).hour < 17
               for s in harbour)
    ranked = await _json(gateway, "GET", "/api/v1/suggestions", 200,
                         params={"service_id": MENS_CUT, "location_id": HARBOUR})
    assert ranked["items"] and {i["slot"]["location_id"] for i in ranked["items"]} == {HARBOUR}


@pytest.mark.parametrize(("params", "status"), [
    ({"location_id": "not-a-uuid"}, 422),
    ({"location_id": str(demo_id("location/nowhere"))}, 404),
    ({"location_id": MAIN, "service_id": str(branches.SHAVE)}, 422),
])
async def test_a_location_that_cannot_answer_is_an_error(
    gateway: TestClient, params: dict[str, str], status: int  # type: ignore[type-arg]
) -> None:
    query = {"service_id": MENS_CUT, **_week(), **params}
    found = await _json(gateway, "GET", "/api/v1/availability", status, params=query)
    assert found["error"]["message"]
    await _json(gateway, "GET", "/api/v1/suggestions", status,
                params={k: v for k, v in query.items() if k not in ("start", "end")})


async def _book_both(client: TestClient) -> dict[str, Any]:  # type: ignore[type-arg]
    """A men's cut booked at each branch (at different times); the Harbour slot."""
    main = (await _slots(client, location_id=MAIN))[0]
    harbour = next(s for s in await _slots(client, location_id=HARBOUR)
                   if s["start"] != main["start"])
    for number, slot in enumerate((main, harbour)):
        booked = await _json(client, "POST", "/api/v1/appointments", 201, json={
            "service_id": MENS_CUT, "start": slot["start"], "location_id": slot["location_id"],
            "customer": {"name": "Lee Park", "phone": f"+1555000300{number}"}},
            headers={"Idempotency-Key": f"branch-{number}"})
        assert booked["appointment"]["location_id"] == slot["location_id"]
    return harbour


async def test_booked_at_a_branch_and_listed_and_counted_there(gateway: TestClient) -> None:  # type: ignore[type-arg]
    harbour = await _book_both(gateway)
    listed = await _json(gateway, "GET", "/api/v1/appointments", 200, headers=ADMIN,
                         params={"location_id": HARBOUR})
    assert [a["start"] for a in listed["items"]] == [harbour["start"]]
    window = {"from": (datetime.now(UTC) - timedelta(days=1)).isoformat(),
              "until": (datetime.now(UTC) + timedelta(days=20)).isoformat()}
    everywhere = await _json(gateway, "GET", "/api/v1/analytics/summary", 200, headers=ADMIN,
                             params=window)
    assert everywhere["by_status"]["confirmed"] == 2
    there = await _json(gateway, "GET", "/api/v1/analytics/summary", 200, headers=ADMIN,
                        params={**window, "location_id": HARBOUR})
    assert there["by_status"] == {"confirmed": 1}
    assert set(there["utilisation_by_staff"]) == {str(branches.DANA)}
    heat = await _json(gateway, "GET", "/api/v1/analytics/heatmap", 200, headers=ADMIN,
                       params={**window, "location_id": HARBOUR})
    local = datetime.fromisoformat(harbour["start"]).astimezone(CHICAGO)
    assert [(c["weekday"], c["hour"], c["count"]) for c in heat["items"]] == [
        (local.isoweekday(), local.hour, 1)]
    await _json(gateway, "GET", "/api/v1/analytics/bookings", 404, headers=ADMIN,
                params={**window, "location_id": str(demo_id("location/nowhere"))})


async def test_the_analytics_screen_picks_a_branch(gateway: TestClient) -> None:  # type: ignore[type-arg]
    await _book_both(gateway)
    assert (await sign_in(gateway, "owner@example.com", "correct horse")).status == 303
    everywhere = await (await gateway.get("/admin/analytics")).text()
    assert "<strong>2</strong> bookings" in everywhere and "All locations" in everywhere
    response = await gateway.get(f"/admin/analytics?location={HARBOUR}")
    there = await response.text()
    assert response.status == 200 and "Analytics at Harbour" in there
    assert "<strong>1</strong> bookings" in there and f'value="{HARBOUR}" selected' in there
    chart = json.loads(re.search(r'id="chart-data">(.*?)</script>', there, re.S).group(1))
    assert [name for name, _ in chart["utilisation"]] == ["Dana"]
    odd = await gateway.get("/admin/analytics?location=%FF")
    assert odd.status == 200 and "<strong>2</strong> bookings" in await odd.text()


async def test_the_confirmation_reads_the_branchs_clock(
    gateway: TestClient, session_factory: Factory,  # type: ignore[type-arg]
) -> None:
    harbour = await _book_both(gateway)
    await gateway.app[DISPATCHER].run_once()
    [sms] = await rows(session_factory, (
        "SELECT d.summary FROM delivery_attempts d JOIN outbox o ON o.id = d.outbox_id "
        "WHERE d.recipient = '+15550003001' AND o.kind = 'confirmation'"))
    start = datetime.fromisoformat(harbour["start"])
    clock = formats.clock(start, CHICAGO)
    assert f"{clock}. Change" in sms[0], sms  # Harbour's own clock, no zone note
    [owner] = await rows(session_factory, (
        "SELECT o.payload->>'location_id' FROM outbox o WHERE o.kind = 'owner_notice' "
        "AND o.payload->>'start' = :start"), start=start.isoformat())
    assert owner[0] == HARBOUR


async def test_the_manage_page_reads_the_branchs_clock(gateway: TestClient) -> None:  # type: ignore[type-arg]
    harbour = await _book_both(gateway)
    listed = await _json(gateway, "GET", "/api/v1/appointments", 200, headers=ADMIN,
                         params={"location_id": HARBOUR})
    page = await fetch(gateway, "get", link(gateway, UUID(listed["items"][0]["id"]), "manage"))
    start = datetime.fromisoformat(harbour["start"])
    assert page.status == 200 and formats.long_when(start, CHICAGO) in page.words
    assert "8 Pier Road" in page.words and "At Shear Delight Salon" not in page.words
