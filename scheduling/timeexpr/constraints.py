"""Reading a `Constraint` from a message: refusals ("any day but Monday", "not tomorrow"),
bounds ("not before 10", "no later than 4", "before my 1 pm lunch") and several acceptable
days ("tuesday or thursday morning", "weekday mornings").

The resolver answers one day and time; this answers what it cannot: what is refused and
what else is acceptable. A message with none of that (a plain "Friday at 3") reads as no
constraint, so the resolver's answer stands alone. Clock times are read by the resolver
itself (a bare "4" is inside business hours: 4 PM), in the business's zone.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo

from .config import DEFAULT_DAY_PARTS, DayParts
from .constraint import Constraint
from .grammar import WEEKDAYS
from .numbers import NUMBER_WORD, alt
from .resolver import resolve
from .zones import zone as as_zone

_DAY_NAMES = {**WEEKDAYS, "sat": 5, "sun": 6}
# "sat" and "sun" are words too: not after a pronoun or article ("I sat", "the sun").
_SHORT = "".join(rf"(?<!\b{w}\s)" for w in "i we you he she they it the a".split()) + \
    r"(?:sat|sun)s?"
_DAY = rf"(?:{alt(WEEKDAYS)}s?|{_SHORT}|weekdays?|week\s*days?|weekends?|today|tomorrow|tmrw|tmr)"
_NOT_A_PICK = r"(?!\s+(?:is|are|works?|would|then|instead|please|fine|ok|good|better)\b)"
_DAYS = rf"(?:{_DAY}(?:(?:\s*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+|\s+nor\s+|\s*/\s*)" \
        rf"(?:on\s+)?{_DAY}{_NOT_A_PICK})*)"
_LEAD = r"(?:on\s+)?(?:a\s+|the\s+)?"
_REFUSE = (r"(?:except(?:\s+for)?|but\s+not|not|nothing(?:\s+on)?|other\s+than|apart\s+from"
           r"|excluding|besides"
           r"|never(?:\s+on)?|no(?!\s*,)|(?:can'?t|cannot|can\s+not|won'?t)\s+(?:do|make|come)"
           r"(?:\s+it)?)")
_REFUSED_AFTER = (r"(?:is|are)\s+(?:out|no\s+good|not\s+good|bad|impossible|a\s+no)"
                  r"|(?:doesn'?t|does\s+not|don'?t|do\s+not|won'?t)\s+work")
_ANY_BEFORE = re.compile(r"\b(?:any|anything|every|all|whenever|week|mornings|afternoons"
                         r"|evenings|days|weekdays)\b")
_CLOCK = (rf"(?:\d{{1,2}}(?:[:.]\d{{2}})?(?:\s*(?:[ap]\.?\s?m\b\.?|o'?clock))?|noon|midday"
          rf"|lunch(?:time)?|{NUMBER_WORD}(?:\s*(?:[ap]\.?\s?m\b\.?|o'?clock))?)")
_T = rf"(?P<t>{_CLOCK})(?![\w:]|\.\d)"  # the whole time: "9:30" is never read as "9"
_LATEST = [rf"\b(?:no|not)\s+later\s+than\s+{_T}",
           rf"\bnot\s+after\s+{_T}",
           rf"\b{_T}\s+at\s+the\s+latest"]
_EARLIEST = [rf"\b(?:not|nothing|none)\s+(?:before|earlier\s+than)\s+{_T}",
             rf"\bno\s+(?:earlier|sooner)\s+than\s+{_T}",
             rf"\b(?:any\s*time\s+)?(?:after|later\s+than|from)\s+{_T}"
             rf"(?!\s*(?:-|to|till|til|until)\b)(?:\s+on(?:wards?)?)?",
             rf"\b{_T}\s+(?:or\s+later|onwards?|and\s+later|at\s+the\s+earliest)",
             rf"\b(?:work|working|busy|in\s+class|at\s+school)\s+(?:until|till|til)\s+{_T}"]
_ENDS_BY = [rf"\bbefore\s+(?:my|our|the)\s+{_T}",
            rf"\b(?:before|by)\s+(?:my|our|the)\s+\w+(?:\s+\w+)?\s+at\s+{_T}",
            rf"\b(?:have|got|has)\s+(?:a|an|my)\s+\w+\s+at\s+{_T}"
            rf"(?=.*\bbefore\s+(?:that|then|it)\b)",  # "a meeting at 2 so before that"
            rf"\b(?:finish(?:ed)?|done|out|over|gone|back|leave)\s+by\s+{_T}",
            rf"\bbefore\s+{_T}(?!\s*or\b)"]  # not a range: "before 10 or after 4"
_EITHER = rf"\b(?:before|after)\s+{_T}\s+or\s+(?:before|after)\s+{_CLOCK}"
_PARTS = {"morning": "morning", "afternoon": "afternoon", "evening": "evening",
          "lunchtime": "lunchtime", "lunch time": "lunchtime", "after work": "after_work"}
_PART = rf"(?P<part>{alt(_PARTS)})(?P<plural>s)?\b"
_NO_PART = rf"\b(?:no|not(?:\s+in\s+the)?|never(?:\s+in\s+the)?)\s+{_PART}"


def read_constraint(text: str, now: datetime, zone: tzinfo | str,
                    parts: DayParts = DEFAULT_DAY_PARTS) -> Constraint | None:
    """The constraint `text` states, or None when it states none (a plain day and time)."""
    said = " " + re.sub(r"\s+", " ", text.lower().replace("’", "'")) + " "
    reader = _Reader(said, now, zone, parts)
    found = reader.read()
    return found if found and reader.constrains else None


class _Reader:
    """One message, read piece by piece; each piece read is blanked so it is read once."""

    def __init__(self, said: str, now: datetime, zone: tzinfo | str, parts: DayParts) -> None:
        self.said, self.now, self.zone, self.parts = said, now, zone, parts
        self.today = now.astimezone(as_zone(zone) if isinstance(zone, str) else zone).date()
        self.constrains = False

    def read(self) -> Constraint:
        for either in list(re.finditer(_EITHER, self.said)):
            self._blank(either)  # "before 10 or after 4": two windows, which no bound says
        latest = self._clock(_LATEST)  # before "after": "not after 11" is a latest start
        earliest = self._clock(_EARLIEST, end=True)
        ends_by = self._clock(_ENDS_BY)
        earliest, ends_by = self._refused_parts(earliest, ends_by)
        refused = self._refused_days()
        allowed = self._days(self.said)
        window = self._window()
        weekdays = frozenset(d for d in allowed if isinstance(d, int))
        several = len(weekdays) > 1 or any(isinstance(d, str) for d in allowed)
        self.constrains = self.constrains or several or bool(refused)
        zone_name = self.zone if isinstance(self.zone, str) else str(self.zone)
        return Constraint(
            zone_name, weekdays, frozenset(d for d in refused if isinstance(d, int)),
            frozenset(d for d in refused if isinstance(d, date)), earliest, latest, window,
            ends_by)

    def _blank(self, match: re.Match[str]) -> None:
        start, end = match.span()
        self.said = self.said[:start] + " " * (end - start) + self.said[end:]

    def _clock(self, patterns: list[str], end: bool = False) -> time | None:
        """The first bound one of `patterns` states; a window ("after lunch") gives its end
        for a lower bound and its start otherwise."""
        for pattern in patterns:
            match = re.search(pattern, self.said)
            if match is None:
                continue
            found = resolve(f"at {match['t']}", self.now, self.zone)  # a bare "2" is a time
            if found is None:
                continue
            self._blank(match)
            self.constrains = True
            moment = found.end if end and found.end is not None else found.start
            local = moment.astimezone(found.start.tzinfo)
            return local.time().replace(tzinfo=None)
        return None

    def _refused_parts(self, earliest: time | None, ends_by: time | None
                       ) -> tuple[time | None, time | None]:
        """"No mornings" starts after the morning; "not in the evening" ends before it."""
        for match in list(re.finditer(_NO_PART, self.said)):
            window = self.parts.window(_PARTS[match["part"]])
            if match["part"] == "morning":
                earliest = window.end
            else:
                ends_by = window.start
            self._blank(match)
            self.constrains = True
        return earliest, ends_by

    def _refused_days(self) -> set[int | date | str]:
        refused: set[int | date | str] = set()
        patterns = [rf"\b{_REFUSE}\s+{_LEAD}(?P<days>{_DAYS})",
                    rf"\b(?P<days>{_DAYS})\s+(?:{_REFUSED_AFTER})",
                    rf"\bbut\s+{_LEAD}(?P<days>{_DAYS})"]
        for pattern in patterns:
            for match in list(re.finditer(pattern, self.said)):
                if pattern.startswith(r"\bbut") and not _ANY_BEFORE.search(
                        self.said[:match.start()]):
                    continue
                refused |= self._days(match["days"])
                self._blank(match)
        return refused

    def _days(self, text: str) -> set[int | date | str]:
        """Weekdays as numbers, "today"/"tomorrow" as dates; "weekend"/"weekday" as their
        days plus a marker that several days were said."""
        found: set[int | date | str] = set()
        for match in re.finditer(rf"\b{_DAY}\b", text):
            word = re.sub(r"\s+", "", match.group())
            if word.startswith("weekday"):
                found |= {0, 1, 2, 3, 4, "several"}
            elif word.startswith("weekend"):
                found |= {5, 6, "several"}
            elif word in ("today", "tomorrow", "tmrw", "tmr"):
                found.add(self.today + timedelta(days=0 if word == "today" else 1))
            else:
                name = word if word in _DAY_NAMES else word[:-1]  # "fridays", "tues"
                found.add(_DAY_NAMES[name])
                if word.endswith("days"):
                    found.add("several")  # "fridays": any Friday
        return found

    def _window(self) -> tuple[time, time] | None:
        match = re.search(rf"\b{_PART}", self.said)
        if match is None:
            return None
        if match["plural"]:
            self.constrains = True
        window = self.parts.window(_PARTS[match["part"]])
        return window.start, window.end
