"""A question inside a booking request is answered as the booking goes on: "can I book a
women's cut friday, how much is it?" gets the price and then the offers; "a men's cut monday at
2pm, and where are you?" the address.

A message heard as a question (`ask_price`, ...) is answered by the rules; this is for the
one heard as a booking or an answer, whose question would otherwise go unanswered. The answer
is the one the question would get on its own (`info.answer`).
"""

from __future__ import annotations

import re
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import info
from actions.places import place_of
from actions.runtime import runtime
from scheduling import locations
from scheduling.catalog import Catalog, Service
from scheduling.errors import NotFound

QUESTIONS = {
    "ask_price": re.compile(r"\b(how much|what does it cost|price|prices|cost|costs)\b", re.I),
    "ask_duration": re.compile(r"\bhow long\b", re.I),
    "ask_address": re.compile(r"\b(where are you|where is (it|the salon|the shop)|where's (it|the"
                              r" salon|the shop)|(your|the) address)\b", re.I),
    "ask_hours": re.compile(r"\b((what time|when) do you (open|close)|opening hours"
                            r"|are you open)\b", re.I),
}
"""The questions a booking request carries, as the intent each would be heard as alone."""
ABOUT_THE_SERVICE = ("ask_price", "ask_duration")
HEARD_AS_REQUEST = {"book", "inform", "affirm", "nlu_fallback"}


async def answer(dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog) -> None:
    """Answer each question the request asked, as it would be answered alone."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    text = message.get("text") or ""
    if intent not in HEARD_AS_REQUEST:
        return
    service = _service(catalog, tracker.get_slot("service"))
    place = locations.named_in(catalog, text) or place_of(tracker, catalog)
    for asked, question in QUESTIONS.items():
        if not question.search(text) or (asked in ABOUT_THE_SERVICE and service is None):
            continue  # "a haircut, how much?": which cut is asked first
        parts = await runtime.message_parts()
        dispatcher.utter_message(text=info.answer(asked, catalog, service, True, place, parts))


def _service(catalog: Catalog, value: object) -> Service | None:
    try:
        return catalog.service(UUID(str(value)))
    except (ValueError, NotFound):
        return None
