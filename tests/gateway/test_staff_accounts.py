"""Staff accounts through the owner's /admin/staff page and the e-mailed invitation: the link
makes a staff account once, signs it in, and that account sees only its own column; expired,
reused, revoked, replaced and forged links get a clear page; CSRF on every form; the rules
that keep the business an owner; and every bad input a 4xx, never a 500."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from assistant.gateway.admin.users import AdminUsers
from scheduling.accounts import OWNER
from scheduling.errors import PolicyViolation
from scheduling.persistence import staff_accounts as store
from scheduling.persistence.admin_tables import AdminInvitationRow, AdminUserRow
from scheduling.persistence.catalog_tables import StaffRow
from tests.gateway.admin_login import login_as
from tests.gateway.html_forms import Page
from tests.gateway.staff_invites import (
    OWNER as OWNER_EMAIL,
)
from tests.gateway.staff_invites import (
    PASSWORD,
    STAFF,
    Desk,
    accept,
    desk,
    form_page,
    invite,
    mailed_link,
)

pytestmark = pytest.mark.db
__all__ = ["desk"]
Factory = async_sessionmaker[AsyncSession]
ANA = "ana@salon.example"


async def _column_names(desk: Desk, cookies: dict[str, str]) -> set[str]:
    today = await (await desk.client.get("/admin", cookies=cookies)).text()
    return {name for name in STAFF if f"<h2>{name}</h2>" in today}


def _path(link: str) -> str:
    return "/admin/invite/" + link.split("/admin/invite/", 1)[1]


async def _row(factory: Factory, table: Any, **where: Any) -> Any:
    async with factory() as db:
        return (await db.scalars(select(table).filter_by(**where))).one_or_none()


async def test_an_invited_staff_member_sees_only_their_own_column(
        desk: Desk, session_factory: Factory) -> None:
    sent = await invite(desk, " Ana@Salon.example ")
    assert sent.status == 303 and sent.headers["Location"].startswith("/admin/staff?notice=")
    link = mailed_link(desk.mail, ANA)
    assert link.startswith(desk.url("/admin/invite/"))
    token = link.rsplit("/", 1)[1]
    stored = await _row(session_factory, AdminInvitationRow, email=ANA)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    listed = await (await desk.client.get("/admin/staff", cookies=desk.owner)).text()
    assert ANA in listed and "Invitations not yet used" in listed

    made = await accept(link)
    assert (made.status, made.location) == (303, "/admin") and made.cookies
    account = await _row(session_factory, AdminUserRow, email=ANA)
    assert (account.role, account.staff_id) == ("staff", STAFF["Ana"])
    assert (await _row(session_factory, AdminInvitationRow, email=ANA)).used_at is not None
    assert await _column_names(desk, made.cookies) == {"Ana"}
    assert await _column_names(desk, desk.owner) == set(STAFF)
    staff_today = await (await desk.client.get("/admin", cookies=made.cookies)).text()
    assert "/admin/catalog" not in staff_today and "Messages:" not in staff_today
    refused = await desk.client.get("/admin/staff", cookies=made.cookies)
    assert refused.status == 403


async def test_a_used_link_does_not_work_again(desk: Desk) -> None:
    await invite(desk, ANA)
    link = mailed_link(desk.mail, ANA)
    assert (await accept(link)).status == 303
    again = await desk.client.get(_path(link))
    assert again.status == 410 and "already used" in await again.text()


async def test_the_same_link_followed_twice_at_once_makes_one_account(
        desk: Desk, session_factory: Factory) -> None:
    await invite(desk, ANA)
    token = mailed_link(desk.mail, ANA).rsplit("/", 1)[1]
    digest = hashlib.sha256(token.encode()).hexdigest()
    now = session.now()
    results = await asyncio.gather(
        *(store.accept(session_factory, digest, "scrypt$x$y", now) for _ in range(4)),
        return_exceptions=True)
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, PolicyViolation) for r in results if isinstance(r, Exception))


async def test_an_expired_link_says_so_and_resend_gives_a_new_one(
        desk: Desk, session_factory: Factory) -> None:
    await invite(desk, ANA)
    old = mailed_link(desk.mail, ANA)
    async with session_factory() as db:
        await db.execute(update(AdminInvitationRow).values(
            expires_at=session.now() - timedelta(minutes=1)))
        await db.commit()
    expired = await desk.client.get(_path(old))
    assert expired.status == 410 and "expired" in await expired.text()
    listed = await (await desk.client.get("/admin/staff", cookies=desk.owner)).text()
    assert '<span class="error">expired</span>' in listed
    form, button = Page.of(listed).form_with("Resend")
    _, action, body = form.submit(button)
    resent = await desk.client.post(action, data=body, cookies=desk.owner,
                                    allow_redirects=False)
    assert resent.status == 303
    new = mailed_link(desk.mail, ANA)
    assert new != old and (await desk.client.get(_path(old))).status == 404
    assert (await accept(new)).status == 303


async def test_a_revoked_or_replaced_or_forged_link_is_not_valid(desk: Desk) -> None:
    await invite(desk, ANA)
    first = mailed_link(desk.mail, ANA)
    await invite(desk, ANA, staff="Marcus")  # a second invitation replaces the first
    second = mailed_link(desk.mail, ANA)
    assert (await desk.client.get(_path(first))).status == 404
    page = await form_page(desk.client, "/admin/staff", desk.owner)
    confirm = await form_page(desk.client, page.link("Revoke…"), desk.owner)
    form, button = confirm.form_with("Revoke")
    _, action, body = form.submit(button)
    done = await desk.client.post(action, data=body, cookies=desk.owner, allow_redirects=False)
    assert done.status == 303
    for dead in (second, desk.url("/admin/invite/" + secrets.token_urlsafe(32)),
                 desk.url("/admin/invite/short"), desk.url("/admin/invite/" + "%C3%A9" * 3),
                 desk.url("/admin/invite/" + "A" * 5000)):
        answer = await desk.client.get(_path(dead))
        assert answer.status in (404, 414), (dead[:80], answer.status)
        assert answer.status == 414 or "not valid" in await answer.text()


async def test_passwords_must_match_and_be_long_enough(desk: Desk,
                                                       session_factory: Factory) -> None:
    await invite(desk, ANA)
    link = mailed_link(desk.mail, ANA)
    differ = await accept(link, again="something else entirely")
    assert differ.status == 422 and "differ" in differ.text and not differ.cookies
    short = await accept(link, password="short")
    assert short.status == 422 and "10 to 200" in short.text
    assert await _row(session_factory, AdminUserRow, email=ANA) is None
    assert (await accept(link)).status == 303
    assert await AdminUsers(session_factory).check(ANA, PASSWORD)


async def test_every_form_needs_its_csrf_token(desk: Desk) -> None:
    staff_id = str(STAFF["Ana"])
    for path, data in (("/admin/staff/invite", {"email": ANA, "role": "staff",
                                                "staff_id": staff_id}),
                       ("/admin/staff/role", {"email": OWNER_EMAIL, "role": "staff"}),
                       ("/admin/staff/remove", {"email": OWNER_EMAIL})):
        for forged in ({}, {"csrf": "x"}, {"csrf": "é" * 64}):
            answer = await desk.client.post(path, data=data | forged, cookies=desk.owner)
            assert answer.status == 403, (path, forged)
    assert desk.mail.ledger.requests.total() == 0
    await invite(desk, ANA)
    link = mailed_link(desk.mail, ANA)
    for forged in ({}, {"invite_csrf": "x"}):
        answer = await desk.client.post(_path(link), data={"password": PASSWORD, "again": PASSWORD}
                                        | forged)
        assert answer.status == 403


@pytest.mark.parametrize(("typed", "status", "says"), [
    ({"email": "not an address"}, 422, "e-mail address"),
    ({"email": "a" * 400 + "@example.com"}, 422, "e-mail address"),
    ({"email": "nul\x00@example.com"}, 422, "e-mail address"),
    ({"role": "god"}, 422, "role must be"),
    ({"staff_id": "not-a-uuid"}, 422, "staff_id"),
    ({"staff_id": "00000000-0000-0000-0000-000000000009"}, 422, "no such staff member"),
    ({"staff_id": ""}, 422, "needs the staff member"),
    ({"email": OWNER_EMAIL}, 409, "already has an account"),
])
async def test_a_wrong_invitation_is_refused_on_the_page(desk: Desk, typed: dict[str, str],
                                                         status: int, says: str) -> None:
    answer = await invite(desk, typed.pop("email", ANA), **typed)
    assert answer.status == status and says in await answer.text()
    assert desk.mail.ledger.requests.total() == 0


async def test_an_owner_invitation_makes_an_owner(desk: Desk, session_factory: Factory) -> None:
    await invite(desk, "partner@salon.example", role="owner", staff="Ana")
    made = await accept(mailed_link(desk.mail, "partner@salon.example"))
    account = await _row(session_factory, AdminUserRow, email="partner@salon.example")
    assert (account.role, account.staff_id) == (OWNER, None)
    assert (await desk.client.get("/admin/staff", cookies=made.cookies)).status == 200


async def _post(desk: Desk, path: str, cookies: dict[str, str], **data: str) -> Any:
    page = await form_page(desk.client, "/admin/staff", cookies)
    csrf = page.forms[-1].fields["csrf"]
    return await desk.client.post(path, data=data | {"csrf": csrf}, cookies=cookies,
                                  allow_redirects=False)


async def test_the_owner_cannot_lock_themselves_or_the_business_out(
        desk: Desk, session_factory: Factory) -> None:
    for path, data in (("/admin/staff/role", {"role": "staff", "staff_id": str(STAFF["Ana"])}),
                       ("/admin/staff/remove", {})):
        answer = await _post(desk, path, desk.owner, email=OWNER_EMAIL, **data)
        assert answer.status == 409 and "your own account" in await answer.text()
    assert (await _row(session_factory, AdminUserRow, email=OWNER_EMAIL)).role == OWNER
    partner = await login_as(session_factory, "partner@salon.example")  # an owner too
    answer = await _post(desk, "/admin/staff/role", desk.owner, email="partner@salon.example",
                         role="staff", staff_id=str(STAFF["Marcus"]))
    assert answer.status == 303
    assert await _column_names(desk, partner) == {"Marcus"}  # at the very next click
    confirm = await form_page(desk.client, "/admin/staff/remove/partner%40salon.example",
                              desk.owner)
    form, button = confirm.form_with("Remove account")
    _, action, body = form.submit(button)
    removed = await desk.client.post(action, data=body, cookies=desk.owner,
                                     allow_redirects=False)
    assert removed.status == 303
    assert (await desk.client.get("/admin", cookies=partner, allow_redirects=False)).status == 303


async def test_two_owners_demoting_each_other_at_once_leave_one_owner(
        session_factory: Factory, demo: None) -> None:
    """Each alone is allowed (the other owner remains); at once, the second waits for the
    first's locks, then finds it is no longer an owner itself."""
    for email in ("a@salon.example", "b@salon.example"):
        await AdminUsers(session_factory).set_password(email, "a long password")
    now = session.now()
    results = await asyncio.gather(
        store.change_role(session_factory, "a@salon.example", "b@salon.example", "staff",
                          STAFF["Ana"], now),
        store.remove(session_factory, "b@salon.example", "a@salon.example"),
        return_exceptions=True)
    assert sum(isinstance(r, PolicyViolation) for r in results) == 1, results
    async with session_factory() as db:
        owners = list(await db.scalars(select(AdminUserRow.email)
                                       .where(AdminUserRow.role == OWNER)))
    assert len(owners) == 1


async def test_a_staff_account_whose_staff_member_is_deleted_sees_nothing(
        desk: Desk, session_factory: Factory) -> None:
    await invite(desk, ANA)
    made = await accept(mailed_link(desk.mail, ANA))
    async with session_factory() as db:
        await db.execute(delete(StaffRow).where(StaffRow.id == STAFF["Ana"]))
        await db.commit()
    account = await _row(session_factory, AdminUserRow, email=ANA)
    assert (account.role, account.staff_id) == ("staff", None)
    today = await (await desk.client.get("/admin", cookies=made.cookies)).text()
    assert await _column_names(desk, made.cookies) == set() and "No staff member" in today
    assert (await desk.client.get("/admin/catalog", cookies=made.cookies)).status == 403
    listed = await (await desk.client.get("/admin/staff", cookies=desk.owner)).text()
    assert "sees nothing until linked" in listed


@pytest.mark.parametrize("path", ["/admin/staff/remove/nobody%40example.com",
                                  "/admin/staff/remove/%00",
                                  "/admin/staff/invitations/not-a-uuid/revoke",
                                  "/admin/staff/invitations/00000000-0000-0000-0000-000000000001"
                                  "/revoke"])
async def test_unknown_accounts_and_invitations_are_404(desk: Desk, path: str) -> None:
    assert (await desk.client.get(path, cookies=desk.owner)).status == 404


async def test_wrong_targets_of_the_forms_are_4xx(desk: Desk) -> None:
    for path, data, status in (
            ("/admin/staff/role", {"email": "nobody@example.com", "role": "owner"}, 404),
            ("/admin/staff/role", {"email": "nul\x00@example.com", "role": "owner"}, 404),
            ("/admin/staff/remove", {"email": "x" * 5000}, 404),
            ("/admin/staff/invitations/00000000-0000-0000-0000-000000000001/resend", {}, 404),
            ("/admin/staff/invitations/00000000-0000-0000-0000-000000000001/revoke", {}, 404)):
        answer = await _post(desk, path, desk.owner, **data)
        assert answer.status == status, (path, answer.status, await answer.text())


async def test_the_command_line_keeps_making_owners(session_factory: Factory,
                                                   clean_tables: None) -> None:
    """`python -m assistant admin EMAIL` sets a password through AdminUsers.set_password: a
    new account is an owner; a staff account given a new password stays staff."""
    users = AdminUsers(session_factory)
    await users.set_password("new@salon.example", "a long password")
    assert (await _row(session_factory, AdminUserRow, email="new@salon.example")).role == OWNER
    await users.set_password(ANA, "a long password")
    async with session_factory() as db:
        await db.execute(update(AdminUserRow).where(AdminUserRow.email == ANA)
                         .values(role="staff"))
        await db.commit()
    await users.set_password(ANA, "another long password")
    assert (await _row(session_factory, AdminUserRow, email=ANA)).role == "staff"


async def test_without_an_email_service_the_owner_gets_the_link_to_pass_on(
        gateway: Any, session_factory: Factory) -> None:
    """The gateway of tests/gateway has no SendGrid key: the local sender only logs, so the
    page (200, not a redirect: the link stays out of URLs and logs) shows the link itself."""
    owner = await login_as(session_factory, OWNER_EMAIL)
    form, button = (await form_page(gateway, "/admin/staff", owner)).form_with("Send invitation")
    _, action, body = form.submit(button, email=ANA, role="staff", staff_id=str(STAFF["Ana"]))
    shown = await gateway.post(action, data=body, cookies=owner, allow_redirects=False)
    text = await shown.text()
    assert shown.status == 200 and "nothing was sent" in text
    link = re.search(r'readonly value="([^"]+/admin/invite/[^"]+)"', text)
    assert link is not None
    assert (await gateway.get(_path(link.group(1)))).status == 200


async def test_a_refused_email_leaves_the_invitation_and_shows_the_link(desk: Desk) -> None:
    desk.mail.ledger.fail_next(400)
    shown = await invite(desk, ANA)
    text = await shown.text()
    assert shown.status == 200 and "could not be sent" in text and "Resend" in text
    link = re.search(r'readonly value="([^"]+/admin/invite/[^"]+)"', text)
    assert link is not None and (await accept(link.group(1))).status == 303
