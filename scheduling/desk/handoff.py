"""A customer asked for a person: the request goes to the outbox for the staff to pick up."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from scheduling.booking.messages import OutboxMessage
from scheduling.ports import DeskUnitOfWork


async def request_person(
    uow: DeskUnitOfWork, business_id: UUID, conversation_id: str, channel: str, note: str,
    now: datetime,
) -> None:
    """Record the request once per conversation and minute (a repeated ask is one request)."""
    payload = {"business_id": str(business_id), "conversation_id": conversation_id,
               "channel": channel, "note": note[:500], "requested_at": now.isoformat()}
    key = f"handoff:{conversation_id}:{now:%Y%m%dT%H%M}"
    async with uow:
        await uow.outbox.add([OutboxMessage("handoff", key, now, payload)], now)
        await uow.commit()
