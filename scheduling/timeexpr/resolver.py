"""The public entry points: ``extract`` every time expression, ``resolve`` the main one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo

from . import fallback
from .config import DAY_MINUTES, DEFAULT_DAY_PARTS, DEFAULT_HOURS, BusinessHours, DayParts
from .grammar import Context, Part
from .model import Grain, Kind, Mention, Resolution
from .ranges import Minutes, pin, settle
from .scan import Phrase, refused, scan
from .zones import localize, zone

GUESSED = "am/pm was chosen by opening hours"


def context(now: datetime, tz: tzinfo | str, parts: DayParts | None,
            hours: BusinessHours | None) -> Context:
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    zone_info = zone(tz) if isinstance(tz, str) else tz
    return Context(now.astimezone(zone_info), zone_info, parts or DEFAULT_DAY_PARTS,
                   hours or DEFAULT_HOURS)


def extract(text: str, now: datetime, tz: tzinfo | str, *, parts: DayParts | None = None,
            hours: BusinessHours | None = None) -> list[Mention]:
    """Every time expression in ``text``, in order, each resolved on its own."""
    ctx = context(now, tz, parts, hours)
    found = [Mention(p.start, p.end, text[p.start:p.end], finalize(p, ctx))
             for p in scan(text, ctx)]
    if found or refused(text, ctx):
        return found
    guess = fallback.parse(text, ctx)
    return [Mention(0, len(text), text, guess)] if guess else []


def resolve(text: str, now: datetime, tz: tzinfo | str, *, parts: DayParts | None = None,
            hours: BusinessHours | None = None) -> Resolution | None:
    """The main time expression of ``text``: the most complete one, completed by a lone
    day or time said elsewhere in the sentence ("Friday, ideally around 3")."""
    ctx = context(now, tz, parts, hours)
    found = scan(text, ctx)
    if not found:
        return None if refused(text, ctx) else fallback.parse(text, ctx)
    return finalize(_main(found), ctx)


def _has_time(p: Phrase) -> bool:
    return p.part is not None or p.bounds.at is not None or p.bounds.lower is not None \
        or p.bounds.upper is not None


def _main(found: list[Phrase]) -> Phrase:
    best = max(found, key=lambda p: (p.day is not None) + _has_time(p) + (p.moment is not None))
    if best.day is None and _has_time(best):
        day = next((p for p in found if p.day is not None and not _has_time(p)), None)
        return replace(best, day=day.day) if day else best
    if best.day is not None and not _has_time(best) and best.day.until is None:
        timed = next((p for p in found if p.day is None and _has_time(p)), None)
        return replace(timed, day=best.day) if timed else best
    return best


def part_window(part: Part, ctx: Context) -> tuple[int, int]:
    """The part's window in minutes; "early"/"late" take its first/second half, "mid" the
    middle half ("late afternoon" is 14:30-17:00 with a 12-17 afternoon)."""
    lo, hi = ctx.parts.window(part.name).minutes()
    half, quarter = (hi - lo) // 2, (hi - lo) // 4
    return {"early": (lo, lo + half), "late": (lo + half, hi),
            "mid": (lo + quarter, hi - quarter)}.get(part.span, (lo, hi))


def _end_minute(p: Phrase, m: Minutes, ctx: Context) -> int:
    if m.at is not None:
        return m.at
    if m.upper is not None:
        return m.upper
    if p.part is not None and m.lower is None:
        return part_window(p.part, ctx)[1]
    return DAY_MINUTES


def _day(p: Phrase, m: Minutes, ctx: Context) -> date:
    """The phrase's day; without one, today if the time is still ahead, else tomorrow."""
    if p.day is not None:
        return p.day.first
    now_minute = ctx.now.hour * 60 + ctx.now.minute
    ahead = (p.part is not None and p.part.today) or _end_minute(p, m, ctx) > now_minute
    return ctx.today if ahead else ctx.today + timedelta(days=1)


class _Builder:
    """Collects the notes while turning wall-clock minutes into aware datetimes."""

    def __init__(self, p: Phrase, ctx: Context) -> None:
        self.p, self.ctx = p, ctx
        self.notes: list[str] = [p.day.note] if p.day and p.day.note else []

    def at(self, day: date, minutes: int) -> datetime:
        moment, note = localize(day, minutes, self.ctx.tz)
        if note and note not in self.notes:
            self.notes.append(note)
        return moment

    def result(self, kind: Kind, start: datetime, end: datetime | None, grain: Grain,
               m: Minutes | None = None) -> Resolution:
        timed = m is not None and (m.at is not None or m.lower is not None or m.upper is not None)
        if m is not None and m.guessed:
            self.notes.append(GUESSED)
        date_said = self.p.day is not None or (self.p.part is not None and self.p.part.today)
        meridiem = timed and not (m is not None and m.guessed)
        return Resolution(kind, start, end, grain, date_said, timed or self.p.moment is not None,
                          meridiem or self.p.moment is not None, bool(self.notes),
                          tuple(self.notes))


def finalize(p: Phrase, ctx: Context) -> Resolution:
    b = _Builder(p, ctx)
    if p.moment is not None:
        return b.result(Kind.INSTANT, p.moment.at, None, p.moment.grain)
    window = part_window(p.part, ctx) if p.part else ctx.hours.window().minutes()
    m = settle(pin(p.bounds, p.part.name if p.part else None), window, from_hours=p.part is None)
    if p.day is not None and p.day.until is not None:
        if p.day.grain is Grain.DAY and m.at is not None:  # "22-23 Feb at 7pm"
            last = p.day.until - timedelta(days=1)
            return b.result(Kind.INTERVAL, b.at(p.day.first, m.at), b.at(last, m.at),
                            Grain.MINUTE, m)
        return b.result(Kind.INTERVAL, b.at(p.day.first, 0), b.at(p.day.until, 0), p.day.grain)
    day = _day(p, m, ctx)
    if m.at is not None:
        return b.result(Kind.INSTANT, b.at(day, m.at), None, Grain.MINUTE, m)
    if m.lower is not None or m.upper is not None:
        lo = window[0] if p.part and m.lower is None else m.lower or 0
        hi = window[1] if p.part and m.upper is None else m.upper or DAY_MINUTES
        return _interval(b, day, lo, hi, Grain.MINUTE, m)
    if p.part is not None:
        return _interval(b, day, window[0], window[1], Grain.HOUR, m)
    if p.asap:
        return _asap(b, p, ctx)
    return b.result(Kind.INSTANT, b.at(day, 0), None, Grain.DAY, m)


def _interval(b: _Builder, day: date, lo: int, hi: int, grain: Grain, m: Minutes) -> Resolution:
    """``[lo, hi)`` on ``day``, starting no earlier than now."""
    start, end = b.at(day, lo), b.at(day, hi)
    if start < b.ctx.now < end:
        start = b.ctx.now
    return b.result(Kind.INTERVAL, start, end, grain, m)


def _asap(b: _Builder, p: Phrase, ctx: Context) -> Resolution:
    if p.day is None or p.day.first <= ctx.today:
        return b.result(Kind.INTERVAL, ctx.now, None, Grain.MINUTE)
    start = b.at(p.day.first, 0)
    return b.result(Kind.INTERVAL, start, b.at(p.day.first + timedelta(days=1), 0), Grain.DAY)
