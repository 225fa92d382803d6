"""The rules that keep a business its owner, through /admin/staff: never one's own account,
never the last owner (two owners acting at once included), a staff account whose staff member
is deleted sees nothing, wrong targets are 4xx, and the command line keeps making owners."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from assistant.gateway.admin.users import AdminUsers
from scheduling.accounts import OWNER
from scheduling.errors import PolicyViolation
from scheduling.persistence import staff_accounts as store
from scheduling.persistence.admin_tables import AdminUserRow
from scheduling.persistence.catalog_tables import StaffRow
from tests.gateway.admin_login import login_as
from tests.gateway.staff_invites import OWNER as OWNER_EMAIL
from tests.gateway.staff_invites import (
    STAFF,
    Desk,
    accept,
    column_names,
    desk,
    form_page,
    invite,
    mailed_link,
    row,
)

pytestmark = pytest.mark.db
__all__ = ["desk"]
Factory = async_sessionmaker[AsyncSession]
ANA = "ana@salon.example"


async def _post(desk: Desk, path: str, cookies: dict[str, str], **data: str) -> Any:
    page = await form_page(desk.client, "/admin/staff", cookies)
    csrf = page.forms[-1].fields["csrf"]
    return await desk.client.post(path, data=data | {"csrf": csrf}, cookies=cookies,
                                  allow_redirects=False)


async def test_the_owner_cannot_lock_themselves_or_the_business_out(
        desk: Desk, session_factory: Factory) -> None:
    demote = {"role": "staff", "staff_id": str(STAFF["Ana"])}
    for path, data in (("/admin/staff/role", demote), ("/admin/staff/remove", {})):
        answer = await _post(desk, path, desk.owner, email=OWNER_EMAIL, **data)
        assert answer.status == 409 and "at least one owner" in await answer.text()
    partner = await login_as(session_factory, "partner@salon.example")  # an owner too
    for path, data in (("/admin/staff/role", demote), ("/admin/staff/remove", {})):
        answer = await _post(desk, path, desk.owner, email=OWNER_EMAIL, **data)
        assert answer.status == 409 and "your own account" in await answer.text()
    assert (await row(session_factory, AdminUserRow, email=OWNER_EMAIL)).role == OWNER
    answer = await _post(desk, "/admin/staff/role", desk.owner, email="partner@salon.example",
                         role="staff", staff_id=str(STAFF["Marcus"]))
    assert answer.status == 303
    assert await column_names(desk, partner) == {"Marcus"}  # at the very next click
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
    account = await row(session_factory, AdminUserRow, email=ANA)
    assert (account.role, account.staff_id) == ("staff", None)
    today = await (await desk.client.get("/admin", cookies=made.cookies)).text()
    assert await column_names(desk, made.cookies) == set() and "No staff member" in today
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
    assert (await row(session_factory, AdminUserRow, email="new@salon.example")).role == OWNER
    await users.set_password(ANA, "a long password")
    async with session_factory() as db:
        await db.execute(update(AdminUserRow).where(AdminUserRow.email == ANA)
                         .values(role="staff"))
        await db.commit()
    await users.set_password(ANA, "another long password")
    assert (await row(session_factory, AdminUserRow, email=ANA)).role == "staff"
