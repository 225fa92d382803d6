"""Input anyone can send that used to answer 500: undecodable Twilio forms, dates at the ends of
`datetime`'s range, a path id that is no UUID. Each is now a 4xx that says what is wrong, and
nothing reaches Rasa or the database.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from twilio.request_validator import RequestValidator

from assistant.gateway.app import create_app
from tests.gateway.admin_login import login_as
from tests.gateway.conftest import API_KEY, FakeRasa, gateway_settings
from tests.gateway.test_api import _booking, _first_slot

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
ADMIN = {"X-API-Key": API_KEY}
TOKEN, PUBLIC = "twilio-test-token", "https://booking.example.com"
FORM = "application/x-www-form-urlencoded"
EXTREMES = ["0001-01-01T00:00:00+00:00", "0001-01-01T00:30:00+14:00",
            "9999-12-31T23:00:00+00:00", "9999-12-31T23:59:59-14:00"]


@pytest.fixture
async def twilio(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],  # noqa: F811
                 demo: None) -> AsyncIterator[Client]:  # noqa: F811
    settings = gateway_settings(database_url, tmp_path, rasa[1].port,
                                twilio_auth_token=TOKEN, public_url=PUBLIC)
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client


def signature(path: str, pairs: dict[str, str]) -> str:
    return RequestValidator(TOKEN).compute_signature(PUBLIC + path, pairs)


@pytest.mark.parametrize("body", [
    b"From=%2B15550004001&Body=caf\xe9",          # Latin-1 bytes, not UTF-8
    b"From=%2B15550004001&Body=%C3%28",            # percent-encoded invalid UTF-8
    b"From=%2B15550004001&Body=nul%00here",        # NUL: no database column takes it
    b"\xff\xfe\x00junk",
])
async def test_undecodable_twilio_forms_are_400_and_go_nowhere(
        twilio: Client, rasa: tuple[FakeRasa, TestServer], body: bytes) -> None:  # noqa: F811
    for path in ("/twilio/sms", "/twilio/voice/gather", "/twilio/sms/continue"):
        headers = {"Content-Type": FORM, "X-Twilio-Signature": signature(path, {})}
        response = await twilio.post(path, data=body, headers=headers)
        assert response.status == 400, (path, await response.text())
    assert rasa[0].received == []


async def test_twilio_wants_a_form(twilio: Client, rasa: tuple[FakeRasa, TestServer]  # noqa: F811
                                   ) -> None:
    headers = {"Content-Type": "application/json", "X-Twilio-Signature": signature("/x", {})}
    response = await twilio.post("/twilio/sms", data=b'{"From": "+15550004001"}', headers=headers)
    assert response.status == 400
    assert rasa[0].received == []


async def test_repeated_fields_are_signed_as_sent(
        twilio: Client, rasa: tuple[FakeRasa, TestServer]) -> None:  # noqa: F811
    """The signature covers every pair. It used to cover the last of a repeated name while the
    handler read the first: a Body slipped in front of a signed one went to Rasa unsigned."""
    path = "/twilio/sms"
    signed = signature(path, {"From": "+15550004001", "Body": "hello"})
    body = b"From=%2B15550004001&Body=cancel+everything&Body=hello"
    response = await twilio.post(path, data=body,
                                 headers={"Content-Type": FORM, "X-Twilio-Signature": signed})
    assert response.status == 403
    ok = await twilio.post(path, data=b"From=%2B15550004001&Body=hello",
                           headers={"Content-Type": FORM, "X-Twilio-Signature": signed})
    assert ok.status == 200
    assert [m["message"] for m in rasa[0].received] == ["hello"]


async def _error(response: Any, status: int) -> dict[str, Any]:
    body = await response.json()
    assert response.status == status, body
    return body["error"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("when", EXTREMES)
async def test_dates_at_the_ends_of_time_are_422(gateway: Client, when: str) -> None:  # noqa: F811
    service_id, start = await _first_slot(gateway)
    later = "2027-01-01T00:00:00+00:00"
    for params in ({"start": when, "end": later}, {"start": later, "end": when},
                   {"start": when, "end": when}):
        found = await gateway.get("/api/v1/availability",
                                  params={"service_id": service_id, **params})
        assert (await _error(found, 422))["code"] == "invalid_request"
    for name in ("preferred_start", "preferred_end"):
        found = await gateway.get("/api/v1/suggestions",
                                  params={"service_id": service_id, name: when})
        assert (await _error(found, 422))["field"] == name
    booked = await gateway.post("/api/v1/appointments", json=_booking(service_id, when),
                                headers={**ADMIN, "Idempotency-Key": "far-" + when})
    assert (await _error(booked, 422))["field"] == "start"
    real = await gateway.post("/api/v1/appointments", json=_booking(service_id, start),
                              headers={**ADMIN, "Idempotency-Key": "real-" + when})
    appointment = (await real.json())["appointment"]["id"]
    moved = await gateway.post(f"/api/v1/appointments/{appointment}/reschedule",
                               json={"start": when}, headers=ADMIN)
    assert (await _error(moved, 422))["field"] == "start"
    for name in ("from", "until"):
        listed = await gateway.get("/api/v1/appointments", params={name: when}, headers=ADMIN)
        assert (await _error(listed, 422))["field"] == name


async def test_naive_dates_are_refused_clearly(gateway: Client) -> None:  # noqa: F811
    service_id, start = await _first_slot(gateway)
    found = await gateway.get("/api/v1/availability", params={
        "service_id": service_id, "start": start[:19], "end": "2027-01-01T00:00:00Z"})
    assert "UTC offset" in (await _error(found, 422))["message"]


async def _admin(gateway: Client, session_factory: async_sessionmaker[AsyncSession]  # noqa: F811
                 ) -> tuple[dict[str, str], str]:
    cookies = await login_as(session_factory, "owner@example.com")
    page = await (await gateway.get("/admin", cookies=cookies)).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None, page
    return cookies, csrf.group(1)


@pytest.mark.parametrize("appointment_id", ["not-a-uuid", "1234", "%E2%98%83"])
async def test_admin_action_on_a_bad_id_is_404(
        gateway: Client, session_factory: async_sessionmaker[AsyncSession],  # noqa: F811
        appointment_id: str) -> None:
    cookies, csrf = await _admin(gateway, session_factory)
    for action in ("cancel", "check-in"):
        response = await gateway.post(f"/admin/appointments/{appointment_id}/{action}",
                                      data={"csrf": csrf}, cookies=cookies,
                                      allow_redirects=False)
        assert response.status == 404, await response.text()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-13-45", "yesterday"])
async def test_admin_listing_days_out_of_range_are_400(
        gateway: Client, session_factory: async_sessionmaker[AsyncSession],  # noqa: F811
        day: str) -> None:
    cookies, _ = await _admin(gateway, session_factory)
    for name in ("from", "until"):
        response = await gateway.get("/admin/appointments", params={name: day}, cookies=cookies)
        assert response.status == 400, await response.text()
        assert name in await response.text()


async def test_undecodable_admin_forms_are_400(
        gateway: Client, session_factory: async_sessionmaker[AsyncSession]  # noqa: F811
        ) -> None:
    cookies, _ = await _admin(gateway, session_factory)
    for path, jar in (("/admin/login", {}), ("/admin/logout", cookies)):
        response = await gateway.post(path, data=b"email=\xff\xfe&csrf=\xc3", cookies=jar,
                                      headers={"Content-Type": FORM}, allow_redirects=False)
        assert response.status == 400, (path, await response.text())
