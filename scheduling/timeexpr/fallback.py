"""dateparser, for what our grammar does not know (other languages, odd layouts).

It is slow (milliseconds a call), so it runs only when our grammar found nothing and the
text has something date-like in it; its answer still obeys our rules (aware, in the
business's zone, never a past day).
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any

from .grammar import MONTH, WEEKDAY, Context, pattern
from .model import Grain, Kind, Resolution

_DATE_LIKE = pattern(
    rf"\d\s*[/.:-]\s*\d|{MONTH}|{WEEKDAY}|\b(?:today|tomorrow|tonight|noon|midnight|week|month"
    r"|year|hour|minute|day)s?\b"
)
# dateparser fills what was not said from today ("April" is April 4th on the 4th): answer
# only when a day or a time was said, by a number, a weekday or a relative day.
_DAY_SAID = pattern(
    rf"\d|{WEEKDAY}|\b(?:today|tomorrow|tonight|noon|midnight|an?|one|two|three|four|five|six"
    r"|seven|eight|nine|ten|eleven|twelve|few|couple|first|second|third|last|next)\b"
)
_TIME_SAID = re.compile(r"\d[:.h]\d|\d\s*[ap]\.?m|\b(?:noon|midnight|hours?|minutes?)\b", re.I)


@lru_cache(maxsize=32)
def _settings(base: datetime, tz_name: str) -> dict[str, Any]:
    return {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "TIMEZONE": tz_name,
            "TO_TIMEZONE": tz_name, "RETURN_AS_TIMEZONE_AWARE": True}


def _dateparser(text: str, ctx: Context) -> datetime | None:
    import dateparser  # imported on first use: it takes a while to load

    settings = _settings(ctx.now.replace(tzinfo=None), str(ctx.tz))
    found = dateparser.parse(text, languages=["en"], settings=dict(settings))
    return found if isinstance(found, datetime) else None


def parse(text: str, ctx: Context) -> Resolution | None:
    if not _DATE_LIKE.search(text) or not _DAY_SAID.search(text):
        return None
    found = _dateparser(text, ctx)
    if found is None or found.tzinfo is None:
        return None
    found = found.astimezone(ctx.tz)
    if found.date() < ctx.today:
        return None
    timed = bool(_TIME_SAID.search(text))
    if not timed:
        found = found.replace(hour=0, minute=0, second=0, microsecond=0)
    grain = Grain.MINUTE if timed else Grain.DAY
    return Resolution(Kind.INSTANT, found, None, grain, date_explicit=True,
                      time_explicit=timed, meridiem_explicit=timed, assumed=True,
                      notes=("read by dateparser",))
