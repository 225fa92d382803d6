"""The human forms of the catalog file's values: "45 min", "1h30", "40.00", "09:00-17:00".

Each `parse_*` raises `ValueError` with a sentence that quotes the text; each `format_*` gives
the text its `parse_*` reads back to the same value.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling.catalog import zone
from scheduling.errors import InvalidRequest
from scheduling.hours import TimeSpan

_DURATION = re.compile(
    r"(?:(?P<d>\d+)\s*(?:d|days?)\s*)?"
    r"(?:(?P<h>\d+)\s*(?:h|hrs?|hours?)\s*)?"
    r"(?:(?P<m>\d+)\s*(?P<unit>m|mins?|minutes?)?)?"
)
_MONEY = re.compile(r"\d{1,10}(?:\.\d{1,2})?")
LONGEST = timedelta(days=366)
MOST = 100_000
"""Bounds past which a value is a typo, kept inside what the database columns hold."""
CLOSED = ("closed", "off")
MINUTE = timedelta(minutes=1)


def parse_duration(text: str) -> timedelta:
    """ "45 min", "1h30", "2h", "1 day", "0"; bare minutes only after hours ("1h30")."""
    plain = text.strip().lower()
    found = _DURATION.fullmatch(plain)
    if plain.startswith("-"):
        raise ValueError(f'"{text}" is not a positive duration')
    if (not plain or found is None
            or (found["m"] and not found["unit"] and not found["h"] and plain != "0")):
        raise ValueError(f'"{text}" is not a duration like "45 min", "1h30" or "2h"')
    days, hours, minutes = (int(found[part] or 0) for part in ("d", "h", "m"))
    total = minutes + 60 * (hours + 24 * days)
    if total > LONGEST // MINUTE:
        raise ValueError(f'"{text}" is longer than a year')
    return timedelta(minutes=total)


def format_duration(value: timedelta) -> str:
    if value < timedelta(0) or value % MINUTE:
        raise ValueError(f"{value} is not a whole number of minutes")
    hours, minutes = divmod(value // MINUTE, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours}h{minutes:02d}" if minutes else f"{hours}h"


def parse_money(text: str) -> Decimal:
    if not _MONEY.fullmatch(text.strip()):
        raise ValueError(f'"{text}" is not an amount like "40.00"')
    return Decimal(text.strip())


def format_money(value: Decimal) -> str:
    return f"{value:.2f}"


def parse_id(text: str) -> UUID:
    try:
        return UUID(text.strip())
    except ValueError as error:
        raise ValueError(f'"{text}" is not an id (a UUID); leave it out to derive one') from error


def zone_name(text: str) -> str:
    """A known time zone's name ("Europe/Paris"), or the domain's refusal."""
    return zone(text.strip()).key


def parse_count(text: str) -> int:
    plain = text.strip()
    if not (plain.isascii() and plain.isdigit()) or int(plain) > MOST:
        raise ValueError(f'"{text}" is not a whole number up to {MOST}')
    return int(plain)


def parse_spans(text: str) -> tuple[TimeSpan, ...]:
    """ "09:00-12:30, 13:30-18:00"; "closed" or "off" for none."""
    if text.strip().lower() in CLOSED:
        return ()
    try:
        return tuple(TimeSpan.parse(part) for part in text.split(","))
    except InvalidRequest as error:
        raise ValueError(f'"{text}" is not hours like "09:00-17:00": {error}') from error


def format_spans(spans: tuple[TimeSpan, ...]) -> str:
    return ", ".join(str(span) for span in spans) or CLOSED[0]


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(f'"{text}" is not a date like "2027-01-31"') from error


def parse_moment(text: str, zone: ZoneInfo) -> datetime:
    """ "2027-01-31 09:00" on the business's clock, or with an offset ("...T09:00-05:00")."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(f'"{text}" is not a time like "2027-01-31 09:00"') from error
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def format_moment(moment: datetime, zone: ZoneInfo) -> str:
    """On the business's clock; with its offset when the clock alone would read otherwise (an
    hour a DST change repeats or skips, seconds)."""
    local = moment.astimezone(zone)
    plain = local.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if parse_moment(plain, zone).astimezone(UTC) == moment.astimezone(UTC):
        return plain
    return local.isoformat(sep=" ")
