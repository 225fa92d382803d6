"""The REST API against the demo salon: booking with idempotency, conflicts with alternatives,
who may see and change what, filters and cursors, errors from one middleware."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
ADMIN = {"X-API-Key": API_KEY}


async def _json(client: TestClient, method: str, path: str, status: int,  # type: ignore[type-arg]
                **kwargs: Any) -> Any:
    response = await client.request(method, path, **kwargs)
    body = await response.json()
    assert response.status == status, body
    return body


async def _first_slot(client: TestClient, service: str = "Men's cut") -> tuple[str, str]:  # type: ignore[type-arg]
    services = await _json(client, "GET", "/api/v1/services", 200)
    service_id = next(s["id"] for s in services["items"] if s["name"] == service)
    start = datetime.now(UTC) + timedelta(days=2)
    slots = await _json(client, "GET", "/api/v1/availability", 200, params={
        "service_id": service_id, "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})
    return service_id, slots["items"][0]["start"]


def _booking(service_id: str, start: str, phone: str = "+15550002001") -> dict[str, Any]:
    return {"service_id": service_id, "start": start,
            "customer": {"name": "Dana Fox", "phone": phone}}


async def test_catalog_reads_are_public(gateway: TestClient) -> None:  # type: ignore[type-arg]
    business = await _json(gateway, "GET", "/api/v1/business", 200)
    assert business["name"] == "Shear Delight Salon"
    staff = await _json(gateway, "GET", "/api/v1/staff", 200)
    assert {"Ana", "Marcus", "Priya"} <= {m["name"] for m in staff["items"]}
    service_id, _ = await _first_slot(gateway)
    ranked = await _json(gateway, "GET", "/api/v1/suggestions", 200,
                         params={"service_id": service_id, "count": "3"})
    assert 1 <= len(ranked["items"]) <= 3 and ranked["items"][0]["reasons"]


async def test_book_replay_conflict_and_customer_token(gateway: TestClient) -> None:  # type: ignore[type-arg]
    service_id, start = await _first_slot(gateway)
    slot = _booking(service_id, start)
    first = await _json(gateway, "POST", "/api/v1/appointments", 201, json=slot,
                        headers={"Idempotency-Key": "k-1"})
    again = await _json(gateway, "POST", "/api/v1/appointments", 200, json=slot,
                        headers={"Idempotency-Key": "k-1"})
    assert again["appointment"]["id"] == first["appointment"]["id"] and again["replayed"]
    staff_id = first["appointment"]["staff_id"]
    taken = await _json(gateway, "POST", "/api/v1/appointments", 409,
                        json={**_booking(service_id, start, "+15550002002"), "staff_id": staff_id},
                        headers={"Idempotency-Key": "k-2"})
    assert taken["error"]["code"] == "slot_unavailable" and taken["error"]["alternatives"]

    path = f"/api/v1/appointments/{first['appointment']['id']}"
    own = {"Authorization": f"Bearer {first['token']}"}
    assert (await _json(gateway, "GET", path, 200, headers=own))["status"] == "confirmed"
    await _json(gateway, "GET", path, 401)
    forged = {"Authorization": f"Bearer {first['token'][:-2]}xx"}
    await _json(gateway, "GET", path, 401, headers=forged)
    status = await _json(gateway, "GET", path + "/status", 200, headers=own)
    assert [h["to_status"] for h in status["history"]] == ["confirmed"]
    cancelled = await _json(gateway, "POST", path + "/cancel", 200, json={"reason": "ill"},
                            headers=own)
    assert cancelled["appointment"]["status"] in ("cancelled", "late_cancel")


async def test_idempotency_key_is_required(gateway: TestClient) -> None:  # type: ignore[type-arg]
    service_id, start = await _first_slot(gateway)
    refused = await _json(gateway, "POST", "/api/v1/appointments", 422,
                          json=_booking(service_id, start))
    assert refused["error"]["field"] == "Idempotency-Key"


async def test_admin_lists_with_filters_and_cursor(gateway: TestClient) -> None:  # type: ignore[type-arg]
    service_id, _ = await _first_slot(gateway)
    start = datetime.now(UTC) + timedelta(days=3)
    slots = await _json(gateway, "GET", "/api/v1/availability", 200, params={
        "service_id": service_id, "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})
    picks = slots["items"][::8][:3]
    for number, slot in enumerate(picks):
        await _json(gateway, "POST", "/api/v1/appointments", 201,
                    json=_booking(service_id, slot["start"], f"+1555000300{number}"),
                    headers={"Idempotency-Key": f"list-{number}"})
    await _json(gateway, "GET", "/api/v1/appointments", 401)
    seen, cursor = [], None
    while True:
        params = {"limit": "2", "status": "confirmed", "service_id": service_id}
        page = await _json(gateway, "GET", "/api/v1/appointments", 200, headers=ADMIN,
                           params=params | ({"cursor": cursor} if cursor else {}))
        seen += [a["start"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 3 and seen == sorted(seen)
    summary = await _json(gateway, "GET", "/api/v1/analytics/summary", 200, headers=ADMIN)
    assert summary["by_status"]["confirmed"] == 3
    assert any(value > 0 for value in summary["utilisation_by_staff"].values())
    heat = await _json(gateway, "GET", "/api/v1/analytics/heatmap", 200, headers=ADMIN)
    assert sum(cell["count"] for cell in heat["items"]) == 3


@pytest.mark.parametrize(("path", "status", "code"), [
    ("/api/v1/appointments/not-a-uuid", 401, "unauthorized"),
    ("/api/v1/availability?service_id=x", 422, "invalid_request"),
    ("/api/v1/suggestions?service_id=00000000-0000-0000-0000-000000000000", 404, "not_found"),
    ("/api/v1/nothing-here", 404, "not_found"),
])
async def test_errors_are_json(gateway: TestClient, path: str, status: int, code: str) -> None:  # type: ignore[type-arg]
    body = await _json(gateway, "GET", path, status)
    assert body["error"]["code"] == code


async def test_bodies_are_limited(gateway: TestClient) -> None:  # type: ignore[type-arg]
    huge = {"customer": {"name": "x" * 20_000}}
    body = await _json(gateway, "POST", "/api/v1/waitlist", 413, json=huge)
    assert body["error"]["code"] == "request_too_large"


async def test_openapi_lists_every_route(gateway: TestClient) -> None:  # type: ignore[type-arg]
    document = await _json(gateway, "GET", "/openapi.json", 200)
    documented = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
    routed = {(r.method, r.resource.canonical) for r in gateway.app.router.routes()
              if r.resource is not None and r.resource.canonical.startswith("/api/")
              and r.method != "HEAD"}
    assert documented == routed
