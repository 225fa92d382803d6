"""A one-time code as the front desk sees it (only its salted hash is ever stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True, slots=True)
class VerificationCode:
    id: UUID
    customer_id: UUID
    code_hash: str
    sent_to: str
    attempts: int
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
