"""Words around clock times: parts of the day, range words, "in 2 hours", "asap"."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

from .grammar import Asap, Context, Moment, Not, Op, Part, Pattern, Value, pattern
from .model import Grain
from .numbers import QUANTITY, quantity

_PART_NAMES = {"morning": "morning", "morn": "morning", "afternoon": "afternoon",
               "arvo": "afternoon", "evening": "evening", "night": "night", "lunch": "lunchtime",
               "lunchtime": "lunchtime"}
_ROLES = {
    "lower_post": r"or\s+(?:later|after)|and\s+later|onwards?|at\s+the\s+earliest",
    "upper_post": r"or\s+(?:earlier|before)|at\s+the\s+latest",
    "lower": r"between|from|after|later\s+than|no\s+earlier\s+than|not\s+before|since"
             r"|starting(?:\s+(?:at|from))?|beginning(?:\s+at)?",
    "upper": r"before|earlier\s+than|no\s+later\s+than|not\s+after|until|till|til|up\s+to|by"
             r"|through|thru",
    "link": r"to|and",
    "at": r"at|around|about|approximately|roughly|circa",
    "join": r"but|or",
}
_OPS = "|".join(f"(?P<{role}>{words})" for role, words in _ROLES.items())


def _part(match: re.Match[str], _: Context) -> Value | None:
    if match["tonight"]:
        return Part("tonight", today=True)
    name = _PART_NAMES["".join(match["name"].lower().split())]
    span = (match["span"] or "").lower().rstrip("-")
    return Part(name, today=(match["this"] or "").lower() == "this", span=span)


_SHORT_PARTS = {"am": "morning", "a.m.": "morning", "pm": "afternoon", "p.m.": "afternoon",
                "eve": "evening", "aft": "afternoon"}


def _short_part(match: re.Match[str], _: Context) -> Value | None:
    return Part(_SHORT_PARTS[match.group().lower()], with_day=True)


def _lunch_side(match: re.Match[str], _: Context) -> Value | None:
    """"after lunch" is from the end of lunchtime, "before lunch" the morning before it."""
    return Part(f"{match['after'].lower()}_lunch")


def _op(match: re.Match[str], _: Context) -> Value | None:
    if match["dash"]:
        return Op("link")
    if match["sym"]:
        return Op("at")
    return Op(next(role for role in _ROLES if match[role]))


def _not(match: re.Match[str], _: Context) -> Value | None:
    return Not(after=bool(match["after"]))


def _asap(match: re.Match[str], _: Context) -> Value | None:
    return Asap()


def _duration(match: re.Match[str], ctx: Context) -> Value | None:
    """"in 2 hours", "in half an hour", "45 minutes from now": counted in real (UTC) time,
    so that a DST change in between does not shift the answer."""
    if match["half"]:
        minutes, unit = 30, "minute"
    else:
        unit = match["unit"].lower()
        per = 1 if unit.startswith("m") else 60
        minutes = quantity(match["n"]) * per + (per // 2 if match["plus"] else 0)
    at = (ctx.now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(ctx.tz)
    return Moment(at, Grain.MINUTE if unit.startswith("m") else Grain.HOUR)


_AFTER_TIME = r"(?:(?<=\d)|(?<=[ap]m)|(?<=[ap]\.m\.))"  # "1pm-2pm" as well as "1-2"
_UNIT = r"(?P<unit>minutes?|mins?|hours?|hrs?)"
_ABOUT = r"(?:(?:about|around|roughly|approximately|approx\.?|~)\s*)?"
# "2 hours", "2hrs", "an hour and a half", "half an hour"
_AMOUNT = (rf"(?:(?P<half>half\s+an\s+hour)|(?P<n>{QUANTITY})\s*{_UNIT}"
           r"(?P<plus>\s+and\s+a\s+half)?)")
PATTERNS: list[Pattern] = [
    (pattern(r"\b(?P<tonight>tonight|tonite)\b|(?<!good\s)\b(?:(?P<this>this|in\s+the|during\s+the"
             r"|the|at)\s+)?(?:(?P<span>early|mid(?!night)-?|late)\s*)?"
             r"(?P<name>morning|morn|afternoon|arvo|evening|night|lunch\s*time|lunch)"
             r"s?\b"), _part),
    (pattern(rf"\b(?:{_OPS})\b|(?P<dash>{_AFTER_TIME}\s*[-–—]\s*(?=\d)|\s[-–—]\s)|(?P<sym>@)"),
     _op),
    (pattern(r"\b(?:as\s+soon\s+as\s+(?:possible|you\s+can)|asap|(?:the\s+)?earliest(?:\s+possible)?"
             r"|soonest(?:\s+possible)?|(?:the\s+)?first\s+available|as\s+early\s+as\s+possible"
             r"|right\s+away)\b"), _asap),
    (pattern(rf"\bin\s+{_ABOUT}{_AMOUNT}\b"), _duration),
    (pattern(rf"\b{_AMOUNT}\s+from\s+now\b"), _duration),
]
# "fri pm", "after lunch", refusals: tried when a word they need is said.
RARE_PATTERNS: list[Pattern] = [
    (pattern(r"(?<![\d.])\b(?:am|a\.m\.|pm|p\.m\.|eve|aft)(?!\w)"), _short_part),
    (pattern(r"\b(?P<after>after|before)\s+lunch(?:\s*time)?\b"), _lunch_side),
    (pattern(r"(?P<after>\b(?:(?:is|are)\s+)?(?:not|no)\s+(?:good|great|possible|ok(?:ay)?|available"
             r"|an\s+option)|\b(?:doesn'?t|does\s+not|won'?t|will\s+not)\s+(?:work|suit|do)\b"
             r"|\b(?:isn'?t|aren'?t)\s+(?:good|possible|ok(?:ay)?|great)|\bis\s+(?:out|bad)\b)"
             r"|\b(?:not(?:\s+on)?|except(?:\s+for)?|excluding|apart\s+from|other\s+than"
             r"|anything\s+but|any\s+day\s+but|(?:can'?t|cannot|can\s+not|couldn'?t)\s+(?:do|make)"
             r"(?:\s+it)?)\b(?!\s+(?:before|after|later|earlier|too|sure)\b)"), _not),
]
