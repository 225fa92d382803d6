"""The front desk's appointment pages with every table holding rows (tests.fill) and a second
customer: the list with names and contacts and its search, one appointment's whole record,
the desk's note, and each action behind its confirmation, told to the customer through the
outbox. Every route is attacked: malformed, unknown and held ids, missing CSRF, a replayed
POST, another staff member's appointment."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import appointment_views
from scheduling.demo import demo_catalog
from scheduling.persistence.admin_tables import AdminUserRow
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_tables import CustomerRow
from tests.fill import Filled, _appointment, drop_conversations, fill, fill_id
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import rows

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]
Factory = async_sessionmaker[AsyncSession]
GUS_PHONE = "+15555550101"


@dataclass(frozen=True)
class Desk:
    filled: Filled
    started: UUID
    """Gus's confirmed appointment that began 20 minutes ago (check-in, no-show)."""
    later: UUID
    """Gus's confirmed appointment two weeks ahead (no check-in button)."""
    cookies: dict[str, str]
    csrf: str

    @property
    def confirmed(self) -> UUID:
        return self.filled.appointment_ids["confirmed"]


@pytest.fixture
async def desk(gateway: Client, session_factory: Factory) -> AsyncIterator[Desk]:
    now = datetime.now(UTC)
    filled = await fill(session_factory, now)
    started, later = await _second_customer(session_factory, now)
    cookies = await login_as(session_factory, filled.admin_email)
    yield Desk(filled, started, later, cookies, await _csrf(gateway, cookies))
    await drop_conversations(session_factory)


async def _second_customer(factory: Factory, now: datetime) -> tuple[UUID, UUID]:
    gus = fill_id("customer/gus")
    ids = (fill_id("appointment/gus-started"), fill_id("appointment/gus-later"))
    starts = (now - timedelta(minutes=20), now + timedelta(days=14))
    async with factory() as session:
        await session.execute(insert(CustomerRow).values(
            id=gus, business_id=demo_catalog().business.id, name="Gus Second", phone=GUS_PHONE,
            email="gus@example.com", notifications={}, preferences={}, created_at=now))
        for appointment_id, start in zip(ids, starts, strict=True):
            await session.execute(insert(AppointmentRow).values(**_appointment(
                "confirmed", start, now, gus, id=appointment_id, session_id=uuid4(),
                contact_name="Gus Second", contact_phone=GUS_PHONE,
                contact_email="gus@example.com", idempotency_key=f"gus:{appointment_id}",
                notes="")))
        await session.commit()
    return ids


async def _csrf(client: Client, cookies: dict[str, str]) -> str:
    page = await (await client.get("/admin/appointments", cookies=cookies)).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, page[-1500:]
    return found.group(1)


async def _get(client: Client, desk: Desk, path: str, status: int = 200, **query: str) -> str:
    response = await client.get(path, params=query, cookies=desk.cookies,
                                allow_redirects=False)
    body = await response.text()
    assert response.status == status, (path, query, body[-1500:])
    return body


async def _post(client: Client, desk: Desk, path: str, **form: str) -> tuple[int, str]:
    """The status and where it leads (Location, unquoted), or the body."""
    response = await client.post(path, data={"csrf": desk.csrf, **form}, cookies=desk.cookies,
                                 allow_redirects=False)
    where = response.headers.get("Location")
    return response.status, _unquoted(where) if where else await response.text()


def _unquoted(location: str) -> str:
    from urllib.parse import unquote_plus
    return unquote_plus(location)


async def _status(factory: Factory, appointment_id: UUID) -> str:
    return str((await rows(factory, "SELECT status FROM appointments WHERE id = :id",
                           id=appointment_id))[0][0])


async def _kinds(factory: Factory, appointment_id: UUID) -> list[str]:
    found = await rows(factory, "SELECT kind FROM outbox WHERE appointment_id = :id "
                                "ORDER BY created_at, kind", id=appointment_id)
    return [kind for (kind,) in found]


async def _signed(factory: Factory, appointment_id: UUID, to: str) -> str:
    """The desk account the audit entry of the change to `to` names."""
    found = await rows(factory, "SELECT data FROM booking_events WHERE subject_id = :id AND "
                       "to_status = :to", id=appointment_id, to=to)
    return str(found[0][0]["by"])


async def test_the_list_names_each_customer_and_finds_them_however_typed(
    gateway: Client, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = await _get(gateway, desk, "/admin/appointments")
    for shown in ("Fillia Everyrow", "+15550009001", "Gus Second", "gus@example.com",
                  f'href="/admin/appointments/{desk.confirmed}"'):
        assert shown in listing
    for typed in ("555 555 0101", "+1 555-555-0101", "(555) 555-0101", "5550101", "gus",
                  "GUS@example.COM"):
        found = await _get(gateway, desk, "/admin/appointments", q=typed)
        assert "Gus Second" in found and "Fillia Everyrow" not in found, typed
    by_reference = await _get(gateway, desk, "/admin/appointments",
                              q=str(desk.confirmed)[:8].upper())
    assert f"/admin/appointments/{desk.confirmed}" in by_reference
    assert "Gus Second" not in by_reference
    for nothing in ("nobody at all", "%", "_", "\\", "x" * 5000, "a\x00b", "555"):
        assert "No appointments match" in await _get(gateway, desk, "/admin/appointments",
                                                     q=nothing), nothing
    monkeypatch.setattr(appointment_views, "PAGE_SIZE", 3)
    until = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    seen, pages = [], 0
    page = await _get(gateway, desk, f"/admin/appointments?q=fillia&until={until}")
    assert 'name="q" value="fillia"' in page
    while True:
        pages += 1
        seen += dict.fromkeys(re.findall(r'<a href="/admin/appointments/([0-9a-f-]{36})">',
                                         page))
        more = re.search(r'<a href="\?([^"]+)">Next page</a>', page)
        if more is None:
            break
        query = more.group(1).replace("&amp;", "&")
        assert "q=fillia" in query and f"until={until}" in query
        page = await _get(gateway, desk, "/admin/appointments?" + query)
    assert len(seen) == len(set(seen)) == 7 and pages == 3  # all but the hold, none twice


async def test_one_appointment_shows_customer_history_note_payment_messages_and_audit(
    gateway: Client, desk: Desk
) -> None:
    page = await _get(gateway, desk, f"/admin/appointments/{desk.confirmed}")
    ids = desk.filled.appointment_ids
    for shown in ("Fillia Everyrow", "+15550009001", "fillia@example.com", "Filled desk note",
                  "payments-heading", "filled bounce", "fill-failed@example.com",
                  "filled event", "1 no-show", f"/admin/appointments/{ids['no_show']}",
                  f"/admin/appointments/{ids['rescheduled']}", "confirmation",
                  str(desk.confirmed)[:8].upper()):
        assert shown in page, shown
    assert "/check-in" not in page  # two days ahead: no check-in button yet
    assert f"/admin/appointments/{desk.confirmed}/cancel" in page
    started = await _get(gateway, desk, f"/admin/appointments/{desk.started}")
    assert f"/admin/appointments/{desk.started}/check-in" in started
    assert f"/admin/appointments/{desk.started}/no-show" in started
    later = await _get(gateway, desk, f"/admin/appointments/{desk.later}")
    assert "/check-in" not in later and "/no-show" not in later


async def test_the_desk_note_is_saved_and_a_stale_edit_comes_back_with_its_text(
    gateway: Client, desk: Desk
) -> None:
    path = f"/admin/appointments/{desk.confirmed}/note"
    status, where = await _post(gateway, desk, path, note="Prefers the window seat",
                                was="Filled desk note")
    assert status == 303 and "Note saved" in where
    page = await _get(gateway, desk, f"/admin/appointments/{desk.confirmed}")
    assert "Prefers the window seat" in page and desk.filled.admin_email in page
    status, body = await _post(gateway, desk, path, note="My late edit", was="Filled desk note")
    assert status == 409 and "changed the note meanwhile" in body and "My late edit" in body
    status, body = await _post(gateway, desk, path, note="x" * 5000, was="")
    assert status == 422
    assert "Prefers the window seat" in await _get(gateway, desk,
                                                   f"/admin/appointments/{desk.confirmed}")


async def test_every_route_refuses_bad_ids_and_missing_csrf(
    gateway: Client, desk: Desk, session_factory: Factory
) -> None:
    held = desk.filled.appointment_ids["held"]
    for bad in ("not-a-uuid", "1234", "%E2%98%83", str(uuid4()), str(held)):
        await _get(gateway, desk, f"/admin/appointments/{bad}", 404)
        for action in ("cancel", "complete", "no-show", "reschedule"):
            await _get(gateway, desk, f"/admin/appointments/{bad}/{action}", 404)
        for action in ("cancel", "complete", "no-show", "reschedule", "check-in", "note"):
            status, _ = await _post(gateway, desk, f"/admin/appointments/{bad}/{action}",
                                    confirmed="yes", reason="r", note="n")
            assert status == 404, (bad, action)
    for csrf in ({}, {"csrf": "forged"}):
        response = await gateway.post(f"/admin/appointments/{desk.confirmed}/cancel",
                                      data={**csrf, "confirmed": "yes", "reason": "r"},
                                      cookies=desk.cookies, allow_redirects=False)
        assert response.status == 403
    assert await _status(session_factory, desk.confirmed) == "confirmed"


async def test_cancel_states_its_terms_needs_a_reason_tells_the_customer_once(
    gateway: Client, desk: Desk, session_factory: Factory
) -> None:
    path = f"/admin/appointments/{desk.confirmed}/cancel"
    confirm = await _get(gateway, desk, path)
    assert "Fee:" in confirm and "Refund:" in confirm and 'name="reason"' in confirm
    status, where = await _post(gateway, desk, path, reason="the salon floods")
    assert status == 303 and where == path  # not confirmed: sent to the confirmation first
    status, where = await _post(gateway, desk, path, confirmed="yes", reason="  ")
    assert status == 303 and "Not done" in where
    assert await _status(session_factory, desk.confirmed) == "confirmed"
    status, where = await _post(gateway, desk, path, confirmed="yes", reason="the salon floods")
    assert status == 303 and "customer is told" in where
    assert await _status(session_factory, desk.confirmed) == "cancelled"
    payloads = await rows(session_factory, "SELECT payload FROM outbox WHERE appointment_id = "
                          ":id AND kind = 'cancellation'", id=desk.confirmed)
    assert [p["reason"] for (p,) in payloads] == ["the salon floods"]
    assert payloads[0][0]["offer_new_times"] is True
    status, where = await _post(gateway, desk, path, confirmed="yes", reason="again")
    assert status == 303 and "already cancelled" in where
    assert len(await rows(session_factory, "SELECT 1 FROM outbox WHERE appointment_id = :id "
                          "AND kind = 'cancellation'", id=desk.confirmed)) == 1
    page = await _get(gateway, desk, f"/admin/appointments/{desk.confirmed}")
    assert "the salon floods" in page and f"{path}\"" not in page
    assert f"owner ({desk.filled.admin_email})</td>" in page  # the audit trail names the desk
    assert await _signed(session_factory, desk.confirmed, "cancelled") == desk.filled.admin_email


async def test_no_show_and_completed_only_once_started(
    gateway: Client, desk: Desk, session_factory: Factory
) -> None:
    early = await _get(gateway, desk, f"/admin/appointments/{desk.later}/no-show")
    assert "starts later" in early and 'name="confirmed"' not in early
    status, where = await _post(gateway, desk, f"/admin/appointments/{desk.later}/complete",
                                confirmed="yes")
    assert status == 303 and "once it has started" in where
    assert await _status(session_factory, desk.later) == "confirmed"
    path = f"/admin/appointments/{desk.started}/no-show"
    assert "we missed you" in await _get(gateway, desk, path)
    status, where = await _post(gateway, desk, path, confirmed="yes")
    assert status == 303 and "no-show" in where
    assert await _status(session_factory, desk.started) == "no_show"
    assert "no_show" in await _kinds(session_factory, desk.started)
    status, where = await _post(gateway, desk, path, confirmed="yes")
    assert "already no show" in where
    status, where = await _post(gateway, desk, f"/admin/appointments/{desk.started}/check-in")
    assert "Not done" in where


async def test_check_in_around_the_time_only(
    gateway: Client, desk: Desk, session_factory: Factory
) -> None:
    status, where = await _post(gateway, desk, f"/admin/appointments/{desk.later}/check-in")
    assert status == 303 and "Not done" in where
    status, where = await _post(gateway, desk, f"/admin/appointments/{desk.started}/check-in")
    assert status == 303 and "Checked in" in where
    checked = await rows(session_factory, "SELECT checked_in_at FROM appointments WHERE id = "
                         ":id", id=desk.started)
    assert checked[0][0] is not None
    page = await _get(gateway, desk, f"/admin/appointments/{desk.started}")
    assert "/check-in" not in page and "/no-show" not in page and "/complete" in page


async def test_reschedule_offers_the_staff_members_free_times_and_tells_the_customer(
    gateway: Client, desk: Desk, session_factory: Factory
) -> None:
    path = f"/admin/appointments/{desk.later}/reschedule"
    picker = await _get(gateway, desk, path)
    day = (datetime.now(UTC) + timedelta(days=15)).date().isoformat()
    picker = await _get(gateway, desk, path, date=day)
    times = re.findall(r'href="(/admin/appointments/[^"]+start=[^"]+)"', picker)
    assert times, picker[-2000:]
    confirm = await _get(gateway, desk, times[0].replace("&amp;", "&"))
    start = re.search(r'name="start" value="([^"]+)"', confirm)
    assert start is not None and "Move the appointment" in confirm
    status, where = await _post(gateway, desk, path, confirmed="yes", start=start.group(1))
    assert status == 303 and "customer is told" in where, where
    new = UUID(re.search(r"/admin/appointments/([0-9a-f-]{36})", where).group(1))  # type: ignore[union-attr]
    assert await _status(session_factory, desk.later) == "rescheduled"
    moved = await rows(session_factory, "SELECT status, starts_at FROM appointments WHERE id "
                       "= :id", id=new)
    assert moved == [("confirmed", datetime.fromisoformat(start.group(1)))]
    assert "reschedule" in await _kinds(session_factory, new)
    for moved_id, to in ((desk.later, "rescheduled"), (new, "confirmed")):
        assert await _signed(session_factory, moved_id, to) == desk.filled.admin_email
    status, where = await _post(gateway, desk, path, confirmed="yes", start=start.group(1))
    assert "already rescheduled" in where
    for bad in ({"date": "9999-12-31"}, {"date": "2026-13-45"}, {"date": "20261201"}):
        await _get(gateway, desk, f"/admin/appointments/{new}/reschedule", 422, **bad)
    for start_at in ("garbage", "9999-12-31T10:00:00+00:00", "2027-01-01T10:00:00"):
        await _get(gateway, desk, f"/admin/appointments/{new}/reschedule", 422, start=start_at)
        status, _ = await _post(gateway, desk, f"/admin/appointments/{new}/reschedule",
                                confirmed="yes", start=start_at)
        assert status == 422


async def test_a_staff_account_sees_and_changes_only_its_own_appointments(
    gateway: Client, desk: Desk, session_factory: Factory
) -> None:
    ana, other = demo_catalog().staff[0], demo_catalog().staff[1]
    for email, member in (("other@example.com", other), ("ana@example.com", ana)):
        await login_as(session_factory, email)
        async with session_factory() as session:
            await session.execute(update(AdminUserRow).where(AdminUserRow.email == email)
                                  .values(role="staff", staff_id=member.id))
            await session.commit()
    theirs = await login_as(session_factory, "other@example.com")
    staff_desk = Desk(desk.filled, desk.started, desk.later, theirs,
                      await _csrf(gateway, theirs))
    listing = await _get(gateway, staff_desk, "/admin/appointments")
    assert "Fillia Everyrow" not in listing and "Gus Second" not in listing
    assert "Fillia Everyrow" not in await _get(gateway, staff_desk, "/admin/appointments",
                                               q="fillia", staff_id=str(ana.id))
    await _get(gateway, staff_desk, f"/admin/appointments/{desk.confirmed}", 404)
    await _get(gateway, staff_desk, f"/admin/appointments/{desk.confirmed}/reschedule", 404)
    for action in ("cancel", "note", "check-in", "no-show"):
        status, _ = await _post(gateway, staff_desk, f"/admin/appointments/{desk.started}/"
                                f"{action}", confirmed="yes", reason="r", note="n", was="")
        assert status == 404, action
    assert await _status(session_factory, desk.started) == "confirmed"
    hers = await login_as(session_factory, "ana@example.com")
    ana_desk = Desk(desk.filled, desk.started, desk.later, hers, await _csrf(gateway, hers))
    assert "Fillia Everyrow" in await _get(gateway, ana_desk, "/admin/appointments")
    await _get(gateway, ana_desk, f"/admin/appointments/{desk.confirmed}")
