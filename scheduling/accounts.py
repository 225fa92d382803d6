"""Dashboard accounts and their roles: an owner sees and manages everything; a staff account
sees and manages only the schedule of its one staff member. Accounts are made from e-mailed
invitations that work once and for a week.

The rules here are pure; `scheduling.persistence.staff_accounts` applies them inside the
transaction that holds the rows they are about, so two owners acting at once cannot leave the
business without an owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from scheduling.errors import InvalidRequest, PolicyViolation

OWNER = "owner"
STAFF = "staff"
ROLES = (OWNER, STAFF)
INVITATION_TTL = timedelta(days=7)
EMAIL_CHARS = 320


@dataclass(frozen=True, slots=True)
class Account:
    email: str
    role: str
    staff_id: UUID | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Invitation:
    id: UUID
    email: str
    role: str
    staff_id: UUID | None
    invited_by: str | None
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None

    def expired(self, now: datetime) -> bool:
        return self.expires_at <= now


def role_and_staff(role: str, staff_id: UUID | None) -> tuple[str, UUID | None]:
    """A valid (role, staff member) pair: a staff account needs its staff member; an owner
    has none (it sees everyone)."""
    if role not in ROLES:
        raise InvalidRequest(f"role must be one of {', '.join(ROLES)}", field="role")
    if role == STAFF and staff_id is None:
        raise InvalidRequest("a staff account needs the staff member whose schedule it sees",
                             field="staff_id")
    return role, staff_id if role == STAFF else None


def address(typed: str) -> str:
    """The e-mail as accounts are keyed (trimmed, lower case), or InvalidRequest."""
    email = typed.strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or len(email) > EMAIL_CHARS or any(
            c.isspace() or c in "\x00<>\"," for c in email):
        raise InvalidRequest("enter an e-mail address like name@example.com", field="email")
    return email


def check_change(actor: str, target: str, owners: set[str]) -> None:
    """May `actor` change the role of, or remove, the account `target`? Only an owner may,
    never on their own account (a slip would lock them out mid-session), and never so that
    no owner is left. `owners` is read under lock in the same transaction."""
    if actor not in owners:
        raise PolicyViolation("owner_only", "only an owner may change or remove accounts")
    if not owners - {target}:
        raise PolicyViolation("last_owner", "the business must keep at least one owner")
    if actor == target:
        raise PolicyViolation("own_account", "you cannot change or remove your own account; "
                              "ask another owner")
