"""The first-run wizard on the demo salon: every step's bad answers come back with the message
beside the field, good ones move on (POST-redirect-GET), and the last step replaces the demo
so the API serves the new business."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, make_mocked_request
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session, setup_draft
from assistant.gateway.resources import SETTINGS
from scheduling.demo import demo_catalog
from scheduling.persistence.catalog_repository import CatalogRepository
from tests.gateway.admin_login import login_as
from tests.gateway.conftest import API_KEY, gateway_settings
from tests.gateway.html_forms import Page

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]

BUSINESS = {"name": "Fjord Physio", "address": "Rua Augusta 10, Lisboa",
            "time_zone": "Europe/Lisbon", "currency": "eur"}
HOURS = {f"{day}_{end}": clock for day in ("mon", "tue", "wed", "thu", "fri")
         for end, clock in (("opens", "08:00"), ("closes", "19:00"))}
SERVICES = {"service0_name": "Sports massage", "service0_minutes": "50", "service0_price": "60",
            "service0_deposit": "20", "service0_seats": "1",
            "service1_name": "Back class", "service1_minutes": "60", "service1_price": "12",
            "service1_deposit": "", "service1_seats": "8"}
STAFF = {"staff0_name": "Ines", "staff0_services": ["0", "1"],
         "staff1_name": "Tomas", "staff1_services": ["1"]}


async def _csrf(client: Client, path: str, cookies: dict[str, str]) -> str:
    page = Page.of(await (await client.get(path, cookies=cookies)).text())
    return next(form.fields["csrf"] for form in page.forms if form.action == path)


async def _post(client: Client, step: str, cookies: dict[str, str], data: dict[str, Any]
                ) -> tuple[int, str, str | None]:
    path = f"/admin/setup/{step}"
    body = [("csrf", await _csrf(client, path, cookies))]
    body += [(k, item) for k, v in data.items() for item in (v if isinstance(v, list) else [v])]
    response = await client.post(path, data=body, cookies=cookies, allow_redirects=False)
    return response.status, await response.text(), response.headers.get("Location")


async def test_wizard_replaces_the_demo(gateway: Client,
                                        session_factory: async_sessionmaker[AsyncSession]
                                        ) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    first = await gateway.get("/admin/setup", cookies=cookies, allow_redirects=False)
    assert 'action="/admin/setup/business"' in await first.text()
    assert "replace it with your own business" in await (
        await gateway.get("/admin/setup/business", cookies=cookies)).text()

    status, body, _ = await _post(gateway, "business", cookies, {
        **BUSINESS, "name": " ", "time_zone": "Mars/Olympus", "currency": "XYZ1"})
    assert status == 422
    assert 'id="name-error">Enter the business name.' in body
    assert 'aria-invalid="true"' in body and "Choose a time zone from the list" in body
    assert "three-letter currency code" in body and 'value="Rua Augusta 10, Lisboa"' in body
    await _answer(gateway, "business", cookies, BUSINESS, "hours")

    early = await gateway.get("/admin/setup/review", cookies=cookies, allow_redirects=False)
    assert early.headers["Location"] == "/admin/setup/hours"
    status, body, _ = await _post(gateway, "hours", cookies, {"mon_opens": "22:00",
                                                              "mon_closes": "02:00"})
    assert status == 422 and "by midnight (00:00)" in body
    await _answer(gateway, "hours", cookies, HOURS, "services")

    status, body, _ = await _post(gateway, "services", cookies, {
        **SERVICES, "service0_minutes": "-30", "service0_deposit": "99"})
    assert status == 422 and "whole number from 5 to 720" in body
    assert "deposit cannot be more than the price" in body
    await _answer(gateway, "services", cookies, SERVICES, "staff")

    status, body, _ = await _post(gateway, "staff", cookies, {"staff0_name": "Ines"})
    assert status == 422 and "Tick at least one service" in body
    await _answer(gateway, "staff", cookies, STAFF, "review")

    review = await (await gateway.get("/admin/setup/review", cookies=cookies)).text()
    assert "Back class (60 min, 8 seats)" in review and "Ines, Tomas" in review
    status, _, where = await _post(gateway, "review", cookies, {})
    assert status == 303 and where is not None
    assert where.startswith("/admin/catalog?notice=Fjord%20Physio%20is%20set%20up")
    await _check_served(gateway, session_factory)


async def _answer(client: Client, step: str, cookies: dict[str, str], data: dict[str, Any],
                  following: str) -> None:
    """Answer a step well; the draft cookie the answer sets goes with the next requests."""
    status, body, where = await _post(client, step, cookies, data)
    assert (status, where) == (303, f"/admin/setup/{following}"), body[-1500:]
    shown = await (await client.get(f"/admin/setup/{step}", cookies=cookies)).text()
    assert "Save and continue" in shown  # going back shows the step again, filled in


async def _check_served(client: Client,
                        session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        repository = CatalogRepository(session)
        ids = await repository.business_ids()
        catalog = await repository.get(ids[0])
    assert demo_catalog().business.id not in ids and catalog.business.name == "Fjord Physio"
    assert catalog.business.policies.currency == "EUR"
    business = await (await client.get("/api/v1/business")).json()
    assert business["name"] == "Fjord Physio"
    services = (await (await client.get("/api/v1/services")).json())["items"]
    massage = next(s for s in services if s["name"] == "Sports massage")
    start = datetime.now(UTC) + timedelta(days=2)
    slots = await (await client.get("/api/v1/availability", params={
        "service_id": massage["id"], "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})).json()
    assert slots["items"], slots


async def test_a_draft_belongs_to_its_session(gateway: Client,
                                              session_factory: async_sessionmaker[AsyncSession]
                                              ) -> None:
    """A draft cookie carried into another admin's session reads as no draft: its wizard
    starts at the first step."""
    mine = await login_as(session_factory, "owner@example.com")
    await _answer(gateway, "business", mine, BUSINESS, "hours")
    draft = gateway.session.cookie_jar.filter_cookies(gateway.make_url("/admin/setup"))
    theirs = await login_as(session_factory, "other@example.com")
    theirs |= {"setup_draft": draft["setup_draft"].value}
    again = await gateway.get("/admin/setup", cookies=theirs, allow_redirects=False)
    assert 'action="/admin/setup/business"' in await again.text()
    for forged in ("!!!.abc", "e30.0000", "", "e30.\u00e9t\u00e9"):
        answer = await gateway.get("/admin/setup/hours", allow_redirects=False,
                                   cookies=theirs | {"setup_draft": forged})
        assert answer.headers["Location"] == "/admin/setup/business"


async def test_csrf_and_sign_in_are_required(gateway: Client,
                                             session_factory: async_sessionmaker[AsyncSession]
                                             ) -> None:
    signed_out = await gateway.post("/admin/setup/business", data=BUSINESS,
                                    allow_redirects=False)
    assert signed_out.status == 303 and "/admin/login" in signed_out.headers["Location"]
    cookies = await login_as(session_factory, "owner@example.com")
    forged = await gateway.post("/admin/setup/business", data={**BUSINESS, "csrf": "x"},
                                cookies=cookies)
    assert forged.status == 403
    missing = await gateway.get("/admin/setup/elsewhere", cookies=cookies)
    assert missing.status == 404


async def test_a_repeated_last_step_lands_on_the_same_business(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """The review posted again (a reload) or twice at once (a double click): a later one
    finds the new business served, by name, and updates it in place; there is still one
    business, and no error."""
    cookies = await login_as(session_factory, "owner@example.com")
    for step, data, following in (("business", BUSINESS, "hours"), ("hours", HOURS, "services"),
                                  ("services", SERVICES, "staff"), ("staff", STAFF, "review")):
        await _answer(gateway, step, cookies, data, following)
    path = "/admin/setup/review"
    csrf = await _csrf(gateway, path, cookies)
    draft = gateway.session.cookie_jar.filter_cookies(gateway.make_url(path))["setup_draft"]
    def submit() -> Any:
        return gateway.post(path, data={"csrf": csrf}, allow_redirects=False,
                            cookies=cookies | {"setup_draft": draft.value})
    answers = [await submit(), await submit(), *await asyncio.gather(submit(), submit())]
    assert [a.status for a in answers] == [303] * 4
    async with session_factory() as session:
        assert len(await CatalogRepository(session).business_ids()) == 1


def test_a_draft_too_long_for_a_cookie_is_not_kept(tmp_path: Path) -> None:
    """A browser drops a cookie over 4 KB without a word (the wizard would start again):
    such a draft has no cookie value, and its step says so. Compressed, the wizard's own
    limits stay well under it; the limit guards a draft that grows."""
    app = web.Application()
    app[SETTINGS] = gateway_settings("postgresql://unused", tmp_path, 1)
    request = make_mocked_request("POST", "/admin/setup/staff", app=app)
    now = datetime.now(UTC)
    admin = session.AdminSession("owner@example.com", "0" * 64, now, now)
    short = setup_draft.encoded(request, admin, {"business": BUSINESS})
    assert short is not None and len(short) < 400
    noise = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(4000))
    assert setup_draft.encoded(request, admin, {"business": {"name": noise}}) is None


async def test_setting_up_again_with_shorter_hours_lists_what_it_strands(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """The wizard run again for the same business (by name) updates it in place; a booking
    its new hours leave out is listed with "Notify and offer new times"."""
    cookies = await login_as(session_factory, "owner@example.com")
    for step, data, following in (("business", BUSINESS, "hours"), ("hours", HOURS, "services"),
                                  ("services", SERVICES, "staff"), ("staff", STAFF, "review")):
        await _answer(gateway, step, cookies, data, following)
    assert (await _post(gateway, "review", cookies, {}))[0] == 303
    booked = await _book_first(gateway, "Sports massage")
    evenings = {key: "17:00" if key.endswith("opens") else "19:00" for key in HOURS}
    for step, data, following in (("business", BUSINESS, "hours"),
                                  ("hours", evenings, "services"),
                                  ("services", SERVICES, "staff"), ("staff", STAFF, "review")):
        await _answer(gateway, step, cookies, data, following)
    status, body, _ = await _post(gateway, "review", cookies, {})
    assert status == 200 and "Notify and offer new times" in body
    assert Page.of(body).form_with("Notify and offer new times")[0].fields[
        "appointment_id"] == booked


async def _book_first(client: Client, name: str) -> str:
    services = (await (await client.get("/api/v1/services")).json())["items"]
    service = next(s["id"] for s in services if s["name"] == name)
    start = datetime.now(UTC) + timedelta(days=2)
    slots = await (await client.get("/api/v1/availability", params={
        "service_id": service, "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})).json()
    made = await client.post("/api/v1/appointments", headers={
        "Idempotency-Key": "setup-again", "X-API-Key": API_KEY}, json={
        "service_id": service, "start": slots["items"][0]["start"],
        "customer": {"name": "Ana Lima", "phone": "+351912345678"}})
    assert made.status == 201, await made.text()
    return str((await made.json())["appointment"]["id"])
