"""What a booking's phone or e-mail has done before (`ContactRecord`), on the driver.

Every booking a customer makes from the chat or the web reads it (the owner's caps per phone
or e-mail, and the blocklist by phone or e-mail), so it runs as plain SQL on the session's
psycopg connection (`driver`) instead of through the ORM, whose execution cost more than the
query: the same statement as before, for the phone, the e-mail or both, served by the indexes
led by `(business_id, contact_phone)` and `(business_id, lower(contact_email))`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.model import Status
from scheduling.booking.values import ContactRecord
from scheduling.persistence import driver

PHONE, EMAIL = "%(phone)s::text", "%(email)s::text"


@cache
def record_sql(phone: bool, email: bool, windows: int) -> str:
    """Bookings made since each of `windows` moments (held ones aside, cancelled ones
    counted: cancelling does not refill a cap) with the phone and/or e-mail, on any profile of
    the business, and whether a blocked customer of the business has either. Only the tests
    for what is given: each is an index condition (no `OR` with a NULL arm for the planner's
    generic plan to carry)."""
    reached = ([f"a.contact_phone = {PHONE}"] if phone else []) + (
        [f"lower(a.contact_email) = {EMAIL}"] if email else [])
    known = ([f"c.phone = {PHONE}"] if phone else []) + (
        [f"lower(c.email) = {EMAIL}"] if email else [])
    counts = ", ".join(f"count(*) FILTER (WHERE a.created_at >= %(since{i})s)"
                       for i in range(windows))
    return (
        f"SELECT {counts}, EXISTS (SELECT FROM customer_blocks k JOIN customers c"
        " ON c.id = k.customer_id WHERE c.business_id = %(business)s"
        f" AND ({' OR '.join(known)})) FROM appointments a"
        f" WHERE a.business_id = %(business)s AND ({' OR '.join(reached)})"
        f" AND a.created_at >= %(first)s AND a.status <> '{Status.HELD.value}'"
    )


async def contact_record(
    session: AsyncSession, business_id: UUID, phone: str | None, email: str | None,
    since: Sequence[datetime],
) -> ContactRecord:
    """The counts for each moment of `since` and the blocklist, in one round trip; zeros and
    not blocked without a phone or e-mail to go by (nothing is read)."""
    if not (phone or email) or not since:
        return ContactRecord(tuple(0 for _ in since), False)
    params: dict[str, object] = {
        "business": business_id, "phone": phone, "email": email.lower() if email else None,
        "first": min(since), **{f"since{i}": moment for i, moment in enumerate(since)},
    }
    sql = record_sql(bool(phone), bool(email), len(since))
    row = (await driver.fetch(session, sql, params))[0]
    return ContactRecord(tuple(int(n) for n in row[:-1]), bool(row[-1]))
