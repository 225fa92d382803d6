"""An archived location has no times on offer: named by id to availability, suggestions,
booking or the booking page it is a 404 like an id the business never had, while the
appointment listing still filters by it (its history stays readable)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from scheduling.demo import demo_catalog
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
ADMIN = {"X-API-Key": API_KEY}
Client = TestClient[web.Request, web.Application]
CATALOG = demo_catalog()
CUT = CATALOG.services[0]
START = (datetime.now(UTC) + timedelta(days=3)).replace(hour=15, minute=0, second=0,
                                                        microsecond=0)


async def _status(gateway: Client, method: str, path: str, **kwargs: Any) -> int:
    response = await gateway.request(method, path, **kwargs)
    await response.read()
    return response.status


async def _archived_location(gateway: Client) -> str:
    made = await gateway.post("/api/v1/admin/locations", headers=ADMIN, json={
        "name": "Pier", "time_zone": "America/New_York", "address": "1 Pier Road",
        "opening_hours": {"mon": ["09:00-17:00"]}})
    assert made.status == 201, await made.text()
    location = (await made.json())["item"]["id"]
    gone = await gateway.post(f"/api/v1/admin/locations/{location}/archive", headers=ADMIN)
    assert gone.status == 200, await gone.text()
    return str(location)


async def _answers(gateway: Client, location: str) -> dict[str, int]:
    week = {"service_id": str(CUT.id), "start": START.isoformat(),
            "end": (START + timedelta(days=7)).isoformat()}
    booking = {"service_id": str(CUT.id), "start": START.isoformat(), "location_id": location,
               "customer": {"name": "Dana Fox", "phone": "+15550002001"}}
    return {
        "availability": await _status(gateway, "GET", "/api/v1/availability",
                                      params=week | {"location_id": location}),
        "suggestions": await _status(gateway, "GET", "/api/v1/suggestions", params={
            "service_id": str(CUT.id), "location_id": location}),
        "book": await _status(gateway, "POST", "/api/v1/appointments", json=booking,
                              headers=ADMIN | {"Idempotency-Key": f"pier-{location}"}),
        "page": await _status(gateway, "GET", f"/book/{CUT.id}", params={"location": location}),
    }


async def test_an_archived_location_is_not_found_like_an_unknown_one(
    gateway: Client, demo: None
) -> None:
    archived = await _archived_location(gateway)
    everywhere_404 = {"availability": 404, "suggestions": 404, "book": 404, "page": 404}
    assert await _answers(gateway, archived) == everywhere_404
    assert await _answers(gateway, str(uuid4())) == everywhere_404
    main = str(CATALOG.business.locations[0].id)
    assert await _status(gateway, "GET", "/api/v1/availability", params={
        "service_id": str(CUT.id), "start": START.isoformat(),
        "end": (START + timedelta(days=7)).isoformat(), "location_id": main}) == 200
    listed = await gateway.get("/api/v1/appointments", headers=ADMIN,
                               params={"location_id": archived})
    assert listed.status == 200 and (await listed.json())["items"] == []
