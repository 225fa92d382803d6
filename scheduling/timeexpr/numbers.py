"""Spoken numbers: "twenty-three", "oh five", "a couple of", "eleventh"."""

from __future__ import annotations

import re
from collections.abc import Iterable

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_ORDINAL_UNITS = (
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth"
).split()
_ORDINAL_TENS = {"twentieth": 20, "thirtieth": 30}
_QUANTITIES = {"a couple of": 2, "a couple": 2, "couple of": 2, "a few": 3, "few": 3,
               "several": 3, "a": 1, "an": 1, "one": 1}


def alt(words: Iterable[str]) -> str:
    """A regex alternation that tries longer words first, so "eighteen" beats "eight"."""
    items = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(w.replace(" ", r"\s+") for w in items) + ")"


_DIGIT_WORD = alt(_UNITS[1:10])
_TENS_WORD = alt(_TENS)
NUMBER_WORD = rf"(?:{_TENS_WORD}(?:[\s-]?{_DIGIT_WORD})?|{alt(_UNITS)})"
HOUR_WORD = alt(_UNITS[1:13])
MINUTE_WORD = rf"(?:oh[\s-]?{_DIGIT_WORD}|{_TENS_WORD}(?:[\s-]?{_DIGIT_WORD})?|{alt(_UNITS[10:])})"
QUANTITY = rf"(?:\d{{1,3}}|{alt(_QUANTITIES)}|{NUMBER_WORD})"
ORDINAL_WORD = (
    rf"(?:(?:twenty|thirty)[\s-]?{alt(_ORDINAL_UNITS[1:10])}|{alt(_ORDINAL_TENS)}"
    rf"|{alt(_ORDINAL_UNITS[1:])})"
)
NUMERIC_ORDINAL = r"(?:\d{1,2}\s?(?:st|nd|rd|th))"
ORDINAL = rf"(?:{NUMERIC_ORDINAL}|{ORDINAL_WORD})"

_CARDINALS = {**{w: i for i, w in enumerate(_UNITS)}, **_TENS, "oh": 0}
_ORDINALS = {**{w: i for i, w in enumerate(_ORDINAL_UNITS)}, **_ORDINAL_TENS, **_TENS}
_SPLIT = re.compile(r"[\s-]+")
_DIGITS = re.compile(r"\d+")
_JOINED_TENS = re.compile(r"(twenty|thirty|forty|fifty)(?=[a-z])")  # "fortyfive", "twentyfirst"


def _value(text: str, table: dict[str, int]) -> int:
    found = _DIGITS.search(text)
    if found:
        return int(found.group())
    words = _SPLIT.split(_JOINED_TENS.sub(r"\1 ", text.lower().strip()))
    unknown = [word for word in words if word not in table]
    if unknown:
        raise ValueError(f"not a number word: {unknown[0]!r}")
    return sum(table[word] for word in words)


def number(text: str) -> int:
    """The value of digits or number words; "oh five" is 5 (as in "ten oh five")."""
    return _value(text, _CARDINALS)


def quantity(text: str) -> int:
    """How many of something: "a couple of" hours is 2, "an" hour is 1."""
    key = " ".join(_SPLIT.split(text.lower().strip()))
    return _QUANTITIES[key] if key in _QUANTITIES else number(key)


def ordinal(text: str) -> int:
    """The value of "4th", "4 th", "fourth" or "twenty-first"."""
    return _value(text, _ORDINALS)
