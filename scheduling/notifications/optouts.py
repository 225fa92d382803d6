"""SMS opt-outs keyed by phone number: STOP adds one, START removes it.

The gateway's SMS webhook records them and the SMS channel consults them before every send
(`scheduling.persistence.optouts_store`), so a STOP received between booking and reminder is
honoured. Here: which phone numbers can be recorded at all.
"""

from __future__ import annotations

from scheduling.catalog import E164
from scheduling.errors import InvalidRequest


def checked(phone: str) -> str:
    """`phone` if it is E.164; an opt-out under any other spelling would never match a send."""
    if not E164.match(phone):
        raise InvalidRequest(f"phone {phone!r} is not E.164 (+15551234567)", field="phone")
    return phone
