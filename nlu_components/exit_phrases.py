"""Which messages say that no booking is wanted at all (`exit_intent`); the standard library
only, so the project's environment tests it directly and Rasa's component
(`exit_words.ExitWords`) calls it.

A message that also names a day, a time, a number or something else to do instead ("not
monday, tuesday", "no, i don't want anything else", "don't book that one, the other") is
left as it was heard: it answers or goes on, it does not leave.
"""

from __future__ import annotations

import re

STOP_INTENT = "stop"
HEARD = frozenset({"deny", "book", "inform", "nlu_fallback"})
NOUN = r"(book(ing)?|appointments?|reservations?|bookings?|slot|anything)"
NO_BOOKING = re.compile(
    r"\b(dont|do not|didnt|did not|wasnt|was not|im not|i am not|never|not)\s+(really\s+)?"
    r"(want(ed)?|wanna|need(ed)?|mean(t)?|ask(ed)?( for)?|trying|looking|going|here)\s+"
    r"(to\s+)?(make|get|have|do|book|schedule|for)?\s*(an?|any|the)?\s*" + NOUN + r"\b"
    r"|\b(not|no|dont)\s+(book|booking|schedule|make)\s+(anything|any( booking| appointment)?)\b"
    r"|^\W*(no|nope|nah)?\W*(not|no)\s+(booking|bookings|appointment|appointments)\b")
PLAIN_STOP = re.compile(
    r"\b(stop|abort|quit|exit|scrap|forget (it|that|about it|this|all)|never ?mind|nvm"
    r"|changed? my mind|dont bother)\b")
GOES_ON = re.compile(
    r"\d|\b(else|another|more|other|instead|rather|but|only|just|one|monday|tuesday|wednesday"
    r"|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri|sat|sun|today|tomorrow"
    r"|tonight|morning|afternoon|evening|noon|week|with)\b")


def plain(text: str) -> str:
    """Lower case, apostrophes gone ("don't" is "dont"), other punctuation as spaces."""
    text = re.sub(r"['\u2019]", "", text.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def exit_intent(text: str, heard: str) -> str | None:
    """`stop` for a message heard as `heard` that asks for no booking at all, else None."""
    said = plain(text)
    if heard not in HEARD or GOES_ON.search(said):
        return None
    if NO_BOOKING.search(said) or (heard == "book" and PLAIN_STOP.search(said)):
        return STOP_INTENT
    return None
