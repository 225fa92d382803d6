"""Fees at the salon (no Stripe): a no-show is charged nothing online; its appointment shows
the no-show fee owed, less the deposit it kept, and the owner marks it paid at the desk
through a confirmation step, once, recorded under their name; a missing CSRF token, an unknown
way of paying, an unknown appointment and one owing no fee are refused clearly (a staff
account: tests/gateway/test_staff_permissions.py)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest

from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import Client, Factory, execute, press, rows, to_confirm

pytestmark = pytest.mark.db
OWNER = "owner@example.com"


async def _no_show(gateway: Client, factory: Factory, owner: dict[str, str]) -> UUID:
    """A Colour booked on /book (its $30 deposit owed at the salon), begun two hours ago and
    marked a no-show at the desk."""
    confirm, _ = await to_confirm(gateway, factory, service="colour", staff="Ana")
    assert (await press(gateway, confirm.page, "Confirm booking")).status == 200
    [(found,)] = await rows(factory, "SELECT id FROM appointments ORDER BY created_at DESC "
                            "LIMIT 1")
    await execute(factory, "UPDATE appointments SET starts_at = now() - interval '2 hours', "
                  "ends_at = now() - interval '1 hour', blocked_start = now() - interval "
                  "'2 hours', blocked_end = now() - interval '1 hour' WHERE id = :a", a=found)
    marked = await gateway.post(f"/admin/appointments/{found}/no-show", cookies=owner,
                                data={"csrf": await _csrf(gateway, owner, found),
                                      "confirmed": "yes"}, allow_redirects=False)
    assert marked.status == 303
    return UUID(str(found))


async def _csrf(gateway: Client, cookies: dict[str, str], appointment: object) -> str:
    page = await (await gateway.get(f"/admin/appointments/{appointment}", cookies=cookies)
                  ).text()
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def _notice(answer: Any) -> str:
    return parse_qs(urlsplit(answer.headers["Location"]).query)["notice"][0]


async def test_the_owner_marks_a_no_show_fee_paid_at_the_desk_once(
    gateway: Client, session_factory: Factory,
) -> None:
    owner = await login_as(session_factory, OWNER)
    appointment = await _no_show(gateway, session_factory, owner)
    assert await rows(session_factory, "SELECT count(*) FROM outbox WHERE kind = 'fee_charge'"
                      ) == [(0,)]  # nothing is charged online at the salon
    detail = await (await gateway.get(f"/admin/appointments/{appointment}", cookies=owner)
                    ).text()
    assert "No-show fee" in detail and "$40: owed, to be paid at the salon" in detail
    assert "Mark fee paid" in detail
    csrf, path = await _csrf(gateway, owner, appointment), \
        f"/admin/appointments/{appointment}/fee-paid"

    asked = await gateway.post(path, cookies=owner, data={"csrf": csrf, "paid_in": "card"})
    words = await asked.text()
    assert asked.status == 200 and "Mark the fee paid?" in words and "$40" in words
    assert await rows(session_factory, "SELECT count(*) FROM payment_fees") == [(0,)]

    done = await gateway.post(path, cookies=owner, allow_redirects=False,
                              data={"csrf": csrf, "paid_in": "card", "confirmed": "yes"})
    assert _notice(done) == "Fee marked paid."
    assert await rows(session_factory, "SELECT kind, amount, status, provider_id FROM "
                      "payment_fees") == [("no_show", 40, "paid", "in person (card)")]
    again = await gateway.post(path, cookies=owner, allow_redirects=False,
                               data={"csrf": csrf, "paid_in": "cash", "confirmed": "yes"})
    assert _notice(again) == "The fee was already paid: nothing changed."
    [(data,)] = await rows(session_factory, "SELECT data FROM booking_events WHERE reason = "
                           "'no-show fee paid at the salon (card)'")
    assert data["by"] == OWNER
    detail = await (await gateway.get(f"/admin/appointments/{appointment}", cookies=owner)
                    ).text()
    assert "$40: paid at the salon (card)" in detail and "Mark fee paid" not in detail


async def test_refusals_are_clear_and_never_a_500(
    gateway: Client, session_factory: Factory,
) -> None:
    owner = await login_as(session_factory, OWNER)
    appointment = await _no_show(gateway, session_factory, owner)
    csrf, path = await _csrf(gateway, owner, appointment), \
        f"/admin/appointments/{appointment}/fee-paid"
    assert (await gateway.post(path, cookies=owner, data={"paid_in": "cash",
                                                          "confirmed": "yes"})).status == 403
    for way in ("online", "", "x" * 3000):
        answer = await gateway.post(path, cookies=owner, data={"csrf": csrf, "paid_in": way})
        assert answer.status == 422, way
    for wrong in ("not-a-uuid", str(UUID(int=7))):
        answer = await gateway.post(f"/admin/appointments/{wrong}/fee-paid", cookies=owner,
                                    data={"csrf": csrf, "paid_in": "cash"})
        assert answer.status == 404
    await execute(session_factory, "UPDATE appointments SET status = 'completed'")
    none = await gateway.post(path, cookies=owner, allow_redirects=False,
                              data={"csrf": csrf, "paid_in": "cash", "confirmed": "yes"})
    assert _notice(none) == "Not marked paid: this appointment owes no fee"
