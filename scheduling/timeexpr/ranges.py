"""Clock ranges: which time is the lower bound, which the upper, and their am/pm.

"between 2 and 4pm", "3:30 to 6 PM", "after 5", "before noon", "later than 3:30pm but
before 6pm", "5 or later". A bound that lacks am/pm takes it from the other bound; when
neither says, the business's window (a part of the day, or opening hours) decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from .clock import after, before, nearest
from .grammar import Clock, Op


@dataclass(frozen=True, slots=True)
class Bounds:
    """What the clock words of one phrase mean: a single time, or lower and/or upper."""

    at: Clock | None = None
    lower: Clock | None = None
    upper: Clock | None = None


@dataclass(frozen=True, slots=True)
class Minutes:
    """Bounds settled to minutes after midnight; ``guessed`` when opening hours chose am/pm."""

    at: int | None
    lower: int | None
    upper: int | None
    guessed: bool


def _roles(items: list[Op | Clock]) -> list[tuple[str | None, Clock]]:
    """Give each clock the role of the range word before it ("or later" after it)."""
    labeled: list[tuple[str | None, Clock]] = []
    pending: str | None = None
    for item in items:
        if isinstance(item, Clock):
            labeled.append((pending, item))
            pending = None
        elif item.role.endswith("_post") and labeled:
            labeled[-1] = (item.role.removesuffix("_post"), labeled[-1][1])
        elif item.role in ("lower", "upper"):
            pending = item.role
        elif item.role == "link" and labeled:
            pending = pending or "upper"
    return labeled


def bounds(items: list[Op | Clock]) -> Bounds:
    labeled = _roles(items)
    lower = next((c for role, c in labeled if role == "lower"), None)
    upper = next((c for role, c in labeled if role == "upper"), None)
    plain = [c for role, c in labeled if role is None]
    if plain and upper is not None and lower is None:
        return Bounds(lower=plain[0], upper=upper)
    if lower is None and upper is None:
        return Bounds(at=plain[0]) if plain else Bounds()
    return Bounds(lower=lower, upper=upper)


# The half of the day a part of the day fixes for a clock said beside it ("3 in the
# morning" is 3 am even though the morning window starts later; "8 at night" is 8 pm).
_PART_MERIDIEM = {"morning": "a", "afternoon": "p", "evening": "p", "after_work": "p",
                  "after_lunch": "p", "before_lunch": "a"}
_NIGHT_PM_HOURS = range(5, 12)


def pin(b: Bounds, part: str | None) -> Bounds:
    """Settle am/pm of each unsettled bound by the part of the day said (12 excepted)."""
    def fix(c: Clock | None) -> Clock | None:
        if c is None or c.fixed or c.hour == 12:
            return c
        mer = _PART_MERIDIEM.get(part or "")
        if part in ("night", "tonight"):
            mer = "p" if c.hour in _NIGHT_PM_HOURS else None
        if mer is None:
            return c
        return Clock(c.hour % 12 + (12 if mer == "p" else 0), c.minute, True, c.bare)
    return Bounds(fix(b.at), fix(b.lower), fix(b.upper))


def settle(b: Bounds, window: tuple[int, int], from_hours: bool) -> Minutes:
    """Pick am/pm for each bound; ``from_hours`` says the window is opening hours."""
    open_ended = [c for c in (b.at, b.lower, b.upper) if c is not None]
    guessed = from_hours and bool(open_ended) and all(not c.fixed for c in open_ended)
    if b.lower is not None and b.upper is not None:
        if b.lower.fixed or not b.upper.fixed:
            lo = nearest(b.lower, window)
            return Minutes(None, lo, after(b.upper, lo), guessed)
        hi = nearest(b.upper, window)
        return Minutes(None, before(b.lower, hi), hi, guessed)
    return Minutes(_nearest(b.at, window), _nearest(b.lower, window),
                   _nearest(b.upper, window), guessed)


def _nearest(clock: Clock | None, window: tuple[int, int]) -> int | None:
    return None if clock is None else nearest(clock, window)
