"""SMS pumping: anyone who can make us text a number of their choosing (a booking with a
made-up phone, a one-time code request) can run up our Twilio bill, or earn from premium-rate
numbers they own. Texts to numbers nobody ever proved control of (no customer row with that
phone has `phone_verified_at`) are capped at send time, per number and per business; over a
cap the SMS is skipped with its reason recorded, and the e-mail of the same message still goes.
One-time codes count: they are texts to a number nobody proved yet.

The caps are token buckets in the database (`scheduling.persistence.limits`), shared by every
dispatcher replica.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from scheduling.persistence import limits
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.limits import Rate


@dataclass(frozen=True, slots=True)
class SmsCaps:
    per_number: Rate = Rate.per(3, timedelta(days=1))
    per_business: Rate = Rate.per(50, timedelta(hours=1))


async def refusal(factory: SessionFactory, caps: SmsCaps, phone: str,
                  business_id: str | None, now: datetime) -> str | None:
    """Why this SMS may not be sent now, or None when it may (spending from the caps)."""
    async with factory() as session:
        if await limits.phone_verified(session, phone):
            return None
        reason = None
        if await limits.spend(session, f"sms-unverified:{phone}", caps.per_number,
                              now) is not None:
            reason = f"unverified number: over {_cap(caps.per_number)} to it"
        elif business_id and await limits.spend(
                session, f"sms-unverified-business:{business_id}", caps.per_business,
                now) is not None:
            reason = f"over {_cap(caps.per_business)} to unverified numbers for this business"
        await session.commit()
    return reason


def _cap(rate: Rate) -> str:
    hours = (rate.step * rate.burst) / timedelta(hours=1)
    period = "a day" if hours == 24 else "an hour" if hours == 1 else f"{hours:g} hours"
    return f"{rate.burst} texts {period}"
