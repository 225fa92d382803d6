"""Wall-clock times to aware datetimes, honest about DST gaps and repeats."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

SKIPPED = "the local time does not exist (clocks go forward); moved forward by the gap"
REPEATED = "the local time happens twice (clocks go back); the first was chosen"


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def localize(day: date, minutes: int, tz: tzinfo) -> tuple[datetime, str | None]:
    """``minutes`` after the start of ``day`` on the wall clock, as an aware datetime.

    A time the clocks skip is moved forward by the length of the gap (2:30 on
    spring-forward day is 3:30) and a time they repeat is the first of the two (fold=0);
    either way a note says so, so the caller can ask or confirm.
    """
    naive = datetime.combine(day, time()) + timedelta(minutes=minutes)
    first = naive.replace(tzinfo=tz, fold=0)
    if first.utcoffset() == first.replace(fold=1).utcoffset():
        return first, None
    normal = first.astimezone(UTC).astimezone(tz)
    if normal.replace(tzinfo=None) == naive:
        return first, REPEATED
    return normal, SKIPPED
