"""During a form, a message that names a value is an answer, whatever it was heard as.

Why: the classifier hears some ordinary answers to "What day and time would suit you?" ("let's
try the 5th", "can you change that to the 12th") as `stop`, small talk or a switch to managing.
The form rejects a message whose intent carries no values, and the rules then end the booking
("I've stopped there and nothing was booked"). Only the customer's own words should end it:
a message that names a service, a member of staff, a day or a time, and does not ask to stop
("stop", "cancel that", "forget it", "never mind"), is read by the form as `inform`, so the form
fills its slots and the rules that leave it (which apply only when the form rejects) never fire.

Questions (`ask_*`), help and a person wanted keep their intent: "how much is a men's cut" is
a question to answer, not a choice of service.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from actions import parsing
from scheduling import locations
from scheduling.catalog import Catalog

ANSWER_INTENT = "inform"
MISHEARD = frozenset({"stop", "goodbye", "out_of_scope", "chitchat", "greet", "thank",
                      "bot_challenge", "list_appointments", "claim_offer"})
"""Intents that make the form reject a message (so a rule answers or leaves it) although a
misheard answer is often read as one of them."""

STOP = re.compile(
    r"\b(stop|cancel|forget (it|that|about it|this)|never ?mind|nvm|quit|exit|abort"
    r"|dont bother|scrap (it|that|this)|leave it|changed? my mind|no longer"
    r"|(good)?bye|thats all|im done)\b"
)
"""Words with which a customer asks to stop, whatever else the message says."""
OWN_BOOKINGS = re.compile(r"\bmy (appointment|booking|reservation)s?\b")
"""'what have I got on friday' is an answer; 'my appointments on friday' asks for a list."""


def _plain(text: str) -> str:
    """Lower case without apostrophes ("don't" is "dont"), other punctuation kept."""
    return re.sub(r"['\u2019]", "", text.lower())


def asks_to_stop(text: str) -> bool:
    return bool(STOP.search(_plain(text)))


def names_a_value(text: str, catalog: Catalog, now: datetime, zone: ZoneInfo) -> bool:
    """Whether the message names a service, a member of staff, a branch (where there are
    several: "Lakeview", the answer to "which location?", is heard as out of scope), or a day
    or a time."""
    return (parsing.when_in(text, now, zone) is not None
            or parsing.match_service(catalog, text) is not None
            or parsing.match_staff(catalog, text).staff is not None
            or (len(catalog.business.locations) > 1
                and locations.named_in(catalog, text) is not None))


def heard_as(intent: str, text: str, catalog: Catalog, now: datetime, zone: ZoneInfo) -> str:
    """The intent a form acts on: `inform` for a message heard as leaving or as small talk
    that names a value and does not ask to stop; otherwise the classifier's."""
    if intent not in MISHEARD or asks_to_stop(text):
        return intent
    if intent == "list_appointments" and OWN_BOOKINGS.search(_plain(text)):
        return intent
    return ANSWER_INTENT if names_a_value(text, catalog, now, zone) else intent
