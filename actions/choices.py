"""Which of the offers on the table a message picks: the slot booked is the slot picked.

Everything the message says about an offer is read together (its position, its day, its
time, its person) and an offer is picked only when exactly one fits all of it: "2:15 with Ana"
is the 2:15, not Ana's first offer at 1:30; "the thursday one" is Thursday's; "the later one"
is the later of the offers. A question ("do you have anything with Priya?", "is there
anything later?") is not a pick: it asks for other offers.

Pure: the offers, the zone and `now` come in, a `Pick` comes out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from actions.offer_value import Offer
from scheduling.catalog import normalise
from scheduling.timeexpr import resolve

ORDINALS = {
    "first": 0, "1st": 0, "one": 0, "1": 0, "second": 1, "2nd": 1, "two": 1, "2": 1,
    "third": 2, "3rd": 2, "three": 2, "3": 2, "fourth": 3, "4th": 3, "four": 3, "4": 3,
    "fifth": 4, "5th": 4, "five": 4, "5": 4,
}
DAY_ORDINAL = re.compile(r"\b([12]?\d|3[01])(st|nd|rd|th)\b")
LATER = re.compile(r"\b(later|after that|afterwards)\b")
EARLIER = re.compile(r"\b(earlier|before that|sooner)\b")
OF_THE_TWO = re.compile(
    r"(^|\bthe )(later|latest|earlier|earliest) (one|time|slot|option|appointment)\b")
""""the later one" chooses among the offers; "anything later" asks for more."""
ASKS_FOR_MORE = re.compile(
    r"\b(anything|any other|any more|anyone else|anybody else|something else|what else"
    r"|do you have|have you got|got any|is there|are there|other (times|days|options))\b")
"""A question about other offers, never a pick of one on the table."""
PRONOUN_ONE = re.compile(
    r"\b(the|that|this)((?:\s+(?!(?:at|from|to|till|until|by|around|after|before|about|for)\b)"
    r"[\w:']+){0,3}?)\s+one\b(?!\s*(?:o'?clock|thirty|fifteen|forty|fifty|twenty|ten|pm|am"
    r"|p\.m|a\.m|:))", re.I)
""""the thursday one", "the 930 one": "one" stands for the offer, not for 1 o'clock ("this
afternoon at one" and "the one o'clock" keep it)."""


HOURS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
NUMBER_ONE = re.compile(
    rf"\b(?:the|that|this)\s+(\d{{1,2}}(?::\d\d)?(?:\s*[ap]\.?m\.?)?|\d{{3,4}}|(?:{HOURS})"
    r"(?:\s+(?:fifteen|thirty|forty five|o'?clock))?)\s+one\b", re.I)
""""the 12 one", "the 930 one", "the twelve one": the offer at that clock time."""
A_SERVICE = re.compile(r"\b(like|want|need|book|get|grab|have)\s+one\b(?!\s*(?:o'?clock|thirty"
                       r"|fifteen|forty|pm|am|p\.m|a\.m|:))", re.I)
""""I'd like one on thursday at 10": one of the service, not 1 o'clock."""


BARE_HOUR = re.compile(
    r"^(?P<lead>\W*(?:(?:ok(?:ay)?|so|um+|uh+|well|hmm+|actually|no|or)\b\W*)*"
    r"(?:try|make (?:it|that)|how about|what about|say|maybe|(?:can|could) (?:you|we|i) (?:do|get)"
    r"|change (?:it|that) to|move (?:it|that) to|let'?s (?:say|do|try|go for)|go for"
    r"|i'?ll take)\s+)(?:at\s+)?(?P<hour>1[0-2]|[1-9])"
    r"(?P<tail>(?:\s*(?:instead|then|please|maybe|if (?:you can|possible)))*\W*)$", re.I)
""""try 5", "make it 3 instead": an hour alone, a time the resolver reads inside the business's
hours (as "wed 3" is 3 PM) once it is said "at 5"; a number alone stays a position."""


def clock_words(text: str) -> str:
    """`text` with its time words as the resolver reads them: no "one" standing for an offer
    (`without_pronoun`), and an hour offered alone ("try 5") said as "at 5"."""
    return BARE_HOUR.sub(r"\g<lead>at \g<hour>\g<tail>", without_pronoun(text))


REFUSING = (r"\b(?:not|no|without|except|anyone but|anybody but|anyone except|other than"
            r"|rather not have|don t want|do not want)\s+(?:(?:with|by|from)\s+)?")
""""not with Ana", "anyone but Ana": the person named is refused, not chosen."""


def refuses(said: str, name: str) -> bool:
    """Whether the normalised message `said` refuses the person `name`."""
    return re.search(REFUSING + re.escape(normalise(name)) + r"\b", said) is not None


def without_pronoun(text: str) -> str:
    """`text` without the "one" that stands for an offer ("the thursday one"); "the 12 one"
    is the one at 12."""
    text = A_SERVICE.sub(r"\1", NUMBER_ONE.sub(r"at \1", text))
    return PRONOUN_ONE.sub(r"\1\2", text)


@dataclass(frozen=True, slots=True)
class Pick:
    """An offer chosen by position, time, day or staff; or a wish to see later/earlier ones."""

    index: int | None = None
    later: bool = False
    earlier: bool = False


def parse_pick(text: str, offers: Sequence[Offer], zone: ZoneInfo, now: datetime,
               staff_names: dict[str, str], clocks: Sequence[ZoneInfo] = ()) -> Pick | None:
    """The offer `text` picks; a time said is read in `zone` and matched against each offer
    on the clock it was said on (`clocks`, one per offer; `zone` for all when empty)."""
    said = normalise(text)
    between = OF_THE_TWO.search(said)
    if between and offers:
        starts = [offer.start for offer in offers]
        wanted = max(starts) if between.group(2) in ("later", "latest") else min(starts)
        return Pick(index=starts.index(wanted))
    if LATER.search(said):
        return Pick(later=True)
    if EARLIER.search(said):
        return Pick(earlier=True)
    if ASKS_FOR_MORE.search(said) or any(refuses(said, n) for n in staff_names.values()):
        return None  # a question, or "not with Ana": other offers wanted
    index = None if _day_with_time(said, text, zone, now) else _by_position(said, len(offers))
    if index is None:
        index = _by_everything(text, said, offers, zone, now, staff_names,
                               clocks or [zone] * len(offers))
    return Pick(index=index) if index is not None else None


def _by_position(said: str, count: int) -> int | None:
    """"the second", "last", "option 3"; a message that is only a number answers the numbered
    list ("2" by SMS). Inside a sentence a bare number is a time ("can you do 3"), and "the
    one with Priya" no position."""
    if re.search(r"\b(last|final)\b", said) and count:
        return count - 1
    alone = re.fullmatch(r"\W*#?\s*([1-9])\W*", said)
    if alone:
        number = int(alone.group(1)) - 1
        return number if number < count else None
    tokens = said.split()
    for before, token in zip(["", *tokens], tokens, strict=False):
        index = ORDINALS.get(token)
        if index is None or index >= count:
            continue
        cardinal = token.isdigit() or token in ("one", "two", "three", "four", "five")
        if not cardinal or before in ("option", "number", "choice", "no"):
            return index
    return None


def _day_with_time(said: str, text: str, zone: ZoneInfo, now: datetime) -> bool:
    """"ok the 2nd then, before noon": an ordinal said with a time is a day of the month, not
    the second offer."""
    if not DAY_ORDINAL.search(said):
        return False
    found = resolve(clock_words(text), now, zone)
    return found is not None and found.date_explicit and found.time_explicit


def _by_everything(text: str, said: str, offers: Sequence[Offer], zone: ZoneInfo,
                   now: datetime, names: dict[str, str], clocks: Sequence[ZoneInfo]
                   ) -> int | None:
    """The first offer that fits every detail said (person, day, time), None when none does:
    "2:15 with Ana" needs both, so it is never Ana's 1:30."""
    person, when = _staff_test(said, names), _when_test(text, zone, now)
    tests = [test for test in (person, when) if test is not None]
    fitting = [index for index, (offer, clock) in enumerate(zip(offers, clocks, strict=True))
               if tests and all(test(offer, clock) for test in tests)]
    return fitting[0] if fitting else None


Test = Callable[[Offer, ZoneInfo], bool]


def _staff_test(said: str, names: dict[str, str]) -> Test | None:
    tokens = said.split()
    named = {staff_id for staff_id, name in names.items() if normalise(name) in tokens}
    if not named:
        return None
    return lambda offer, clock: str(offer.staff_id) in named


def _when_test(text: str, zone: ZoneInfo, now: datetime) -> Test | None:
    """A time said matches an offer at that clock time (on the day, when a day was said too);
    a day alone matches every offer that day."""
    found = resolve(clock_words(text), now, zone)
    if found is None or not (found.time_explicit or found.date_explicit):
        return None
    wanted = found.start.astimezone(zone)

    def fits(offer: Offer, clock: ZoneInfo) -> bool:
        local = offer.start.astimezone(clock)
        if found.date_explicit and local.date() != wanted.date():
            return False
        return not found.time_explicit or (
            (local.hour % 12, local.minute) == (wanted.hour % 12, wanted.minute))

    return fits
