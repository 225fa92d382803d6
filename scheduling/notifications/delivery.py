"""A leased outbox message and the record of one hand-over to a provider: the values the
dispatcher, the planning and `scheduling.persistence.outbox_store` exchange."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

Json = dict[str, Any]
ALERT_KINDS = frozenset({"confirmation"})
"""Kinds whose final failure alerts the business: a customer who never got their confirmation
may not come, or may come at the wrong time."""


@dataclass(frozen=True, slots=True)
class Claimed:
    """A leased outbox row; `done_channels` already succeeded in an earlier, partial try."""

    id: UUID
    kind: str
    payload: Json
    due_at: datetime
    attempts: int
    appointment_id: UUID | None
    token: UUID
    reclaimed: bool = False
    done_channels: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Attempt:
    """One hand-over to one provider; `status` is sent, failed or skipped."""

    channel: str
    provider: str
    recipient: str
    idempotency_key: str
    status: str
    provider_message_id: str | None = None
    error: str | None = None
    summary: str = ""
    retryable: bool = field(default=True, compare=False)


def alert_text(message: Claimed, error: str) -> str:
    """What the admin dashboard says about a message that failed for good."""
    payload = message.payload
    return (f"The {message.kind} for {payload.get('service', 'an appointment')} at "
            f"{payload.get('start', '?')} could not be delivered: {error}")
