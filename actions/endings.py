"""Endings: "no thanks", "that's all", "thank you" end the conversation politely at any step.

A customer who is done says so in a handful of ways, typed, texted ("no thx thats all") or
spoken ("no thanks that's all"). Read as an answer, such a message was a service nobody offers
("couldn't match that to one of our services") or a "no" to be asked about again. Here it is
recognised whole, whatever intent the classifier heard, and answered with a goodbye that says
nothing was booked or changed. Two questions keep their own reading: the e-mail question
("no thanks" declines to give one) and the read-back before "yes" (a bare "thank you" there is
not a refusal).
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.boundary import GuardedAction

THANKS = ("thanks", "thank you", "thx", "ty", "tks", "thanks a lot", "thank you so much",
          "many thanks", "cheers", "thanks anyway", "thank you anyway", "much appreciated")
DONE = ("that's all", "that is all", "that's it", "that is it", "that's everything",
        "that'll be all", "nothing else", "nothing", "nothing more", "i'm good", "i am good",
        "all good", "i'm all set", "all set", "i'm done", "all done", "we're done",
        "never mind", "nevermind", "no need", "bye", "goodbye", "bye bye", "see you",
        "see ya", "have a good day", "have a nice day", "no thanks", "no thank you", "not now",
        "i'm fine", "i'm ok", "i'm okay")
SOFT = ("no", "nope", "nah", "ok", "okay", "great", "perfect", "lovely", "cool", "fine",
        "alright", "all right", "oh", "um", "uh", "well", "actually", "then", "for now",
        "for today", "that's fine", "so", "and", "but", "yeah", "sorry", "it", "i think",
        "ah", "hmm", "right", "awesome", "brilliant", "er", "erm", "err", "umm", "uhh", "uhm",
        "ahh", "hm", "mm")
"""Words that go with an ending but do not end anything by themselves ("no", "ok")."""
SPELLINGS = {"thats": "that's", "im": "i'm", "whats": "what's", "ive": "i've",
             "thankyou": "thank you", "thanx": "thanks", "thnx": "thanks", "tx": "thanks",
             "ta": "thanks", "nothin": "nothing", "were": "we're", "thatll": "that'll"}
TIME_TO_CLOSE = "No problem, nothing has been booked or changed. Thank you for getting in " \
                "touch, goodbye!"
AFTER_DONE = "You're welcome, and thank you for getting in touch. Goodbye!"
ASK_MORE = "Is there anything else I can help you with?"
CONFIRMATIONS = {"booking_confirmed", "manage_confirmed"}
KEPT = {"customer_name", "phone", "email"}
"""Who the customer is stays known for the next thing they ask; what they were asking ends."""
HELD = ("staff", "location", "language", "when_start", "when_end", "suggestions", "task",
        "appointments")


def _pattern(phrases: tuple[str, ...]) -> str:
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


WORDS = re.compile(rf"\s*\b({_pattern(THANKS + DONE + SOFT)})\b\s*")


def _plain(text: str) -> str:
    words = re.sub(r"[^\w' ]+", " ", text.lower().replace("’", "'")).split()
    return " ".join(SPELLINGS.get(word, word) for word in words)


def ending(text: str) -> str | None:
    """"done" when the message is only a way of saying so ("no thanks, that's all", "nope
    that's it", "bye"), "thanks" when it is only thanks ("thank you", "ok thx"), else None
    (a plain "no" or "ok" ends nothing, nor does a message with anything else in it)."""
    plain, found = _plain(text), set()
    rest = plain
    while rest:
        match = WORDS.match(rest)
        if match is None:
            return None
        found.add(match.group(1))
        rest = rest[match.end():]
    if found & set(DONE):
        return "done"
    return "thanks" if found & set(THANKS) else None


def ends_the_form(text: str, requested: str | None) -> bool:
    """Whether this message, answering the question about `requested`, ends the conversation:
    every question but the e-mail's; at the read-back, thanks alone is not enough."""
    said = ending(text)
    if said is None or requested == "email":
        return False
    return said == "done" or requested not in CONFIRMATIONS


def close(dispatcher: CollectingDispatcher, form_slots: list[str]) -> list[EventType]:
    """Say goodbye and leave the form (`form_slots`: the ones it asks for): nothing of the
    request is kept for the next message, and the turn ends here instead of going on to the
    booking or managing step."""
    dispatcher.utter_message(text=TIME_TO_CLOSE)
    cleared = [name for name in form_slots if name not in KEPT] + list(HELD)
    return [*(SlotSet(name, None) for name in dict.fromkeys(cleared)),
            SlotSet("requested_slot", None), ActiveLoop(None), FollowupAction("action_listen")]


class ActionEndOrAsk(GuardedAction):
    """A "no" (or thanks) outside any flow: a goodbye when it says the customer is done or
    answers "anything else?", else the offer of more help."""

    def name(self) -> str:
        return "action_end_or_ask"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if ending(text) or _asked_anything_else(tracker):
            dispatcher.utter_message(text=AFTER_DONE)
        else:
            dispatcher.utter_message(text=ASK_MORE)
        return []


class ActionDefaultOrEnd(GuardedAction):
    """A message not understood outside any flow: a goodbye when it is a way of saying the
    customer is done ("nothing thanks, that's all" is often not classified at all), else the
    usual "Sorry, I didn't catch that"."""

    def name(self) -> str:
        return "action_default_or_end"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if ending((tracker.latest_message or {}).get("text") or ""):
            dispatcher.utter_message(text=AFTER_DONE)
        else:
            dispatcher.utter_message(response="utter_default")
        return []


def _asked_anything_else(tracker: Tracker) -> bool:
    said = [e.get("text") or "" for e in tracker.events if e.get("event") == "bot"]
    return bool(said) and bool(re.search(r"anything else", said[-1], re.IGNORECASE))
