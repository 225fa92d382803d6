"""A booking asked for inside a question (issue 18, kind 6): "what time do you open on
saturday? I'd like a women's cut first thing", "how long does a colour take? I'd like one on
thursday at 10".

Such a message is heard as the question (`ask_hours`, `ask_duration`, ...); it is answered, and
the words that ask for a booking then start it (`info.ActionAnswerQuestion`), read as a booking
request (`forms.Turn.carries_values`) so the day, time and service in it are kept.
"""

from __future__ import annotations

import re

QUESTION_INTENTS = frozenset({"ask_price", "ask_duration", "ask_address", "ask_hours",
                              "ask_policy", "ask_prepare", "ask_services"})
REQUEST = re.compile(
    r"\b(i'?d like|i would like|i want|i wanna|i need|i'?ll take|(can|could|may) (i|we) "
    r"(book|get|have|come|do)|book me|put me down|sign me up|i'?d love)\b"
    r"(?! (to (know|ask|check|find out)|an? (idea|quote|estimate|price)|the price|info))",
    re.IGNORECASE)
"""Words that ask for something for the customer, not about the business ("I'd like to
know", "can I get a price" are still questions)."""


def requests_booking(intent: str, text: str) -> bool:
    """Whether a message heard as a question also asks for a booking."""
    return intent in QUESTION_INTENTS and REQUEST.search(text) is not None
