"""Cut a sentence into atoms and group the neighbouring ones into phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from . import clock, colloquial, dates, dayruns, holidays, monthdays, phrases
from .grammar import (
    Asap,
    Clock,
    Context,
    Day,
    Moment,
    Not,
    Op,
    Part,
    Past,
    Pattern,
    Vague,
    Value,
)
from .model import Grain
from .ranges import Bounds, bounds

PATTERNS: list[Pattern] = [*dates.PATTERNS, *clock.PATTERNS, *phrases.PATTERNS]
# Rarer phrasings, each tried only when a word it needs is in the sentence (speed).
GUARDED: list[tuple[re.Pattern[str], list[Pattern]]] = [
    (re.compile(r"[-–—]|\b(?:to|till?|until|through|thru)\b", re.I), dayruns.PATTERNS),
    (re.compile(r"\b(?:of|in)\b", re.I), monthdays.PATTERNS),
    (re.compile(r"christ|xmas|x-mas|boxing|year|nye|valentine|patrick|paddy|halloween|independ"
                r"|fourth|thanksgiving|memorial|labou?r|father|mother|easter|good|holy", re.I),
     holidays.PATTERNS),
    (re.compile(r"half|ish|first|end|close|eod|work|time|hundred", re.I), colloquial.PATTERNS),
    (re.compile(r"yesterday|last|ago|week|end|mid|late|second|back", re.I), dates.RARE_PATTERNS),
    (re.compile(r"\b(?:am|pm|a\.m|p\.m|eve|aft)\b|lunch|not|n'?t\b|\bno\b|\bis\b|\bare\b|except"
                r"|excluding|apart|other|anything|any\s+day", re.I), phrases.RARE_PATTERNS),
]
_FILLER = re.compile(
    r"(?:\s+|,|\b(?:on|the|of|in|for|sometime|some\s+time|please|ideally|preferably|say|maybe"
    r"|perhaps|like|probably|possibly)\b)*",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"\b(?:for|of|x|party|table|just|only|need|book|the)\s*$", re.IGNORECASE)
_TO_REFUSAL = re.compile(r"(?:['’]s|\s|,)*")
_EDGE_ROLES = ("at", "join", "link")
_FOLLOWING_ROLES = ("link", "lower_post", "upper_post")


@dataclass(frozen=True, slots=True)
class Atom:
    start: int
    end: int
    value: Value


@dataclass(frozen=True, slots=True)
class Phrase:
    """One time expression, its parts gathered from neighbouring atoms."""

    start: int
    end: int
    day: Day | None = None
    part: Part | None = None
    bounds: Bounds = Bounds()
    moment: Moment | None = None
    asap: bool = False


# Every pattern that yields a day, a time, a part of the day, a moment or "asap" needs a
# digit or one of these words; most sentences have none and skip the patterns at once.
_GATE = re.compile(
    r"\d|@|\b(?:mon|tue|wed|thu|fri|sat|sun|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
    r"|tod|tom|tmr|tmw|2mor|tonight|tonite|week|fortnight|month|morn|afternoon|arvo|evening"
    r"|night|lunch|noon|midnight|mid-?day|hour|hr|min|asap|soon|earliest|first|right\s+away"
    r"|early|christmas|xmas|x-mas|boxing|new\s+year|nye|valentine|patrick|paddy|halloween"
    r"|independence|fourth|thanksgiving|memorial|labou?r|father|mother|easter|good\s+friday"
    r"|holy|ish|end|close|eod|work|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|twen|thirt|fort|fift|second|third|quarter|half|couple|few|several|eighth"
    r"|ninth)",
    re.IGNORECASE,
)


def atoms(text: str, ctx: Context) -> list[Atom]:
    """All pattern matches; where two overlap the earlier (then the longer) wins."""
    if not _GATE.search(text):
        return []
    found: list[Atom] = []
    patterns = PATTERNS + [p for guard, more in GUARDED if guard.search(text) for p in more]
    for regex, build in patterns:
        for match in regex.finditer(text):
            value = build(match, ctx) if match.end() > match.start() else None
            if value is not None:
                found.append(Atom(match.start(), match.end(), value))
    found.sort(key=lambda a: (a.start, a.start - a.end))
    chosen: list[Atom] = []
    for atom in found:
        if not chosen or atom.start >= chosen[-1].end:
            chosen.append(atom)
    return chosen


def merge_days(a: Day, b: Day) -> Day | None:
    """Two days in one phrase that agree: a weekday yields to an explicit date ("Friday,
    March 8th") or picks its day in a week ("next week Friday"); a date stays a date in
    the month or week around it ("March 11th of this month"). Any other pair is two
    phrases."""
    if a.until is not None and b.until is None:
        a, b = b, a
    if b.until is not None and a.until is None and not a.weekday_only:
        return a if b.first <= a.first < b.until else None
    if b.weekday_only and not a.weekday_only:
        a, b = b, a
    if not a.weekday_only or b.weekday_only:
        return None
    if b.grain is Grain.WEEK:
        offset = (a.first.weekday() - b.first.weekday()) % 7
        return Day(b.first + timedelta(days=offset), note=b.note)
    return b if b.until is None else None


def _range_op(text: str, atom: Atom) -> bool:
    """A word that joins two days into a run of days ("Monday to Friday", "10 Aug - 12 Sep")."""
    return isinstance(atom.value, Op) and atom.value.role in ("link", "upper") \
        and not _is_and(text, atom)


def _day_run(text: str, group: list[Atom], new: Value) -> bool:
    """The new day ends a run of days begun by the group's one day and a range word."""
    days = [a for a in group if isinstance(a.value, Day)]
    return isinstance(new, Day) and len(days) == 1 and len(group) >= 2 \
        and _range_op(text, group[-1]) and not any(isinstance(a.value, Clock) for a in group)


def day_run(first: Day, last: Day) -> Day | None:
    """Days ``first`` to ``last`` inclusive; a weekday before the start is the next one."""
    end = last.first
    while last.weekday_only and end < first.first:
        end += timedelta(days=7)
    if end < first.first or first.until is not None or last.until is not None:
        return None
    return Day(first.first, end + timedelta(days=1))


def _clashes(text: str, group: list[Atom], new: Value) -> bool:
    values = [a.value for a in group]
    if _day_run(text, group, new):
        return False
    if any(isinstance(v, Past) for v in values):  # "yesterday at 3": the time goes with it
        return isinstance(new, Day | Past | Moment | Not)
    if any(isinstance(v, Not | Vague) for v in values):  # "not Monday at 3", "end of May"
        return isinstance(new, Past | Moment | Not | Vague) or (
            isinstance(new, Day) and any(isinstance(v, Day) for v in values))
    if isinstance(new, Not | Vague):
        return True
    if isinstance(new, Past):
        return any(isinstance(v, Day | Moment) for v in values)
    if any(isinstance(v, Moment) for v in values) or isinstance(new, Moment):
        return any(not isinstance(v, Op) for v in values)
    if isinstance(new, Day):
        return any(isinstance(v, Day) and merge_days(v, new) is None for v in values)
    if isinstance(new, Part):
        return any(isinstance(v, Part) for v in values)
    if isinstance(new, Clock):
        timed = any(isinstance(v, Clock) and not v.bare for v in values)
        return timed and not isinstance(values[-1], Op)
    return False


def groups(text: str, found: list[Atom]) -> list[list[Atom]]:
    """Runs of atoms separated only by filler words ("on", "the", commas)."""
    out: list[list[Atom]] = []
    for atom in found:
        last = out[-1] if out else None
        if last and isinstance(atom.value, Not) and atom.value.after \
                and _TO_REFUSAL.fullmatch(text, last[-1].end, atom.start):
            last.append(atom)  # "Monday's no good": the refusal takes the day before it
            continue
        if last and _FILLER.fullmatch(text, last[-1].end, atom.start) and not _clashes(
            text, last, atom.value
        ):
            last.append(atom)
        else:
            out.append([atom])
    return out


def _touches(text: str, a: Atom, b: Atom) -> bool:
    return not text[a.end:b.start].strip()


def _is_and(text: str, atom: Atom) -> bool:
    return text[atom.start:atom.end].strip().lower() == "and"


def _time_context(text: str, group: list[Atom], i: int) -> bool:
    """A lone number is a time right after a range word ("at 5", "between 2 and 4pm") or a
    day ("wed 3", "tomorrow 9"), right before a range word ("2 to 4pm", "5 or later"), or
    right by a part of the day; "and" counts only after "between" ("aged 4 and 6")."""
    before = group[i - 1] if i > 0 else None
    after_ = group[i + 1] if i + 1 < len(group) else None
    between = any(isinstance(a.value, Op) and a.value.role == "lower" for a in group[:i])
    if before and _touches(text, before, group[i]) and (between or not _is_and(text, before)):
        if isinstance(before.value, Part | Day) or (
            isinstance(before.value, Op) and before.value.role != "join"
        ):
            return True
    if after_ and _touches(text, group[i], after_) and (between or not _is_and(text, after_)):
        if isinstance(after_.value, Day) and after_.value.until is None:
            return not _COUNTED.search(text, 0, group[i].start)  # "ten tomorrow", not "for 2"
        return isinstance(after_.value, Part) or (
            isinstance(after_.value, Op) and after_.value.role in _FOLLOWING_ROLES
        ) or _upper_to_clock(text, group, i + 1)
    return False


def _upper_to_clock(text: str, group: list[Atom], i: int) -> bool:
    """"3 till 4": an upper-bound word with a clock right after it."""
    op, clock_ = group[i], group[i + 1] if i + 1 < len(group) else None
    return isinstance(op.value, Op) and op.value.role == "upper" and clock_ is not None \
        and isinstance(clock_.value, Clock) and _touches(text, op, clock_)


def _keep(text: str, group: list[Atom]) -> list[Atom]:
    """Drop lone numbers that are not times here, then range words left at the edges."""
    kept = [
        a for i, a in enumerate(group)
        if not (isinstance(a.value, Clock) and a.value.bare) or _time_context(text, group, i)
    ]
    while kept and isinstance(kept[0].value, Op) and kept[0].value.role in _EDGE_ROLES:
        kept.pop(0)
    while kept and isinstance(kept[-1].value, Op) and not kept[-1].value.role.endswith("_post"):
        kept.pop()
    return kept


def phrase(text: str, group: list[Atom]) -> Phrase | None:
    kept = _keep(text, group)
    if not kept or all(isinstance(a.value, Op) for a in kept) \
            or any(isinstance(a.value, Past | Not | Vague) for a in kept):
        return None
    day: Day | None = None
    part: Part | None = None
    for i, atom in enumerate(kept):
        if isinstance(atom.value, Day):
            if day is not None and i > 0 and _range_op(text, kept[i - 1]):
                day = day_run(day, atom.value)
            else:
                day = atom.value if day is None else merge_days(day, atom.value)
        elif isinstance(atom.value, Part):
            part = atom.value
    if part is not None and part.with_day and (day is None or day.until is not None):
        part = None  # "I am free": no day before it, so "am" is not the morning
        if not any(isinstance(a.value, Day | Clock | Moment | Asap) for a in kept):
            return None
    timed = [a.value for a in kept if isinstance(a.value, Op | Clock)]
    moment = next((a.value for a in kept if isinstance(a.value, Moment)), None)
    asap = any(isinstance(a.value, Asap) for a in kept)
    return Phrase(kept[0].start, kept[-1].end, day, part, bounds(timed), moment, asap)


def refused(text: str, ctx: Context) -> bool:
    """The sentence names a past day, a refused one or one we cannot place: the fallback
    must not answer what the grammar left out on purpose."""
    return any(isinstance(a.value, Past | Not | Vague) for a in atoms(text, ctx))


_ISO_T = re.compile(r"(?<=\d-\d\d)T(?=\d\d:)")


def scan(text: str, ctx: Context) -> list[Phrase]:
    text = _ISO_T.sub(" ", text)  # "2015-07-31T12:00" as date and time; offsets unchanged
    found = (phrase(text, g) for g in groups(text, atoms(text, ctx)))
    return [p for p in found if p is not None]
