"""The assistant's chat replies made speakable: dates and times as people say them, money in
words, references spelled out, and numbered options as "press 1 or say the first".

The replies write days, times and money through `scheduling.formats` ("Friday, March 12 at
3:30 PM", "$1,250", "€42.50"); the patterns here read exactly those forms, so no currency
symbol but the words for it reaches the speech engine.
"""

from __future__ import annotations

import re
from functools import lru_cache

from babel.numbers import get_currency_name, get_currency_symbol

from assistant.gateway.conversation import Reply
from scheduling.formats import DEFAULT_LOCALE

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
MONTH_DAY = re.compile(rf"\b({MONTHS}) (\d{{1,2}})\b")
CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))? ?(am|pm)\b", re.IGNORECASE)
REFERENCE = re.compile(r"\b(reference(?: is)?:?) ([0-9A-F]{8})\b")
OPTION = re.compile(r"^\s*(\d)[.)]\s+(.*)$")
URL = re.compile(r"https?://\S+")
ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                 "ninth")


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10,
                                                                                    "th")
    return f"{number}{suffix}"


def _clock(match: re.Match[str]) -> str:
    hour, minutes, half = match.group(1), match.group(2), match.group(3).lower()
    spoken = "a.m." if half == "am" else "p.m."
    if minutes and minutes != "00":
        minutes = f"oh {minutes[1]}" if minutes.startswith("0") else minutes
        return f"{hour} {minutes} {spoken}"
    return f"{hour} {spoken}"


@lru_cache(maxsize=8)
def _money_pattern(currency: str) -> re.Pattern[str]:
    """An amount as `scheduling.formats.money` writes it: "$40", "$1,250", "€42.50"."""
    symbol = re.escape(get_currency_symbol(currency, DEFAULT_LOCALE))
    return re.compile(rf"{symbol}\s?(\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.(\d{{2}}))?")


def _amount(match: re.Match[str], currency: str) -> str:
    """"40 dollars and 50 cents" on a US line; another currency by its CLDR name, as its
    prices are said: "42 euros 50"."""
    units, cents = int(match.group(1).replace(",", "")), int(match.group(2) or 0)
    if currency == "USD":
        words = f"{units} dollar{'s' if units != 1 else ''}"
        return f"{words} and {cents} cents" if cents else words
    words = f"{units} {get_currency_name(currency, units, DEFAULT_LOCALE)}"
    return f"{words} {cents:02d}" if cents else words


def speakable(text: str, currency: str) -> str:
    text = URL.sub("", text)
    text = MONTH_DAY.sub(lambda m: f"{m.group(1)} {ordinal(int(m.group(2)))}", text)
    text = CLOCK.sub(_clock, text)
    text = _money_pattern(currency).sub(lambda m: _amount(m, currency), text)
    text = REFERENCE.sub(lambda m: f"{m.group(1)} {', '.join(m.group(2))}", text)
    return re.sub(r"[*_#>|]", " ", text)


def _options(text: str) -> str:
    """Numbered lines become "Tuesday at 3 p.m. with Ana: press 1 or say the first."."""
    lines = []
    for line in text.splitlines():
        found = OPTION.match(line)
        if found and int(found.group(1)) <= len(ORDINAL_WORDS):
            number = int(found.group(1))
            word = ORDINAL_WORDS[number - 1]
            lines.append(f"{found.group(2).rstrip('.')}: press {number} or say the {word}.")
        else:
            lines.append(line)
    return " ".join(part.strip() for part in lines if part.strip())


def voice_text(replies: list[Reply], currency: str) -> str:
    """The replies as one thing to say; amounts are in the business's `currency`."""
    parts = []
    for reply in replies:
        if reply.get("text"):
            parts.append(_options(speakable(reply["text"], currency)))
        for number, button in enumerate(reply.get("buttons") or [], start=1):
            parts.append(f"For {speakable(button.get('title', ''), currency)}, press {number}.")
    return " ".join(parts)


def wants_handoff(replies: list[Reply]) -> bool:
    return any((reply.get("custom") or {}).get("handoff") for reply in replies)


def digits_as_words(digits: str) -> str:
    """A single key press picks an option ("the second"); longer input is a code or number."""
    if len(digits) == 1 and digits != "0":
        return f"the {ORDINAL_WORDS[int(digits) - 1]}"
    return digits
