"""What the bot chose that the customer's words did not say, said in words (issue 18, kind 4).

The time resolver marks a reading it had to choose (`Resolution.notes`): am/pm picked by the
opening hours ("thursday at 3" is 3 PM), or a day that has passed moved forward ("the 1st" on
December 2 is January 1). Offers for such a reading are not labelled "as you asked"; the
choice is said instead, before them: "I took 3 as 3 PM.", "The 1st has passed, so I looked at
Friday, January 1." The returning customer's usual time is theirs, not a guess.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from actions import parsing, returning
from actions.zones import Zones
from scheduling import formats
from scheduling.timeexpr import Resolution
from scheduling.timeexpr.dates import ROLLED
from scheduling.timeexpr.resolver import GUESSED

SEARCH_WORDS = (None, "later", "earlier", "earliest")
DAY_OF_MONTH = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)\b", re.IGNORECASE)
WEEKDAY = re.compile(r"\b(mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b",
                     re.IGNORECASE)


def reading(tracker: Tracker, zones: Zones, now: datetime) -> Resolution | None:
    """The resolution of the time the customer said, when it chose something they did not
    say; None when it chose nothing (or the time is not their words)."""
    when = tracker.get_slot("when")
    if when in SEARCH_WORDS or not tracker.get_slot("when_start") or returning.habitual(tracker):
        return None
    found = parsing.when_in(str(when), now, zones.customer)
    return found if found is not None and found.assumed else None


def words(tracker: Tracker, found: Resolution, zones: Zones, now: datetime) -> str:
    """"The 1st has passed, so I looked at Friday, January 1. I took 3 as 3 PM. " (with a
    space after, to go before the offers' heading), or "" when nothing needs saying."""
    start = datetime.fromisoformat(tracker.get_slot("when_start"))
    said = []
    if ROLLED in found.notes:
        passed = _passed(str(tracker.get_slot("when")), start, zones.customer)
        said.append(f"{passed} has passed, so I looked at {zones.day(start, now)}.")
    if GUESSED in found.notes and not tracker.get_slot("when_end"):
        clock = formats.clock(start, zones.customer)
        said.append(f"I took {clock.rsplit(' ', 1)[0]} as {clock}.")
    return "".join(f"{sentence} " for sentence in said)


def _passed(text: str, start: datetime, zone: ZoneInfo) -> str:
    """How the customer named the day that has passed: "The 1st", "Monday this week"."""
    dated = DAY_OF_MONTH.search(text)
    if dated:
        return f"The {dated.group().lower()}"
    return f"{formats.weekday(start, zone)} this week" if WEEKDAY.search(text) else "That day"
