"""Every admin route against every role: a table of routes x (owner, staff, staff account
whose staff member is gone, signed out), with every table holding rows.

The routes come from the app's router and each must be classified below, so a route added
later fails here until someone says who may use it. Owner-only routes refuse a staff account
(403, a POST even with a valid CSRF token); front-desk pages answer a staff account (their
rows scoped by `roles`, tested with each page); signed-out visitors are sent to the login
form; the REST API does not take a staff session for an admin.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.demo import demo_catalog
from scheduling.persistence.admin_tables import AdminUserRow
from tests.fill import Filled, drop_conversations, fill
from tests.gateway.admin_login import login_as

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
Factory = async_sessionmaker[AsyncSession]
ANY = "00000000-0000-0000-0000-000000000001"
ANA = demo_catalog().staff[0].id

OWNER_ONLY = {
    ("GET", "/admin/messages"), ("GET", "/admin/calendars"), ("GET", "/admin/waitlist"),
    ("GET", "/admin/conversations"), ("GET", "/admin/bot"), ("POST", "/admin/bot/retrain"),
    ("GET", "/admin/analytics"), ("GET", "/admin/setup"), ("GET", "/admin/setup/{step}"),
    ("POST", "/admin/setup/{step}"), ("GET", "/admin/catalog"),
    ("GET", "/admin/catalog/{kind}/{item}"), ("POST", "/admin/catalog/{kind}/{item}"),
    ("POST", "/admin/catalog/{kind}/{item}/archive"), ("POST", "/admin/catalog/stranded"),
    ("GET", "/admin/catalog/business"), ("POST", "/admin/catalog/business"),
    ("GET", "/admin/catalog/rules"), ("POST", "/admin/catalog/rules"),
    ("GET", "/admin/catalog/messages"), ("POST", "/admin/catalog/messages"),
    ("GET", "/admin/catalog/blocklist"), ("POST", "/admin/catalog/blocklist"),
    ("POST", "/admin/catalog/blocklist/{customer_id}/unblock"),
    ("GET", "/admin/staff"), ("POST", "/admin/staff/invite"),
    ("POST", "/admin/staff/invitations/{invitation_id}/resend"),
    ("GET", "/admin/staff/invitations/{invitation_id}/revoke"),
    ("POST", "/admin/staff/invitations/{invitation_id}/revoke"),
    ("POST", "/admin/staff/role"), ("GET", "/admin/staff/remove/{email}"),
    ("POST", "/admin/staff/remove"), ("GET", "/oauth/google/start"),
    ("POST", "/admin/appointments/{appointment_id}/paid"), ("GET", "/admin/payments"),
    ("POST", "/admin/appointments/{appointment_id}/fee-paid"),
    ("POST", "/admin/payments"), ("GET", "/admin/payments/list"),
    ("GET", "/admin/payments/list.csv"), ("GET", "/admin/queue"), ("GET", "/admin/queue.json"),
    ("GET", "/admin/releases"), ("POST", "/admin/releases/rules"),
    ("POST", "/admin/releases/rules/{rule_id}/delete"), ("POST", "/admin/releases/audiences"),
    ("POST", "/admin/releases/audiences/{audience_id}/members"),
    ("POST", "/admin/releases/audiences/{audience_id}/codes"),
    ("POST", "/admin/releases/waiting-room/{service_id}"),
}
"""The owner's alone: what the business is and says, its numbers, its accounts."""
FRONT_DESK = {
    ("GET", "/admin"), ("POST", "/admin/logout"), ("GET", "/admin/calendar"),
    ("GET", "/admin/appointments"), ("GET", "/admin/appointments/{appointment_id}"),
    ("POST", "/admin/appointments/{appointment_id}/{action}"),
    ("GET", "/admin/appointments/{appointment_id}/{action}"),
    ("GET", "/admin/appointments/{appointment_id}/reschedule"),
    ("GET", "/admin/appointments/{appointment_id}/cancel-series"),
    ("POST", "/admin/appointments/{appointment_id}/cancel-series"),
    ("GET", "/admin/bookings/new"), ("POST", "/admin/bookings/new"),
    ("POST", "/admin/bookings/series"), ("GET", "/admin/bookings/done"),
    ("GET", "/admin/customers"), ("GET", "/admin/customers/{customer_id}"),
    ("POST", "/admin/customers/{customer_id}/notes"),
    ("POST", "/admin/customers/{customer_id}/preferences"),
    ("GET", "/admin/customers/{customer_id}/block"),
    ("POST", "/admin/customers/{customer_id}/block"),
    ("GET", "/admin/customers/{customer_id}/export"),
    ("GET", "/admin/customers/{customer_id}/erase"),
    ("POST", "/admin/customers/{customer_id}/erase"),
}
"""Every signed-in account; each page limits a staff account to its own staff member."""
NEEDS_QUERY = {"/admin/bookings/done"}
"""Reached from a form with what it shows in the query; alone, a 4xx."""
PUBLIC = {("GET", "/admin/login"), ("POST", "/admin/login"), ("GET", "/admin/invite/{token}"),
          ("POST", "/admin/invite/{token}"), ("GET", "/oauth/google/callback")}
"""No session: the login form, an invitation (its token is the key), Google's redirect."""
FILL = {"step": "business", "kind": "staff", "item": "new", "email": "fill-admin%40example.com",
        "action": "cancel"}


@pytest.fixture
async def filled(session_factory: Factory, gateway: Client) -> AsyncIterator[Filled]:
    done = await fill(session_factory, datetime.now(UTC))
    yield done
    await drop_conversations(session_factory)


async def _account(factory: Factory, email: str, role: str, staff_id: object) -> dict[str, str]:
    cookies = await login_as(factory, email)
    async with factory() as db:
        await db.execute(update(AdminUserRow).where(AdminUserRow.email == email)
                         .values(role=role, staff_id=staff_id))
        await db.commit()
    return cookies


def _routes(client: Client) -> set[tuple[str, str]]:
    return {(r.method, r.resource.canonical) for r in client.app.router.routes()
            if r.resource is not None and r.method in ("GET", "POST")
            and r.resource.canonical.startswith(("/admin", "/oauth"))}


def _path(canonical: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: FILL.get(m.group(1), ANY), canonical)


async def _csrf(client: Client, cookies: dict[str, str]) -> str:
    today = await (await client.get("/admin", cookies=cookies)).text()
    found = re.search(r'name="csrf" value="([^"]+)"', today)
    assert found is not None, today[-500:]
    return found.group(1)


def test_every_admin_route_says_who_may_use_it(gateway: Client) -> None:
    unclassified = _routes(gateway) - OWNER_ONLY - FRONT_DESK - PUBLIC
    assert not unclassified, f"new admin routes; add each to a role table: {unclassified}"


async def test_a_staff_account_is_refused_every_owner_route(
        gateway: Client, session_factory: Factory, filled: Filled) -> None:
    for who, staff_id in (("ana@salon.example", ANA), ("unlinked@salon.example", None)):
        cookies = await _account(session_factory, who, "staff", staff_id)
        csrf = await _csrf(gateway, cookies)
        for method, canonical in sorted(OWNER_ONLY & _routes(gateway)):
            path = _path(canonical) + ("?staff_id=" + str(ANA) if "oauth" in canonical else "")
            answer = await gateway.request(method, path, cookies=cookies, data={"csrf": csrf},
                                           allow_redirects=False)
            assert answer.status == 403, (who, method, path, answer.status)


async def test_the_owner_reaches_every_owner_page(gateway: Client, session_factory: Factory,
                                                  filled: Filled) -> None:
    cookies = await login_as(session_factory, filled.admin_email)
    for method, canonical in sorted(OWNER_ONLY & _routes(gateway)):
        if method != "GET" or "oauth" in canonical:
            continue
        answer = await gateway.get(_path(canonical), cookies=cookies, allow_redirects=False)
        allowed = (200,) if "{" not in canonical else (200, 404)  # 404: a made-up id
        assert answer.status in allowed, (canonical, answer.status)


async def test_front_desk_pages_answer_a_staff_account(
        gateway: Client, session_factory: Factory, filled: Filled) -> None:
    for who, staff_id in (("ana@salon.example", ANA), ("unlinked@salon.example", None)):
        cookies = await _account(session_factory, who, "staff", staff_id)
        for method, canonical in sorted(FRONT_DESK & _routes(gateway)):
            if method != "GET" or "{" in canonical:
                continue
            answer = await gateway.get(canonical, cookies=cookies, allow_redirects=False)
            allowed = (200,) if canonical not in NEEDS_QUERY else (400, 404)
            if staff_id is None:  # an account that sees nothing may be told so with a 4xx
                allowed = (*allowed, 404, 422)
            assert answer.status in allowed, (who, canonical, answer.status)


async def test_signed_out_visitors_go_to_the_login_form(gateway: Client, filled: Filled
                                                        ) -> None:
    for method, canonical in sorted((OWNER_ONLY | FRONT_DESK) & _routes(gateway)):
        if "oauth" in canonical:
            continue
        answer = await gateway.request(method, _path(canonical), allow_redirects=False)
        assert answer.status == 303, (method, canonical, answer.status)
        assert answer.headers["Location"].startswith("/admin/login?next=")


async def test_the_api_does_not_take_a_staff_session_for_an_admin(
        gateway: Client, session_factory: Factory, filled: Filled) -> None:
    staff = await _account(session_factory, "ana@salon.example", "staff", ANA)
    owner = await login_as(session_factory, filled.admin_email)
    for path in ("/api/v1/admin/business", "/api/v1/appointments", "/api/v1/admin/staff",
                 "/api/v1/analytics/summary"):
        assert (await gateway.get(path, cookies=staff)).status == 401, path
        assert (await gateway.get(path, cookies=owner)).status == 200, path
