"""Admin dashboard accounts, kept with the rest of the business's data so every gateway
replica and every backup has them. Only a password hash is stored; hashing is the gateway's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class AdminUserRow(Base):
    __tablename__ = "admin_users"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
