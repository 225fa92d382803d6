"""Constraints in the conversation: what the customer refused or allowed, kept across turns.

"Any day but Monday", "not before 10", "tuesday or thursday morning" and "before my 1 pm
lunch" are read from the message (`scheduling.timeexpr.constraints`), joined with what was
said before (a later day replaces the day part, a later time the time part) and kept in the
`when_constraint` slot, which every search passes to the suggester. The day and time searched
around (`when_start`/`when_end`) follow: several acceptable days search from the earliest,
and a bound ("before my 1 pm lunch") is not mistaken for the time wanted.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from actions import parsing
from scheduling.timeexpr import Grain, Resolution
from scheduling.timeexpr.constraint import Constraint
from scheduling.timeexpr.constraints import read_constraint

SLOT = "when_constraint"
UNREAD_TIME = re.compile(r"\bat (about |around )?(a )?(quarter|half|\d|one|two|three|four|five|six|"
                         r"seven|eight|nine|ten|eleven|twelve)\b(?! of\b)", re.IGNORECASE)
"""Words that start a clock time: when the resolver read none, the time was not understood."""
REFUSED_DAY = re.compile(r"\b(but|except|not|apart from|other than|besides)( on)?( an?)? "
                         r"(mon|tues?|wed(nes)?|thu(rs?)?|fri|sat(ur)?|sun)(day)?s?\b",
                         re.IGNORECASE)


def said(text: str, now: datetime, zone: ZoneInfo) -> Constraint | None:
    """The constraint one message states, in the business's (or customer's) zone."""
    return read_constraint(text, now, zone)


def when_slots(text: str, found: Resolution | None, tracker: Tracker | None, now: datetime,
               zone: ZoneInfo) -> dict[str, Any] | None:
    """The time slots after `text` (`when`, `when_start`, `when_end`, `when_constraint`);
    None when it says neither a day or time nor a constraint. `tracker` holds what was said
    before; None for the first words of a new request."""
    new = said(text, now, zone)
    if (found is None and new is None) or unread_time(text, found):
        return None
    if found is not None and new is not None and not new.allows_day(found.start):
        found = _around_refusal(text, now, zone) or found  # "next week but Monday"
    before = tracker.get_slot if tracker is not None else lambda _name: None
    previous = tuple(_moment(before(name)) for name in ("when_start", "when_end"))
    merged = parsing.merge_correction(found, previous[0], previous[1]) if found else None
    constraint = kept(before(SLOT), new, found)
    start, end = searched(found, new, constraint, merged, (previous[0], previous[1]))
    if start is None and merged is not None and constraint is not None:
        constraint = _with_part(constraint, merged, zone)
    return {"when": text, "when_start": start.isoformat() if start else None,
            "when_end": end.isoformat() if end else None, SLOT: slot_value(constraint)}


def _around_refusal(text: str, now: datetime, zone: ZoneInfo) -> Resolution | None:
    """The days asked for once the refused one is taken out: "any day next week but Monday"
    is next week (the resolver read "next week but Monday" as that Monday); None when that
    leaves no period of several days or an allowed day."""
    found = parsing.when_in(REFUSED_DAY.sub(" ", text), now, zone)
    if found is None or found.end is None or found.end - found.start < timedelta(days=2):
        return None
    return found


def unread_time(text: str, found: Resolution | None) -> bool:
    """Whether the message says a time that was not read ("thursday at quarter to never" is
    Thursday with no time): searching the whole day would answer a question not asked."""
    return found is not None and not found.time_explicit and UNREAD_TIME.search(text) is not None


def _with_part(constraint: Constraint, merged: tuple[datetime, datetime | None],
               zone: ZoneInfo) -> Constraint:
    """A part of the day resolved ("tuesday or wednesday after work") kept as the constraint's
    window when the search no longer starts from it and nothing else says the time."""
    start, end = merged
    if end is None or constraint.says_times:
        return constraint
    low, high = start.astimezone(zone), end.astimezone(zone)
    if low.time() == high.time() or (high - low).days >= 1:
        return constraint  # a whole day or more: no time of day was said
    return replace(constraint, window=(low.time().replace(tzinfo=None),
                                       high.time().replace(tzinfo=None)))


def kept_with(text: str, tracker: Tracker, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """The constraint slot after a message that says no day or time ("the earliest, but not
    Monday"): what it states joined with what was kept."""
    return {SLOT: slot_value(kept(tracker.get_slot(SLOT), said(text, now, zone), None))}


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def kept(previous: Any, new: Constraint | None, found: Resolution | None) -> Constraint | None:
    """The constraint after this message: `previous` (the slot's JSON) with the parts the
    message restated replaced; a day or a time said plainly ("Friday", "at 3") drops the old
    day or time part, so "Monday then" after "not Monday" is heard."""
    old = Constraint.from_json(previous)
    if old is None:
        return new
    days = found is not None and found.date_explicit
    times = found is not None and (found.time_explicit or found.grain in (Grain.HOUR,
                                                                            Grain.MINUTE))
    return old.followed_by(new, days=days, times=times)


def searched(
    found: Resolution | None, new: Constraint | None, constraint: Constraint | None,
    merged: tuple[datetime, datetime | None] | None, previous: tuple[datetime | None,
                                                                    datetime | None],
) -> tuple[datetime | None, datetime | None]:
    """The day or time to search around. `merged` is the resolved request joined with the
    previous one (`parsing.merge_correction`), None when nothing was resolved.

    Several acceptable days ("tuesday or thursday") are searched from the earliest: the
    resolver's one day would hide the others. A time the constraint reads as a bound
    ("before my 1 pm lunch", the resolver's 1 PM) widens to its whole day, or to the day
    asked before, or to the earliest."""
    if merged is None:
        return previous
    start, end = merged
    days = end is not None and end - start >= timedelta(days=2)  # a period: its days filtered
    if constraint is not None and found is not None and not days and (
            not constraint.allows_day(start) or len(constraint.weekdays) > 1 and end is not None):
        return None, None  # the one day resolved is refused, or one day (part) of several
    if new is not None and new.says_times and found is not None and found.end is None:
        if found.date_explicit:
            return _whole_day(start)
        return _whole_day(previous[0]) if previous[0] is not None else (None, None)
    return start, end


def _whole_day(moment: datetime) -> tuple[datetime, datetime]:
    first = datetime.combine(moment.date(), time(0), moment.tzinfo)
    return first, first + timedelta(days=1)


def slot_value(constraint: Constraint | None) -> dict[str, Any] | None:
    return constraint.to_json() if constraint else None


def of(tracker_value: Any) -> Constraint | None:
    """The constraint a tracker holds (None when it holds none or an unreadable value)."""
    return Constraint.from_json(tracker_value)
