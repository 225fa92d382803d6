"""The money that moved on `tests.analytics_ledger`'s appointments, with what each figure
must be worked out by hand (New York days; every row is at Main Street):

  m2 deposit 30 paid in cash at the desk      Mar 6 10:00          +30  Mar 6
  m9 deposit 30 paid online (pi_m9)           Mar 6 12:00          +30  Mar 6
  m9 refund 30 made by Stripe (re_m9)         Mar 8 12:00          -30  Mar 8
  m3 no-show fee 40 charged to the saved card Mar 9 10:00 (asked Mar 9 00:30)  +40  Mar 9
  m4 deposit 30 paid online (pi_m4)           Mar 9 23:30 (Mar 10 03:30 UTC)  +30  Mar 9
  m6 deposit 30 paid by card at the desk      Mar 10 09:00         +30  Mar 10
  m6 late-cancel fee 25 asked by pay link     Mar 10 14:30   not paid: nothing
  m6 refund 5 owed back at the desk           Mar 10 15:00          -5  Mar 10
  m8 refund 30 queued, not yet tried          Mar 10 16:00   pending: nothing
  m4 refund 30 that Stripe refused            Mar 10 17:00   failed: nothing
  m5 deposit 30 still owed (no payment)                      nothing

Per day Mar 6..10: 60, 0, -30, 70, 25; deposits 120, fees 40, refunded 35, refunds pending
30, collected 125.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import uuid5

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence.booking_tables import BookingEventRow
from scheduling.persistence.fee_tables import FeeRow
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.payment_tables import RefundRow
from tests.analytics_ledger import NY, ledger_id

BY_DAY = [Decimal(n) for n in ("60", "0", "-30", "70", "25")]
DEPOSITS, FEES, REFUNDED, PENDING, COLLECTED = (Decimal(n)
                                                for n in ("120", "40", "35", "30", "125"))


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=NY)


def _paid(name: str, when: datetime, paid_in: str, reference: str) -> dict[str, Any]:
    return {"subject": "appointment", "subject_id": ledger_id(name), "at": when,
            "actor": "owner" if paid_in != "online" else "system", "from_status": "confirmed",
            "to_status": "confirmed", "reason": f"deposit paid ({paid_in})",
            "data": {"reference": reference, "paid_in": paid_in, "by": "owner@example.com"}}


def refund(name: str, when: datetime, amount: str, reference: str, status: str
           ) -> dict[str, Any]:
    """An outbox 'refund' message as the cancellation (or a late payment) queues it."""
    return {"id": uuid5(ledger_id(name), "refund"), "kind": "refund", "due_at": when,
            "status": status, "attempts": 0, "created_at": when,
            "appointment_id": ledger_id(name),
            "dedupe_key": f"refund:{ledger_id(name)}:cancelled",
            "payload": {"amount": amount, "reference": reference}}


async def write(factory: async_sessionmaker[AsyncSession]) -> None:
    """On top of `analytics_ledger.write`."""
    async with factory() as session:
        await session.execute(insert(BookingEventRow), [
            _paid("m2", at(6, 10), "cash", "in person (cash)"),
            _paid("m9", at(6, 12), "online", "pi_m9"),
            _paid("m4", at(9, 23, 30), "online", "pi_m4"),
            _paid("m6", at(10, 9), "card", "in person (card)"),
        ])
        refunds = [refund("m9", at(8, 12), "30", "pi_m9", "sent"),
                   refund("m6", at(10, 15), "5", "in person (card)", "cancelled"),
                   refund("m8", at(10, 16), "30", "pi_m8", "pending"),
                   refund("m4", at(10, 17), "30", "pi_m4", "failed")]
        await session.execute(insert(OutboxRow), refunds)
        for outbox, status, provider in ((refunds[0], "succeeded", "re_m9"),
                                         (refunds[3], "failed", None)):
            await session.execute(insert(RefundRow).values(
                outbox_id=outbox["id"], appointment_id=outbox["appointment_id"],
                amount=Decimal(outbox["payload"]["amount"]),
                payment_reference=outbox["payload"]["reference"], provider_id=provider,
                status=status, attempts=1, last_error=None if provider else "card_declined",
                created_at=outbox["created_at"], updated_at=outbox["created_at"]))
        for name, kind, amount, status, provider, asked, moved in (
                ("m3", "no_show", "40", "charged", "pi_fee_m3", at(9, 0, 30), at(9, 10)),
                ("m6", "late_cancel", "25", "requested", None, at(10, 14, 30),
                 at(10, 14, 30))):
            await session.execute(insert(FeeRow).values(
                outbox_id=uuid5(ledger_id(name), "fee"), appointment_id=ledger_id(name),
                kind=kind, amount=Decimal(amount), status=status, provider_id=provider,
                attempts=1, last_error=None, created_at=asked, updated_at=moved))
        await session.commit()
