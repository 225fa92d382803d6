"""Admin dashboard accounts and their sessions, kept with the rest of the business's data so
every gateway replica and every backup has them. Only a password hash and a hash of each
session token are stored; hashing and the session rules are the gateway's."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base

ROLE_VALUES = "role IN ('owner', 'staff')"


class AdminUserRow(Base):
    """An account; `role` 'staff' limits it to `staff_id`'s schedule. A staff member deleted
    under it leaves `staff_id` NULL with the role kept: an account that sees nothing."""

    __tablename__ = "admin_users"
    __table_args__ = (
        CheckConstraint(ROLE_VALUES, name="role"),
        CheckConstraint("role = 'staff' OR staff_id IS NULL", name="owner_has_no_staff"),
    )

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    role: Mapped[str] = mapped_column(String(16), default="owner", server_default="owner")
    staff_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff.id", ondelete="SET NULL"), index=True)


class AdminInvitationRow(Base):
    """An invitation to make an account: only the sha256 of the link's token is kept; it
    works once (`used_at`) and until `expires_at`."""

    __tablename__ = "admin_invitations"
    __table_args__ = (
        CheckConstraint(ROLE_VALUES, name="role"),
        CheckConstraint("(role = 'staff') = (staff_id IS NOT NULL)",
                        name="staff_matches_role"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    role: Mapped[str] = mapped_column(String(16))
    staff_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("staff.id", ondelete="CASCADE"))
    invited_by: Mapped[str | None] = mapped_column(
        String(320), ForeignKey("admin_users.email", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AdminSessionRow(Base):
    """One signed-in browser. The cookie holds the random token; a database leak gives only
    its sha256, which cannot be turned back into a cookie."""

    __tablename__ = "admin_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str] = mapped_column(
        String(320), ForeignKey("admin_users.email", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    client_address: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(200))
