"""Blocking by the phone or e-mail a customer booked with: the customer a booking with that
contact is found as (by phone, else e-mail, any case) is blocked, so their next booking is
refused (403); a contact no one booked with is a 404, and the request names the customer one
way only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from scheduling.demo import demo_catalog
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
ADMIN = {"X-API-Key": API_KEY}
Client = TestClient[web.Request, web.Application]
CATALOG = demo_catalog()
CUT = CATALOG.find_service("Men's cut")
MARCUS = CATALOG.staff[1]


async def _book(gateway: Client, customer: dict[str, str], key: str, nth: int = 0
                ) -> tuple[int, Any]:
    start = datetime.now(UTC) + timedelta(days=2)
    slots = await (await gateway.get("/api/v1/availability", params={
        "service_id": str(CUT.id), "staff_id": str(MARCUS.id), "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})).json()
    response = await gateway.post("/api/v1/appointments", headers={"Idempotency-Key": key},
                                  json={"service_id": str(CUT.id), "staff_id": str(MARCUS.id),
                                        "start": slots["items"][nth]["start"],
                                        "customer": customer})
    return response.status, await response.json()


async def _block(gateway: Client, body: dict[str, Any], status: int) -> Any:
    response = await gateway.post("/api/v1/admin/blocklist", json=body, headers=ADMIN)
    answer = await response.json()
    assert response.status == status, answer
    return answer


async def test_a_customer_blocked_by_phone_or_email_cannot_book_again(
    gateway: Client, demo: None
) -> None:
    dana = {"name": "Dana Fox", "phone": "+15550002001", "email": "dana@example.com"}
    eve = {"name": "Eve Stone", "email": "eve@example.com"}
    assert (await _book(gateway, dana, "dana"))[0] == 201
    assert (await _book(gateway, eve, "eve", 1))[0] == 201
    listed = await _block(gateway, {"phone": "+15550002001", "reason": "no-shows"}, 200)
    assert [(b["name"], b["reason"]) for b in listed["items"]] == [("Dana Fox", "no-shows")]
    status, answer = await _book(gateway, dana, "dana-again", 2)
    assert status == 403, answer
    listed = await _block(gateway, {"email": "EVE@example.com"}, 200)
    assert {b["name"] for b in listed["items"]} == {"Dana Fox", "Eve Stone"}
    assert (await _book(gateway, eve, "eve-again", 3))[0] == 403
    customer = next(b["customer_id"] for b in listed["items"] if b["name"] == "Dana Fox")
    unblocked = await gateway.delete(f"/api/v1/admin/blocklist/{customer}", headers=ADMIN)
    assert unblocked.status == 200
    assert (await _book(gateway, dana, "dana-unblocked", 4))[0] == 201


async def test_a_blocked_customer_under_another_name_is_refused_too(
    gateway: Client, demo: None
) -> None:
    """The blocked phone with another e-mail lands on a fresh profile that no block names; it
    was booked before the blocklist also read the booking's own contact."""
    dana = {"name": "Dana Fox", "phone": "+15550002001", "email": "dana@example.com"}
    assert (await _book(gateway, dana, "dana"))[0] == 201
    await _block(gateway, {"phone": "+15550002001", "reason": "no-shows"}, 200)
    alias = {"name": "D. F.", "phone": "+15550002001", "email": "df@example.com"}
    status, answer = await _book(gateway, alias, "alias", 1)
    assert status == 403 and answer["error"]["policy"] == "customer_blocked", answer


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"phone": "+15550009999"}, 404, None),
    ({"email": "nobody@example.com"}, 404, None),
    ({"phone": "555-1234"}, 422, "phone"),
    ({"email": "not an address"}, 422, "email"),
    ({"phone": "+15550002001", "email": "dana@example.com"}, 422, "customer_id"),
    ({"reason": "who?"}, 422, "customer_id"),
    ({"phone": 15550002001}, 422, "phone"),
    ({"name": "Dana"}, 422, "name"),
])
async def test_odd_block_requests_are_refused(gateway: Client, demo: None,
                                              body: dict[str, Any], status: int,
                                              field: str | None) -> None:
    answer = await _block(gateway, body, status)
    if field is not None:
        assert field in str(answer), answer
