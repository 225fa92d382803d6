"""Staff accounts through the owner's /admin/staff page and the e-mailed invitation: the link
makes a staff account once, signs it in, and that account sees only its own column; expired,
reused, revoked, replaced and forged links get a clear page; CSRF on every form; every bad
invitation a 4xx on the page, never a 500. The owner's rules: test_staff_account_rules."""

from __future__ import annotations

import asyncio
import hashlib
import re
import secrets
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from assistant.gateway.admin.users import AdminUsers
from scheduling.accounts import OWNER
from scheduling.errors import PolicyViolation
from scheduling.persistence import staff_accounts as store
from scheduling.persistence.admin_tables import AdminInvitationRow, AdminUserRow
from tests.gateway.admin_login import login_as
from tests.gateway.html_forms import Page
from tests.gateway.staff_invites import OWNER as OWNER_EMAIL
from tests.gateway.staff_invites import (
    PASSWORD,
    STAFF,
    Desk,
    accept,
    column_names,
    desk,
    form_page,
    invite,
    invite_path,
    mailed_link,
    row,
)

pytestmark = pytest.mark.db
__all__ = ["desk"]
Factory = async_sessionmaker[AsyncSession]
ANA = "ana@salon.example"


async def test_an_invited_staff_member_sees_only_their_own_column(
        desk: Desk, session_factory: Factory) -> None:
    sent = await invite(desk, " Ana@Salon.example ")
    assert sent.status == 303 and sent.headers["Location"].startswith("/admin/staff?notice=")
    link = mailed_link(desk.mail, ANA)
    assert link.startswith(desk.url("/admin/invite/"))
    (mail,) = desk.mail.ledger.delivered.values()
    assert mail["subject"] == "You are invited to Shear Delight Salon's booking dashboard"
    assert "owner@example.com invites you" in str(mail["content"])
    token = link.rsplit("/", 1)[1]
    stored = await row(session_factory, AdminInvitationRow, email=ANA)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.expires_at - stored.created_at == timedelta(days=7)
    listed = await (await desk.client.get("/admin/staff", cookies=desk.owner)).text()
    assert ANA in listed and "Invitations not yet used" in listed

    made = await accept(link)
    assert (made.status, made.location) == (303, "/admin") and made.cookies
    account = await row(session_factory, AdminUserRow, email=ANA)
    assert (account.role, account.staff_id) == ("staff", STAFF["Ana"])
    assert (await row(session_factory, AdminInvitationRow, email=ANA)).used_at is not None
    assert await column_names(desk, made.cookies) == {"Ana"}
    assert await column_names(desk, desk.owner) == set(STAFF)
    staff_today = await (await desk.client.get("/admin", cookies=made.cookies)).text()
    assert "/admin/catalog" not in staff_today and "Messages:" not in staff_today
    refused = await desk.client.get("/admin/staff", cookies=made.cookies)
    assert refused.status == 403


async def test_a_used_link_does_not_work_again(desk: Desk) -> None:
    await invite(desk, ANA)
    link = mailed_link(desk.mail, ANA)
    assert (await accept(link)).status == 303
    again = await desk.client.get(invite_path(link))
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
    expired = await desk.client.get(invite_path(old))
    assert expired.status == 410 and "expired" in await expired.text()
    listed = await (await desk.client.get("/admin/staff", cookies=desk.owner)).text()
    assert '<span class="error">expired</span>' in listed
    form, button = Page.of(listed).form_with("Resend")
    _, action, body = form.submit(button)
    resent = await desk.client.post(action, data=body, cookies=desk.owner,
                                    allow_redirects=False)
    assert resent.status == 303
    new = mailed_link(desk.mail, ANA)
    assert new != old and (await desk.client.get(invite_path(old))).status == 404
    assert (await accept(new)).status == 303


async def test_a_revoked_or_replaced_or_forged_link_is_not_valid(desk: Desk) -> None:
    await invite(desk, ANA)
    first = mailed_link(desk.mail, ANA)
    await invite(desk, ANA, staff="Marcus")  # a second invitation replaces the first
    second = mailed_link(desk.mail, ANA)
    assert (await desk.client.get(invite_path(first))).status == 404
    page = await form_page(desk.client, "/admin/staff", desk.owner)
    confirm = await form_page(desk.client, page.link("Revoke…"), desk.owner)
    form, button = confirm.form_with("Revoke")
    _, action, body = form.submit(button)
    done = await desk.client.post(action, data=body, cookies=desk.owner, allow_redirects=False)
    assert done.status == 303
    for dead in (second, desk.url("/admin/invite/" + secrets.token_urlsafe(32)),
                 desk.url("/admin/invite/short"), desk.url("/admin/invite/" + "%C3%A9" * 3),
                 desk.url("/admin/invite/" + "A" * 5000)):
        answer = await desk.client.get(invite_path(dead))
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
    assert await row(session_factory, AdminUserRow, email=ANA) is None
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
        typed = {"password": PASSWORD, "again": PASSWORD} | forged
        answer = await desk.client.post(invite_path(link), data=typed)
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
    account = await row(session_factory, AdminUserRow, email="partner@salon.example")
    assert (account.role, account.staff_id) == (OWNER, None)
    assert (await desk.client.get("/admin/staff", cookies=made.cookies)).status == 200


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
    assert (await gateway.get(invite_path(link.group(1)))).status == 200


async def test_a_refused_email_leaves_the_invitation_and_shows_the_link(desk: Desk) -> None:
    desk.mail.ledger.fail_next(400)
    shown = await invite(desk, ANA)
    text = await shown.text()
    assert shown.status == 200 and "could not be sent" in text and "Resend" in text
    link = re.search(r'readonly value="([^"]+/admin/invite/[^"]+)"', text)
    assert link is not None and (await accept(link.group(1))).status == 303
