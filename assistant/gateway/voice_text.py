"""The assistant's chat replies made speakable: dates and times as people say them, money in
words, references spelled out, and numbered options as "press 1 or say the first"."""

from __future__ import annotations

import re

from assistant.gateway.conversation import Reply

MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
DAY_DATE = re.compile(rf"\b(\d{{1,2}}) ({MONTHS})\b")
CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))? ?(am|pm)\b", re.IGNORECASE)
MONEY = re.compile(r"\$(\d+)(?:\.(\d{2}))?")
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


def _money(match: re.Match[str]) -> str:
    dollars, cents = int(match.group(1)), match.group(2)
    words = f"{dollars} dollar{'s' if dollars != 1 else ''}"
    return f"{words} and {int(cents)} cents" if cents and int(cents) else words


def speakable(text: str) -> str:
    text = URL.sub("", text)
    text = DAY_DATE.sub(lambda m: f"{m.group(2)} {ordinal(int(m.group(1)))}", text)
    text = CLOCK.sub(_clock, text)
    text = MONEY.sub(_money, text)
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


def voice_text(replies: list[Reply]) -> str:
    parts = []
    for reply in replies:
        if reply.get("text"):
            parts.append(_options(speakable(reply["text"])))
        for number, button in enumerate(reply.get("buttons") or [], start=1):
            parts.append(f"For {speakable(button.get('title', ''))}, press {number}.")
    return " ".join(parts)


def wants_handoff(replies: list[Reply]) -> bool:
    return any((reply.get("custom") or {}).get("handoff") for reply in replies)


def digits_as_words(digits: str) -> str:
    """A single key press picks an option ("the second"); longer input is a code or number."""
    if len(digits) == 1 and digits != "0":
        return f"the {ORDINAL_WORDS[int(digits) - 1]}"
    return digits
