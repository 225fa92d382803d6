"""One-time codes: a web visitor proves they own a customer's e-mail or phone.

Only a hash of the code is stored (salted with the row id), it expires after ten minutes, it
works once, and five wrong guesses use it up. The code itself travels only in the outbox
message the dispatcher sends.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from scheduling.booking.messages import OutboxMessage
from scheduling.desk import customers
from scheduling.desk.codes import VerificationCode
from scheduling.errors import NotFound, PolicyViolation
from scheduling.ports import DeskUnitOfWork

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5


def _hash(code_id: UUID, code: str) -> str:
    return hashlib.sha256(f"{code_id}:{code}".encode()).hexdigest()


async def issue_code(
    uow: DeskUnitOfWork, customer_id: UUID, send_to: str, now: datetime
) -> None:
    """Make a code for `customer_id` and queue it to `send_to` (an e-mail or E.164 phone)."""
    code, code_id = f"{secrets.randbelow(10**6):06d}", uuid4()
    channel = "email" if "@" in send_to else "sms"
    async with uow:
        await uow.desk.add_code(VerificationCode(
            code_id, customer_id, _hash(code_id, code), send_to, 0, now, now + CODE_TTL))
        business_id = await uow.desk.business_of(customer_id)
        payload = {"channel": channel, "to": send_to, "code": code,
                   "customer_id": str(customer_id), "business_id": str(business_id),
                   "expires_at": (now + CODE_TTL).isoformat()}
        message = OutboxMessage("verification_code", f"verification_code:{code_id}", now, payload)
        await uow.outbox.add([message], now)
        await uow.commit()


async def check_code(uow: DeskUnitOfWork, customer_id: UUID, code: str, now: datetime) -> bool:
    """Whether `code` is the customer's current code; `PolicyViolation` when there is no
    usable code any more (expired, used up), so the caller offers a new one. A match proves
    the contact the code went to (`customers.prove`), in the same transaction."""
    async with uow:
        row = await uow.desk.latest_code(customer_id)
        used = row is not None and row.used_at is not None
        if row is None or used or row.expires_at <= now or row.attempts >= MAX_ATTEMPTS:
            raise PolicyViolation("verification_expired",
                                  "the code has expired or was already used; ask for a new one")
        matches = hmac.compare_digest(row.code_hash, _hash(row.id, code))
        await uow.desk.mark_code(row.id, attempts=row.attempts + 1,
                                 used_at=now if matches else None)
        matches = matches and await _prove(uow, customer_id, row.sent_to, now)
        await uow.commit()
    return matches


async def _prove(uow: DeskUnitOfWork, customer_id: UUID, sent_to: str, now: datetime) -> bool:
    """Whether the profile still exists and still has the contact the code went to (a code
    for a contact since removed proves nothing)."""
    business_id = await uow.desk.business_of(customer_id)
    if business_id is None:
        return False
    try:
        await customers.prove(uow, business_id, customer_id, sent_to, now)
    except NotFound:
        return False
    return True
