"""The catalog screens on the demo salon, through their forms: every link on the overview
followed and every form saved, bad input answered beside its field, archiving, and a change
that strands a booked appointment listing it for "notify and offer new times"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.demo import demo_catalog
from scheduling.persistence.admin_sessions import IDLE
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_repository import CatalogRepository
from tests.fill import drop_conversations, fill
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import rows
from tests.gateway.conftest import API_KEY
from tests.gateway.html_forms import Form, Page

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]


async def _page(client: Client, path: str, cookies: dict[str, str]) -> Page:
    response = await client.get(path, cookies=cookies)
    body = await response.text()
    assert response.status == 200, (path, body[-1500:])
    return Page.of(body)


def _save_form(page: Page) -> Form:
    return page.form_with("Save")[0]


async def _submit(client: Client, form: Form, cookies: dict[str, str],
                  **typed: Any) -> tuple[int, str, str | None]:
    body = {**form.fields, **typed}
    pairs = [(k, item) for k, v in body.items() for item in (v if isinstance(v, list) else [v])]
    response = await client.post(form.action, data=pairs, cookies=cookies,
                                 allow_redirects=False)
    return response.status, await response.text(), response.headers.get("Location")


async def test_every_screen_opens_and_saves_as_it_is(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    await _save_every_screen(gateway, cookies)
    setup = await _page(gateway, "/admin/setup", cookies)
    assert setup.forms


async def test_every_screen_saves_with_every_table_filled(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Appointments of every status, time off, a blocked customer, waitlist entries...:
    saving each screen as shown changes nothing and strands nothing."""
    filled = await fill(session_factory, datetime.now(UTC))
    try:
        cookies = await login_as(session_factory, filled.admin_email)
        await _save_every_screen(gateway, cookies)
        assert await rows(session_factory, "SELECT status FROM appointments WHERE id = :id",
                          id=filled.appointment_ids["confirmed"]) == [("confirmed",)]
    finally:
        await drop_conversations(session_factory)


async def test_an_expired_session_is_sent_to_sign_in(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Another admin's session, idle too long: every screen and every form answers with the
    login page (nothing is saved), never an error."""
    stale = await login_as(session_factory, "other@example.com",
                           datetime.now(UTC) - IDLE - timedelta(minutes=1))
    for method, path in (("GET", "/admin/catalog"), ("GET", "/admin/catalog/rules"),
                         ("POST", "/admin/catalog/services/new"), ("POST", "/admin/setup/review"),
                         ("POST", "/admin/catalog/stranded")):
        answer = await gateway.request(method, path, cookies=stale, allow_redirects=False,
                                       data={"name": "Ghost", "csrf": "x"})
        assert answer.status == 303 and answer.headers["Location"].startswith("/admin/login")


async def _save_every_screen(client: Client, cookies: dict[str, str]) -> None:
    """Follow every link of the catalog overview and save each form as it is shown."""
    overview = await _page(client, "/admin/catalog", cookies)
    edits = [a.href for a in overview.links if a.href.startswith("/admin/catalog/")]
    assert len(edits) == 4 + 3 + 1 + 5 + 3  # settings, add links, location, services, staff
    for path in edits:
        page = await _page(client, path, cookies)
        assert "/staff/" not in path or path.endswith("/new") or page.link(
            "Connect or check calendars") == "/admin/calendars"
        if path.endswith(("/new", "/blocklist")):  # empty forms; the blocklist's own test
            continue
        status, body, where = await _submit(client, _save_form(page), cookies)
        assert status == 303 and where is not None, (path, body[-2000:])
        assert where.startswith("/admin/catalog?notice=Saved")


async def _location_form(client: Client, cookies: dict[str, str]) -> tuple[str, Form]:
    """The demo's one location: its address and its form, as the overview links to it."""
    overview = await _page(client, "/admin/catalog", cookies)
    location = next(a.href for a in overview.links if "/locations/" in a.href
                    and not a.href.endswith("/new"))
    return location, _save_form(await _page(client, location, cookies))


async def test_bad_input_is_answered_beside_the_field(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    location, form = await _location_form(gateway, cookies)
    for typed, words in (({"hours_mon": "22:00-02:00"}, "each ends by midnight"),
                         ({"hours_tue": "09:00-13:00, 12:00-14:00"}, "overlaps"),
                         ({"time_zone": "Mars/Olympus"}, "Choose a time zone"),
                         ({"name": ""}, "Enter the name")):
        status, body, _ = await _submit(gateway, form, cookies, **typed)
        assert status == 422 and words in body, (typed, body[-2500:])
        assert 'class="error' in body
    service = _save_form(await _page(gateway, "/admin/catalog/services/new", cookies))
    status, body, _ = await _submit(gateway, service, cookies, name="Scalp care",
                                    duration="-30", price="20", deposit="50",
                                    required_skills="cut")
    assert status == 422 and "whole number from 1 to 720" in body
    assert "deposit cannot be more than the price" in body
    status, body, _ = await _submit(gateway, service, cookies, name="Beard",
                                    required_skills="cut")
    assert status == 422 and "&#39;Beard&#39; already names &#39;Beard trim&#39;" in body
    staff = _save_form(await _page(gateway, "/admin/catalog/staff/new", cookies))
    status, body, _ = await _submit(gateway, staff, cookies, name="Lea",
                                    breaks_mon="12:00-13:00, 12:30-13:30",
                                    time_off="2026-13-40 whenever",
                                    overrides="tomorrow off")
    assert status == 422 and 'id="time_off-error">Line 1: write it like 2026-12-20' in body
    assert 'id="overrides-error">Line 1: write it like 2026-12-24' in body
    status, body, _ = await _submit(gateway, staff, cookies, name="Lea",
                                    time_off="9999-12-31 blocked", overrides="9999-12-31 off")
    assert status == 422 and 'id="time_off-error">Line 1' in body
    status, body, _ = await _submit(gateway, staff, cookies, name="Lea",
                                    breaks_mon="12:00-13:00, 12:30-13:30")
    assert status == 422 and "Mon 12:00-13:00 overlaps 12:30-13:30</p>" in body
    missing = await gateway.get("/admin/catalog/services/" + "0" * 8, cookies=cookies)
    assert missing.status == 404
    forged = await gateway.post(location, data={**form.fields, "csrf": "x"}, cookies=cookies)
    assert forged.status == 403


async def test_create_archive_and_rebook_what_a_change_strands(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    service = _save_form(await _page(gateway, "/admin/catalog/services/new", cookies))
    status, body, _ = await _submit(gateway, service, cookies, name="Scalp care",
                                    duration="40", price="50", deposit="10",
                                    required_skills="cut", capacity="1")
    assert status == 303, body[-2000:]
    listed = await (await gateway.get("/api/v1/services")).json()
    scalp = next(s for s in listed["items"] if s["name"] == "Scalp care")

    booked = await _book(gateway, scalp["id"])
    staff_path = f"/admin/catalog/staff/{booked['staff_id']}"
    form = _save_form(await _page(gateway, staff_path, cookies))
    zone_day = booked["start"][:10]
    status, body, _ = await _submit(gateway, form, cookies,
                                    time_off=f"{zone_day} blocked for a training")
    assert status == 200 and "Notify and offer new times" in body, body[-2000:]
    rebook = Page.of(body).form_with("Notify and offer new times")[0]
    assert rebook.fields["appointment_id"] == booked["id"]
    status, _, where = await _submit(gateway, rebook, cookies)
    assert status == 303 and where is not None and "Cancelled%201" in where
    async with session_factory() as session:
        state = await session.scalar(select(AppointmentRow.status).where(
            AppointmentRow.id == booked["id"]))
    assert state == "cancelled"

    archive = Page.of(await (await gateway.get(f"/admin/catalog/services/{scalp['id']}",
                                               cookies=cookies)).text())
    form, button = archive.form_with("Archive Scalp care")
    status, _, where = await _submit(gateway, form, cookies)
    assert status == 303
    listed = await (await gateway.get("/api/v1/services")).json()
    assert "Scalp care" not in {s["name"] for s in listed["items"]}
    gone = await gateway.get(f"/admin/catalog/services/{scalp['id']}", cookies=cookies)
    assert gone.status == 404


async def _book(client: Client, service_id: str) -> dict[str, Any]:
    start = datetime.now(UTC) + timedelta(days=3)
    slots = await (await client.get("/api/v1/availability", params={
        "service_id": service_id, "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})).json()
    first = slots["items"][0]
    made = await client.post("/api/v1/appointments", headers={
        "Idempotency-Key": "catalog-test", "X-API-Key": API_KEY}, json={
        "service_id": service_id, "start": first["start"],
        "customer": {"name": "Noor Haddad", "phone": "+15550003001"}})
    assert made.status == 201, await made.text()
    appointment: dict[str, Any] = (await made.json())["appointment"]
    return appointment


async def test_closures_and_a_service_s_own_terms_are_kept(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    location, form = await _location_form(gateway, cookies)
    status, body, _ = await _submit(gateway, form, cookies, closures="2027-03-02 2027-03-01 x")
    assert status == 422 and 'id="closures-error">Line 1: write it like' in body
    status, _, _ = await _submit(gateway, form, cookies,
                                 closures="2027-03-01 2027-03-02 Refit\n2027-04-05 Easter")
    assert status == 303
    shown = await (await gateway.get(location, cookies=cookies)).text()
    assert "2027-03-01 2027-03-02 Refit\n2027-04-05 2027-04-05 Easter" in shown

    service = _save_form(await _page(gateway, "/admin/catalog/services/new", cookies))
    status, body, _ = await _submit(gateway, service, cookies, name="Keratin treatment",
                                    price="150", required_skills="colour",
                                    free_cancellation_hours="48", late_cancel_fee="40")
    assert status == 303, body[-2000:]
    async with session_factory() as session:
        catalog = await CatalogRepository(session).get(demo_catalog().business.id)
    keratin = catalog.find_service("Keratin treatment")
    assert keratin.cancellation is not None
    assert (keratin.cancellation.free_cancellation_hours, str(
        keratin.cancellation.late_cancel_fee)) == (48, "40")
    assert catalog.find_service("Men's cut").cancellation is None


async def test_a_service_s_own_reminders(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Saved as shown, a service keeps following the business's lead times; changed, it
    has its own."""
    cookies = await login_as(session_factory, "owner@example.com")
    cut = demo_catalog().find_service("Men's cut").id
    page = await _page(gateway, f"/admin/catalog/services/{cut}", cookies)
    form = _save_form(page)
    assert form.fields["reminder_hours"] == "24, 1"
    status, body, _ = await _submit(gateway, form, cookies, reminder_hours="24, later")
    assert status == 422 and 'id="reminder_hours-error"' in body
    assert (await _submit(gateway, form, cookies))[0] == 303
    assert await rows(session_factory, "SELECT minutes FROM reminder_offsets "
                      "WHERE scope_id = :id", id=cut) == []
    assert (await _submit(gateway, form, cookies, reminder_hours="48, 2h, 30m"))[0] == 303
    shown = _save_form(await _page(gateway, f"/admin/catalog/services/{cut}", cookies))
    assert shown.fields["reminder_hours"] == "48, 2, 30m"
    status, body, _ = await _submit(gateway, form, cookies, reminder_hours="0m")
    assert status == 422 and "between a minute and 30 days" in body


ODD = ("\x00", "-1", "9999-12-31", "9999-12-31 23:59 - 9999-12-31 23:59 x", "ÿ" * 400,
       "1e400", "NaN", "24:00-25:00", "00:00-00:00", "09:00-13:00;12:00-14:00")


async def test_nothing_typed_into_any_form_answers_500(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Every field of every catalog form, and of the wizard's steps, filled with each odd
    value at once: a page that says what is wrong (or a save), never a server error."""
    cookies = await login_as(session_factory, "owner@example.com")
    overview = await _page(gateway, "/admin/catalog", cookies)
    paths = [a.href for a in overview.links if a.href.startswith("/admin/catalog/")]
    paths += [f"/admin/setup/{step}" for step in ("business", "hours", "services", "staff")]
    for path in paths:
        page = await _page(gateway, path, cookies)
        for form in page.forms:
            if form.method != "post" or "logout" in form.action:
                continue
            for odd in ODD:
                typed = {k: odd for k in form.fields if k != "csrf"}
                status, body, _ = await _submit(gateway, form, cookies, **typed)
                assert status < 500, (path, form.action, odd, body[-1500:])


async def test_archiving_a_booked_staff_member_lists_the_booking(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    """Archived, a staff member is no longer offered; the appointment booked with them is
    listed for rebooking, and left booked when the owner chooses so."""
    cookies = await login_as(session_factory, "owner@example.com")
    booked = await _book(gateway, str(demo_catalog().find_service("Beard trim").id))
    path = f"/admin/catalog/staff/{booked['staff_id']}"
    page = await _page(gateway, path, cookies)
    form, button = next((f, b) for f in page.forms for b in f.buttons
                        if b.text.startswith("Archive "))
    status, body, _ = await _submit(gateway, form, cookies)
    assert status == 200 and "Notify and offer new times" in body, body[-2000:]
    assert Page.of(body).link("Leave them booked") == "/admin/catalog"
    staff = (await (await gateway.get("/api/v1/staff")).json())["items"]
    assert booked["staff_id"] not in {m["id"] for m in staff}
    assert await rows(session_factory, "SELECT status FROM appointments WHERE id = :id",
                      id=booked["id"]) == [("confirmed",)]
    assert (await gateway.get(path, cookies=cookies)).status == 404
    overview = await (await gateway.get("/admin/catalog", cookies=cookies)).text()
    archived = overview[overview.index('id="archived-h"'):]
    assert f"<li>{demo_catalog().staff_member(UUID(booked['staff_id'])).name}</li>" in archived
