"""`python -m assistant links revoke CODE` and `... links revoke --appointment ID`: withdraw
short links, e.g. when a customer forwarded a message by mistake or a phone number changed
hands. A revoked code answers "no longer valid" at once; the next message about the same
appointment gets a new code. The schema is brought up to date first, and the embedded
database borrowed if `make run` has it running.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from uuid import UUID

from assistant.run import database
from assistant.settings import Settings
from scheduling.persistence import short_links
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.persistence.migrate import upgrade


def revoke(settings: Settings, code: str | None, appointment: str | None) -> int:
    if (code is None) == (appointment is None):
        print("error: give a code or --appointment ID, not both", file=sys.stderr)
        return 2
    try:
        subject = UUID(appointment) if appointment is not None else None
    except ValueError:
        print(f"error: {appointment!r} is not an appointment id", file=sys.stderr)
        return 2
    with database(settings, borrow=True) as url:
        upgrade(url)
        count = asyncio.run(_revoke(url, code, subject))
    if code is not None and not count:
        print(f"no live short link {code!r} (unknown, or revoked already)", file=sys.stderr)
        return 1
    print(f"revoked {count} short link(s)")
    return 0


async def _revoke(url: str, code: str | None, subject: UUID | None) -> int:
    engine = make_engine(url)
    now = datetime.now(UTC)
    try:
        factory = make_session_factory(engine)
        if subject is not None:
            return await short_links.revoke_subject(factory, subject, now)
        return int(await short_links.revoke(factory, str(code), now))
    finally:
        await engine.dispose()
