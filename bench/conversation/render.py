"""What a scripted customer's words look like on each channel.

One goal is written once, as a customer would type it on the website; this module turns each
message into what the same customer sends by SMS (short, lowercase, the usual abbreviations)
and what a speech recogniser hands us on a call (no punctuation, numbers as words, "um" and
"uh", e-mail addresses spelt out as "jo dot lee at example dot org"). The choices are seeded,
so a goal renders the same way on every run and a failure can be replayed.
"""

from __future__ import annotations

import random
import re

CHANNELS = ("web", "sms", "voice")

ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen").split()
TENS = {2: "twenty", 3: "thirty", 4: "forty", 5: "fifty"}
ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth",
                 7: "seventh", 8: "eighth", 9: "ninth", 10: "tenth", 11: "eleventh",
                 12: "twelfth", 13: "thirteenth", 14: "fourteenth", 15: "fifteenth",
                 16: "sixteenth", 17: "seventeenth", 18: "eighteenth", 19: "nineteenth",
                 20: "twentieth", 30: "thirtieth"}

SMS_WORDS = {
    "tomorrow": "tmrw", "please": "pls", "thanks": "thx", "thank you": "ty", "you": "u",
    "your": "ur", "appointment": "appt", "appointments": "appts", "monday": "mon",
    "tuesday": "tues", "wednesday": "wed", "thursday": "thurs", "friday": "fri",
    "saturday": "sat", "okay": "ok", "minutes": "mins", "o'clock": "", "something": "smth",
    "because": "cos", "i'm": "im", "don't": "dont", "can't": "cant", "that's": "thats",
    "men's": "mens", "women's": "womens", "what's": "whats", "it's": "its", "i'd": "id",
}
SMS_PATTERN = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(SMS_WORDS, key=len,
                                                                        reverse=True)) + r")\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b")
HOUR_HALF = re.compile(r"\b(\d{1,2}) ?(am|pm|a\.m\.|p\.m\.)", re.IGNORECASE)
ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b")
NUMBER = re.compile(r"\b\d+\b")
FILLERS = ("um", "uh", "so um", "um so", "er")
"""Sounds without meaning: a filler that says something ("yeah" is a yes) would change the
message, not its delivery."""


def number_words(number: int) -> str:
    """0-99 in words ("forty five"); larger numbers digit by digit, as phone numbers are read."""
    if number < 20:
        return ONES[number]
    if number < 60 and number // 10 in TENS:
        tens, ones = divmod(number, 10)
        return TENS[tens] + (f" {ONES[ones]}" if ones else "")
    return " ".join(ONES[int(d)] for d in str(number))


def ordinal_words(number: int) -> str:
    if number in ORDINAL_WORDS:
        return ORDINAL_WORDS[number]
    tens, ones = divmod(number, 10)
    return f"{TENS[tens]} {ORDINAL_WORDS[ones]}"


def _clock_words(match: re.Match[str]) -> str:
    hour, minutes = int(match.group(1)), int(match.group(2))
    if minutes == 0:
        return number_words(hour)
    spoken = f"oh {ONES[minutes]}" if minutes < 10 else number_words(minutes)
    return f"{number_words(hour)} {spoken}"


def _spelt_email(match: re.Match[str]) -> str:
    local, domain = match.group(0).lower().split("@", 1)
    return f"{local.replace('.', ' dot ')} at {domain.replace('.', ' dot ')}"


def for_sms(text: str, rng: random.Random) -> str:
    """Lowercase, abbreviated, no closing punctuation; e-mail addresses kept as they are."""
    text = text.lower()
    text = SMS_PATTERN.sub(lambda m: SMS_WORDS[m.group(1)], text)
    text = re.sub(r"(\d) (am|pm)\b", r"\1\2", text)
    text = re.sub(r"\b(\d{1,2}):00\b", r"\1", text)
    if rng.random() < 0.5:
        text = text.replace(",", "")
    return re.sub(r"\s+", " ", text).strip().rstrip(".!")


def for_voice(text: str, rng: random.Random) -> str:
    """What speech recognition hands over: words only, numbers said, a filler now and then."""
    text = EMAIL.sub(_spelt_email, text)
    text = CLOCK.sub(_clock_words, text)
    text = HOUR_HALF.sub(lambda m: f"{m.group(1)} {m.group(2)[0].lower()} m", text)
    text = ORDINAL.sub(lambda m: ordinal_words(int(m.group(1))), text)
    text = NUMBER.sub(lambda m: number_words(int(m.group(0))), text)
    text = re.sub(r"[^\w' ]+", " ", text.replace("-", " "))
    text = re.sub(r"\s+", " ", text).strip().lower()
    if rng.random() < 0.5:
        text = f"{rng.choice(FILLERS)} {text}"
    elif rng.random() < 0.3 and len(text.split()) >= 4:  # never inside a bare name
        first, rest = text.split(" ", 1)
        text = f"{first} uh {rest}"
    return text


def render(text: str, channel: str, seed: str) -> str:
    """`text` as typed on the web, turned into what `channel` delivers; `seed` (the goal, the
    channel and the turn) makes the choices repeatable."""
    rng = random.Random(seed)
    if channel == "web":
        return text
    if channel == "sms":
        return for_sms(text, rng)
    if channel == "voice":
        return for_voice(text, rng)
    raise ValueError(f"unknown channel {channel!r}: one of {', '.join(CHANNELS)}")


def pick_words(number: int, channel: str) -> str:
    """Choosing the n-th offer as people do: "the second" typed or said, "2" in a text."""
    return str(number) if channel == "sms" else f"the {ORDINAL_WORDS[number]}"
