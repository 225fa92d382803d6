"""The owner at the desk: a deposit booked without Stripe is confirmed and owed, the detail
page shows it, and the owner marks it paid (cash or card) with a confirmation step, once,
audited under their name. Staff accounts, a wrong id, a missing or forged CSRF token, an
unknown way of paying, a cancelled booking and one without a deposit are refused with a clear
4xx or a notice, never a 500. The owner chooses how deposits are paid (online only with
Stripe's keys)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest
from sqlalchemy import update

from scheduling.demo import demo_catalog
from scheduling.persistence.admin_tables import AdminUserRow
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import Client, Factory, execute, press, rows, to_confirm

pytestmark = pytest.mark.db
OWNER = "owner@example.com"


async def _booked(gateway: Client, factory: Factory, service: str = "colour",
                  phone: str = "(212) 555-0142") -> UUID:
    confirm, _ = await to_confirm(gateway, factory, phone=phone, service=service, staff="Ana")
    booked = await press(gateway, confirm.page, "Confirm booking")
    assert booked.status == 200, booked.html
    [(found,)] = await rows(factory, "SELECT id FROM appointments ORDER BY created_at DESC "
                            "LIMIT 1")
    return UUID(str(found))


async def _csrf(gateway: Client, cookies: dict[str, str]) -> str:
    page = await (await gateway.get("/admin/payments", cookies=cookies)).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None, page[-400:]
    return found.group(1)


async def _post(gateway: Client, path: str, cookies: dict[str, str], **data: Any) -> Any:
    return await gateway.post(path, data=data, cookies=cookies, allow_redirects=False)


def _notice(answer: Any) -> str:
    return parse_qs(urlsplit(answer.headers["Location"]).query)["notice"][0]


async def test_owner_marks_a_deposit_paid_at_the_salon_once(
    gateway: Client, session_factory: Factory,
) -> None:
    appointment = await _booked(gateway, session_factory)
    owner = await login_as(session_factory, OWNER)
    detail = await (await gateway.get(f"/admin/appointments/{appointment}", cookies=owner)).text()
    assert "to be paid at the salon" in detail and "Mark deposit paid" in detail
    csrf, paid = await _csrf(gateway, owner), f"/admin/appointments/{appointment}/paid"

    asked = await _post(gateway, paid, owner, csrf=csrf, paid_in="cash")
    assert asked.status == 200
    words = await asked.text()
    assert "Mark the deposit paid?" in words and "30.00 USD" in words
    assert (await rows(session_factory, "SELECT payment_status FROM appointments"))[0][0] == \
        "pending"  # asking changed nothing

    done = await _post(gateway, paid, owner, csrf=csrf, paid_in="cash", confirmed="yes")
    assert done.status == 303 and _notice(done) == "Deposit marked paid."
    [(status, payment, reference)] = await rows(
        session_factory, "SELECT status, payment_status, payment_reference FROM appointments")
    assert (status, payment, reference) == ("confirmed", "paid", "in person (cash)")
    again = await _post(gateway, paid, owner, csrf=csrf, paid_in="card", confirmed="yes")
    assert _notice(again) == "The deposit was already paid: nothing changed."
    audit = await rows(session_factory, "SELECT reason, data FROM booking_events WHERE "
                       "reason LIKE 'deposit paid%'")
    assert len(audit) == 1 and audit[0][1]["by"] == OWNER
    detail = await (await gateway.get(f"/admin/appointments/{appointment}", cookies=owner)).text()
    assert "in person (cash)" in detail and "Mark deposit paid" not in detail


async def test_refusals_are_clear_and_never_a_500(
    gateway: Client, session_factory: Factory,
) -> None:
    appointment = await _booked(gateway, session_factory)
    owner = await login_as(session_factory, OWNER)
    csrf, paid = await _csrf(gateway, owner), f"/admin/appointments/{appointment}/paid"
    assert (await _post(gateway, paid, owner, paid_in="cash", confirmed="yes")).status == 403
    assert (await _post(gateway, paid, owner, csrf="forged", paid_in="cash",
                        confirmed="yes")).status == 403
    for wrong in ("/admin/appointments/not-a-uuid/paid",
                  f"/admin/appointments/{UUID(int=7)}/paid"):
        assert (await _post(gateway, wrong, owner, csrf=csrf, paid_in="cash")).status == 404
    for way in ("online", "cheque", "x" * 5000, ""):
        answer = await gateway.post(paid, data={"csrf": csrf, "paid_in": way},
                                    cookies=owner, allow_redirects=False)
        assert answer.status in (400, 422), (way, answer.status)
    raw = await gateway.post(paid, data=b"csrf=" + csrf.encode() + b"&paid_in=\xff\xfe",
                             cookies=owner, allow_redirects=False,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert raw.status in (400, 422)

    staff = await login_as(session_factory, "ana@salon.example")
    async with session_factory() as db:
        await db.execute(update(AdminUserRow).where(AdminUserRow.email == "ana@salon.example")
                         .values(role="staff", staff_id=demo_catalog().staff[0].id))
        await db.commit()
    staff_csrf = await _staff_csrf(gateway, staff)
    refused = await _post(gateway, paid, staff, csrf=staff_csrf, paid_in="cash",
                          confirmed="yes")
    assert refused.status == 403
    assert (await rows(session_factory, "SELECT payment_status FROM appointments"))[0][0] == \
        "pending"

    await execute(session_factory, "UPDATE appointments SET status = 'cancelled'")
    cancelled = await _post(gateway, paid, owner, csrf=csrf, paid_in="cash", confirmed="yes")
    assert _notice(cancelled) == ("Not marked paid: a cancelled appointment cannot be marked "
                                  "paid")
    cut = await _booked(gateway, session_factory, "womens-cut", "+12125550143")
    plain = await _post(gateway, f"/admin/appointments/{cut}/paid", owner, csrf=csrf,
                        paid_in="card", confirmed="yes")
    assert _notice(plain) == "Not marked paid: this appointment has no deposit to pay"


async def _staff_csrf(gateway: Client, cookies: dict[str, str]) -> str:
    today = await (await gateway.get("/admin", cookies=cookies)).text()
    found = re.search(r'name="csrf" value="([^"]+)"', today)
    assert found is not None
    return found.group(1)


async def test_the_owner_chooses_how_deposits_are_paid(
    gateway: Client, session_factory: Factory,
) -> None:
    owner = await login_as(session_factory, OWNER)
    page = await (await gateway.get("/admin/payments", cookies=owner)).text()
    assert "Paying online needs STRIPE_SECRET_KEY" in page
    csrf = await _csrf(gateway, owner)
    refused = await _post(gateway, "/admin/payments", owner, csrf=csrf, deposits="online")
    assert refused.status == 409
    assert (await _post(gateway, "/admin/payments", owner, csrf=csrf,
                        deposits="sometimes")).status == 422
    assert (await _post(gateway, "/admin/payments", owner, deposits="salon")).status == 403
    saved = await _post(gateway, "/admin/payments", owner, csrf=csrf, deposits="salon")
    assert _notice(saved) == "Deposits: at the salon."
    assert await rows(session_factory, "SELECT deposits_online FROM booking_rules") == [(False,)]
