"""Pure slot parsing: what a message says about service, staff, time, picks and contacts.

No database and no clock: the catalog, the offers and `now` come in, values come out, so each
reading is unit-tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from actions import choices, service_words
from scheduling.catalog import Catalog, Service, Staff, normalise
from scheduling.timeexpr import Grain, Kind, Resolution, resolve

LANGUAGES = {"spanish": "es", "espanol": "es", "hindi": "hi", "english": "en",
             "french": "fr", "german": "de", "portuguese": "pt", "mandarin": "zh"}
ANYONE = re.compile(r"\b(any ?one|any ?body|whoever|no preference|doesn'?t matter|don'?t mind)\b")
ANYWHERE = re.compile(r"\b(either|any ?where|whichever|both are fine|any location)\b")
EARLIEST = re.compile(r"\b(earliest|soonest|asap|as soon as possible|first available|next free)\b")
SKIP = re.compile(r"^\s*(skip|no|none|nope|no email|no thanks|rather not|i'?d rather not.*)\s*\W*$")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
SPOKEN_SYMBOLS = {"at": "@", "dot": ".", "underscore": "_", "dash": "-", "hyphen": "-"}
SPOKEN_EMAIL = re.compile(r"\b(at|dot|underscore|dash|hyphen)\b", re.I)
NAME_LEAD = re.compile(r"^(my name is|my name's|name is|it's|it is|i am|i'm|im|this is|call me"
                       r"|put it under|under)\s+", re.I)
SPOKEN_FILLERS = re.compile(r"^(?:(?:u+m+|u+h+|e+r+m*|a+h+|so|yeah|well|oh|okay|ok)\b[\s,.]*)+",
                            re.I)
"""What a caller says before the answer ("so um alex fox"): never part of a name."""
CODE = re.compile(r"\d")
GROUP = re.compile(r"\b(for (two|three|four|2|3|4) (people|persons)|(two|three|four|both) of us"
                   r"|us both|(me|myself) and my \w+|my \w+ and (me|i|myself))\b")
GENDER = re.compile(r"\b(woman|female|lady|man|male|guy|girl)\b")


def words(text: str) -> list[str]:
    return normalise(text).split()


def match_service(catalog: Catalog, text: str) -> Service | None:
    """The one service `text` names (`service_words.read`): None when it names none, or only
    a family ("a haircut" when there are men's and women's cuts) without saying which."""
    return service_words.read(catalog, text).first


@dataclass(frozen=True, slots=True)
class StaffWish:
    """`staff` a named member; `anyone` said explicitly; `language` a code ("es");
    `unsupported` a wish the catalog cannot answer (it records no gender)."""

    staff: Staff | None = None
    anyone: bool = False
    language: str | None = None
    unsupported: bool = False
    refused: Staff | None = None
    """"not with Ana": anyone but her."""

    @property
    def said_something(self) -> bool:
        return bool(self.staff or self.anyone or self.language or self.unsupported
                    or self.refused)


REFUSED_PREFIX = "not:"
"""The staff slot's value for "anyone but <id>"."""


def match_staff(catalog: Catalog, text: str) -> StaffWish:
    said = normalise(text)
    tokens = said.split()
    for member in catalog.staff:
        if choices.refuses(said, member.name):
            return StaffWish(refused=member)
    for member in catalog.staff:
        if normalise(member.name) in tokens:
            return StaffWish(staff=member)
    language = next((code for word, code in LANGUAGES.items() if word in tokens), None)
    if language:
        return StaffWish(language=language)
    if GENDER.search(service_words.without_kinds(catalog, text)):  # not "a man's haircut"
        return StaffWish(unsupported=True)
    return StaffWish(anyone=bool(ANYONE.search(said)))


def staff_wanted(value: object) -> UUID | None:
    """The member of staff the staff slot asks for; None for anyone, a language, a wish the
    catalog cannot answer, or anyone but someone."""
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None


def staff_refused(value: object) -> UUID | None:
    """The member of staff refused ("not with Ana"), if the slot says so."""
    text = str(value or "")
    return UUID(text.removeprefix(REFUSED_PREFIX)) if text.startswith(REFUSED_PREFIX) else None


def anywhere(text: str) -> bool:
    """"Either", "anywhere", "doesn't matter": no preference between places."""
    return bool(ANYWHERE.search(normalise(text)) or ANYONE.search(normalise(text)))


def wants_earliest(text: str) -> bool:
    return bool(EARLIEST.search(normalise(text)))


RELATIVE_DAY = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|or|and|what about|how about|maybe|then)\b\W*)*(?:the |a )?"
    r"(?:(?P<unit>day|week) (?:after|later)(?: that)?|following (?P<unit2>day|week)"
    r"|next day)\W*(?:then|instead|please)?\W*$", re.I)
"""'the week after?': a day relative to the day under discussion, not to today."""


def when_in(text: str, now: datetime, zone: ZoneInfo, around: datetime | None = None
            ) -> Resolution | None:
    """The time expression in the whole message, resolved in the business's zone ("the
    thursday one" is Thursday, not Thursday at 1; "try 5" is 5 in business hours). `around`
    is the day under discussion, which "the week after" and "the day after" move from."""
    relative = RELATIVE_DAY.match(text.strip()) if around is not None else None
    if relative and around is not None:
        unit = relative.group("unit") or relative.group("unit2") or "day"
        local = around.astimezone(zone).date() + timedelta(days=7 if unit == "week" else 1)
        return Resolution(Kind.INSTANT, datetime.combine(local, time(0), zone), None, Grain.DAY,
                          date_explicit=True, time_explicit=False, meridiem_explicit=False,
                          assumed=False, notes=("relative to the day under discussion",))
    return resolve(choices.clock_words(text), now, zone)


def merge_correction(
    new: Resolution, previous: datetime | None, previous_end: datetime | None = None
) -> tuple[datetime, datetime | None]:
    """A correction keeps what it does not change: "no, 11 am" keeps the day; "make it
    Thursday" (a bare day) keeps the time or the part of the day said before, so Thursday after
    "Friday afternoon" is Thursday afternoon. Anything that says a time or a part of the day
    ("Saturday morning") replaces the old one."""
    start, end = new.start, new.end
    bare_day = new.kind is Kind.INSTANT and new.grain is Grain.DAY and not new.time_explicit
    if bare_day:  # "Friday" means any time that day, not Friday at midnight
        end = datetime.combine(start.date() + timedelta(days=1), time(0), start.tzinfo)
    if previous is None:
        return start, end
    if new.time_explicit and not new.date_explicit:
        moved = previous.astimezone(start.tzinfo).date()
        shift = datetime.combine(moved, start.timetz()) - start
        return start + shift, end + shift if end else None
    local = previous.astimezone(start.tzinfo)
    if bare_day and local.time() != datetime.min.time():
        moved_start = datetime.combine(start.date(), local.timetz())
        return moved_start, moved_start + (previous_end - previous) if previous_end else None
    return start, end


def phone_in(text: str, region: str = "US") -> str | None:
    """The first valid phone number in `text`, in E.164."""
    for match in phonenumbers.PhoneNumberMatcher(text, region):
        if phonenumbers.is_valid_number(match.number):
            return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def email_in(text: str) -> str | None:
    """The first e-mail address in `text` that is well formed, normalised; also as said
    aloud on a call ("ann dot lee at example dot com")."""
    found = EMAIL.search(text) or EMAIL.search(_written(text))
    if found is None:
        return None
    try:
        return validate_email(found.group(0), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _written(spoken: str) -> str:
    """Speech-to-text's "jo underscore lee at example dot com" as "jo_lee@example.com"."""
    text = SPOKEN_EMAIL.sub(lambda m: SPOKEN_SYMBOLS[m.group(1).lower()], spoken)
    return re.sub(r"\s*([@._-])\s*", r"\1", text)


def mentions_group(text: str) -> bool:
    """Whether a booking request is for more than one person ("for me and my daughter")."""
    return GROUP.search(text.lower()) is not None


def declines(text: str) -> bool:
    return bool(SKIP.match(text.lower()))


GO_AHEAD = re.compile(
    r"^(?=.*\w)\s*(?:(?:yes|yeah|yep|yup|sure|ok|okay|alright|great|perfect|please)\b[\s,!.]*)*"
    r"(?:(?:please\s+)?(?:go ahead|do it)(?:\s+and)?\s*)?"
    r"(?:(?:please\s+)?(?:book|confirm|reserve|schedule|lock|make)\b"
    r"(?:\s+(?:it|that|this|them|me|the|my|appointment|booking|in|both|please))*)?"
    r"[\s,!.]*(?:please|thanks|thank you)?[\s!.]*$", re.I)


def goes_ahead(text: str) -> bool:
    """"yes, make the appointment", "book it", "go ahead and confirm": an order to make the
    booking read back, with nothing new in it. The classifier hears such a message as `book`
    rather than `affirm`, and the read-back then asked again."""
    return bool(GO_AHEAD.match(text))


NOT_NAMES = frozenset({"skip", "no", "nope", "none", "nothing", "yes", "yeah", "yep", "ok", "okay",
                       "later", "idk", "dunno", "anonymous", "na", "n a", "no name", "no thanks",
                       "rather not", "not telling", "pass"})
"""Replies to "what name?" that are not a name (one is needed, so the question is asked again)."""
QUESTION_CUES = re.compile(r"\?|\b(how|what|when|where|why|which|who|is|are|do|does|can|could"
                           r"|will|would|price|prices|cost|costs|much|long|address|hours|open)\b",
                           re.I)


def name_in(text: str) -> str | None:
    """A person's name as typed ("it's sam patel" -> "Sam Patel"), or None for non-names."""
    bare = SPOKEN_FILLERS.sub("", NAME_LEAD.sub("", SPOKEN_FILLERS.sub("", text.strip())))
    bare = bare.strip(" .!,")
    if not 1 < len(bare) <= 80 or not re.fullmatch(r"[^\W\d_][\w .'\-]*", bare):
        return None
    if " ".join(bare.lower().replace("/", " ").split()) in NOT_NAMES:
        return None
    return " ".join(part[:1].upper() + part[1:] for part in bare.split())


def plain_name(text: str) -> bool:
    """A reply that is a name and nothing else: no question in it. "Jo Quick" answers "what
    name?" although the classifier hears a question about how quick a service is."""
    return name_in(text) is not None and not QUESTION_CUES.search(text)


def code_in(text: str) -> str | None:
    digits = "".join(CODE.findall(text))
    return digits if len(digits) == 6 else None


def caller_phone(sender_id: str, metadata: dict[str, object] | None) -> str | None:
    """The number an SMS or call comes from: `sms:+1555...`/`voice:+1555...` sender ids or
    the gateway's `phone` metadata."""
    given = (metadata or {}).get("phone")
    if isinstance(given, str) and given.startswith("+"):
        return given
    channel, _, rest = sender_id.partition(":")
    if channel in ("sms", "voice") and rest.startswith("+"):
        return rest
    return None


def channel_of(sender_id: str) -> str:
    channel = sender_id.partition(":")[0]
    return channel if channel in ("sms", "voice") else "web"
