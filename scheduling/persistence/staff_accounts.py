"""Every SQL statement about account roles and invitations (the `admin_users` role columns and
`admin_invitations`), with `now` passed in. The rules are `scheduling.accounts`; each function
here is one transaction that reads, under lock, the rows its rule is about.

Password hashing and token making are the gateway's: a token arrives here already hashed.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.accounts import (
    INVITATION_TTL,
    OWNER,
    Account,
    Invitation,
    check_change,
    role_and_staff,
)
from scheduling.errors import InvalidRequest, NotFound, PolicyViolation
from scheduling.persistence.admin_tables import AdminInvitationRow, AdminUserRow
from scheduling.persistence.catalog_tables import StaffRow
from scheduling.persistence.database import SessionFactory


def _account(row: AdminUserRow) -> Account:
    return Account(row.email, row.role, row.staff_id, row.created_at)


def _invitation(row: AdminInvitationRow) -> Invitation:
    return Invitation(row.id, row.email, row.role, row.staff_id, row.invited_by,
                      row.created_at, row.expires_at, row.used_at)


async def accounts(factory: SessionFactory) -> list[Account]:
    async with factory() as session:
        rows = await session.scalars(select(AdminUserRow).order_by(AdminUserRow.email))
        return [_account(row) for row in rows]


async def open_invitations(factory: SessionFactory) -> list[Invitation]:
    """Invitations not used yet, expired ones included (the owner may send them again)."""
    async with factory() as session:
        rows = await session.scalars(select(AdminInvitationRow)
                                     .where(AdminInvitationRow.used_at.is_(None))
                                     .order_by(AdminInvitationRow.created_at))
        return [_invitation(row) for row in rows]


async def _check_staff(session: AsyncSession, staff_id: UUID | None) -> None:
    """A staff account's staff member must exist and not be archived."""
    if staff_id is not None and not await session.scalar(
            select(StaffRow.id).where(StaffRow.id == staff_id, StaffRow.archived_at.is_(None))):
        raise InvalidRequest("no such staff member", field="staff_id")


async def invite(factory: SessionFactory, email: str, role: str, staff_id: UUID | None,
                 invited_by: str, token_hash: str, now: datetime) -> Invitation:
    """A new invitation for `email`, replacing any unused one for the same address (its link
    stops working); refused when the address already has an account."""
    role, staff_id = role_and_staff(role, staff_id)
    row = AdminInvitationRow(id=uuid4(), token_hash=token_hash, email=email, role=role,
                             staff_id=staff_id, invited_by=invited_by, created_at=now,
                             expires_at=now + INVITATION_TTL, used_at=None)
    async with factory() as session, session.begin():
        await _check_staff(session, staff_id)
        if await session.get(AdminUserRow, email) is not None:
            raise PolicyViolation("account_exists", f"{email} already has an account")
        await session.execute(delete(AdminInvitationRow).where(
            AdminInvitationRow.email == email, AdminInvitationRow.used_at.is_(None)))
        session.add(row)
        await session.flush()
        return _invitation(row)


async def reissue(factory: SessionFactory, invitation_id: UUID, token_hash: str,
                  now: datetime) -> Invitation:
    """Send again: a new token (the old link stops working) and a new week."""
    async with factory() as session, session.begin():
        row = await session.scalar(
            update(AdminInvitationRow)
            .where(AdminInvitationRow.id == invitation_id, AdminInvitationRow.used_at.is_(None))
            .values(token_hash=token_hash, created_at=now, expires_at=now + INVITATION_TTL)
            .returning(AdminInvitationRow))
        if row is None:
            raise NotFound("invitation", str(invitation_id))
        return _invitation(row)


async def revoke(factory: SessionFactory, invitation_id: UUID) -> Invitation:
    async with factory() as session, session.begin():
        row = await session.scalar(
            delete(AdminInvitationRow)
            .where(AdminInvitationRow.id == invitation_id, AdminInvitationRow.used_at.is_(None))
            .returning(AdminInvitationRow))
        if row is None:
            raise NotFound("invitation", str(invitation_id))
        return _invitation(row)


async def invitation(factory: SessionFactory, invitation_id: UUID) -> Invitation:
    async with factory() as session:
        row = await session.get(AdminInvitationRow, invitation_id)
        if row is None or row.used_at is not None:
            raise NotFound("invitation", str(invitation_id))
        return _invitation(row)


async def _usable(session: AsyncSession, token_hash: str, now: datetime,
                  lock: bool = False) -> AdminInvitationRow:
    query = select(AdminInvitationRow).where(AdminInvitationRow.token_hash == token_hash)
    row = await session.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound("invitation", "link")
    if row.used_at is not None:
        raise PolicyViolation("invitation_used", "this invitation was already used")
    if row.expires_at <= now:
        raise PolicyViolation("invitation_expired", "this invitation has expired")
    return row


async def usable_invitation(factory: SessionFactory, token_hash: str,
                            now: datetime) -> Invitation:
    """The invitation a link opens; NotFound (forged or revoked) or PolicyViolation (used,
    expired) otherwise."""
    async with factory() as session:
        return _invitation(await _usable(session, token_hash, now))


async def accept(factory: SessionFactory, token_hash: str, password_hash: str,
                 now: datetime) -> Account:
    """Make the invited account and use the invitation up, in one transaction with the
    invitation locked, so a link followed twice at once makes one account."""
    async with factory() as session, session.begin():
        found = await _usable(session, token_hash, now, lock=True)
        if await session.get(AdminUserRow, found.email) is not None:
            raise PolicyViolation("account_exists", f"{found.email} already has an account")
        if found.staff_id is not None:
            await _check_staff(session, found.staff_id)
        row = AdminUserRow(email=found.email, password_hash=password_hash, created_at=now,
                           updated_at=now, role=found.role, staff_id=found.staff_id)
        session.add(row)
        found.used_at = now
        await session.flush()
        return _account(row)


async def _locked_target(session: AsyncSession, actor: str, email: str) -> AdminUserRow:
    """Lock the owners' rows (in a stable order, so two owners acting at once queue rather
    than deadlock) and the target's, then apply `check_change`."""
    owners = set(await session.scalars(select(AdminUserRow.email)
                                       .where(AdminUserRow.role == OWNER)
                                       .order_by(AdminUserRow.email).with_for_update()))
    row = await session.scalar(select(AdminUserRow).where(AdminUserRow.email == email)
                               .with_for_update())
    if row is None:
        raise NotFound("account", email)
    check_change(actor, email, owners)
    return row


async def change_role(factory: SessionFactory, actor: str, email: str, role: str,
                      staff_id: UUID | None, now: datetime) -> Account:
    role, staff_id = role_and_staff(role, staff_id)
    async with factory() as session, session.begin():
        row = await _locked_target(session, actor, email)
        await _check_staff(session, staff_id)
        row.role, row.staff_id, row.updated_at = role, staff_id, now
        await session.flush()
        return _account(row)


async def remove(factory: SessionFactory, actor: str, email: str) -> None:
    """Delete the account; its sessions go with it (foreign key, ON DELETE CASCADE)."""
    async with factory() as session, session.begin():
        row = await _locked_target(session, actor, email)
        await session.delete(row)


async def account(factory: SessionFactory, email: str) -> Account:
    async with factory() as session:
        row = await session.get(AdminUserRow, email)
        if row is None:
            raise NotFound("account", email)
        return _account(row)
