"""Who may see and do what on the dashboard: an owner (or admin) sees every staff member's
schedule; a staff account sees and manages only its own. Every front-desk page asks here
rather than reading the session itself, so the rule lives in one place.

The account's role and staff member come from `admin_users` with the session (one query, see
`scheduling.persistence.admin_sessions`). Anything but the role "owner" is limited: a staff
account whose staff member was deleted, or a role this code does not know, sees nobody's
schedule (NOBODY), never everyone's.
"""

from __future__ import annotations

from uuid import UUID

from aiohttp import web

from assistant.gateway.admin.session import AdminSession
from scheduling.accounts import OWNER

NOBODY = UUID(int=0)
"""The scope of a staff account without a staff member: an id no staff member has, so a
query filtered by it finds nothing."""


def staff_scope(admin: AdminSession) -> UUID | None:
    """The one staff member this account is limited to, or None for an owner (everyone)."""
    if admin.role == OWNER:
        return None
    return admin.staff_id or NOBODY


def sees_all(admin: AdminSession) -> bool:
    return staff_scope(admin) is None


def may_see(admin: AdminSession, staff_id: UUID) -> bool:
    """Whether this account may see (and act on) the schedule of `staff_id`."""
    scope = staff_scope(admin)
    return scope is None or scope == staff_id


def require_owner(admin: AdminSession) -> None:
    """Refuse a staff account a page or action that is the owner's alone (403)."""
    if not sees_all(admin):
        raise web.HTTPForbidden(text="only the owner or an admin may do this")


def require_staff(admin: AdminSession, staff_id: UUID) -> None:
    """Refuse an appointment or schedule of another staff member (404, as if it did not
    exist, so a staff account cannot probe ids)."""
    if not may_see(admin, staff_id):
        raise web.HTTPNotFound(text="no such appointment")
