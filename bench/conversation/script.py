"""How a scripted customer answers, and how a conversation is judged.

The customer answers each question of the assistant once, from the goal's own answers first and
then from the answers every customer gives (the offer that fits, "yes" to the read-back, their
name, number, e-mail, the code they were sent). Nothing is repeated or rephrased: a question
asked again, a question nobody scripted, words the assistant did not understand, or offers of
which none fits, each end the conversation as a failure of that named kind. Whether the goal was
reached is then read from the database, never from the assistant's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from bench.conversation.channels import Offer, Reply
from bench.conversation.db import ACTIVE, Booked, Identity
from bench.conversation.render import pick_words
from bench.conversation.spec import Answer, Goal, Want

PICK = "{pick}"
DEFAULT_ANSWERS = (
    Answer(r"which one would you like|say the first|press 1 or say", PICK),
    Answer(r"shall i (book|move|cancel)|say yes or no|is that right|do you want me to", "yes"),
    Answer(r"check it's you|phone number did you book|did you book with", "{phone}"),
    Answer(r"six digit code|tell me the code", "{code}"),
    Answer(r"e-?mail", "{email}"),
    Answer(r"phone number", "{phone}"),
    Answer(r"what name|your name|name should i", "{name}"),
)
TROUBLE = (
    ("not_understood", r"didn't catch that|couldn't work out|couldn't match|doesn't look like|"
                       r"doesn't look right|didn't get your name|didn't understand|"
                       r"could you say that again"),
    ("aborted", r"i've stopped there"),
    ("error", r"something went wrong|having trouble|\[HTTP \d+"),
    ("nothing_free", r"nothing is free then|have nothing else|nothing else is free"),
)
OUTCOMES = {
    "book": r"you're booked|you are booked|it's yours|booked you",
    "series": r"you're booked|booked .* (every|weekly)|series",
    "group": r"you're booked|booked .* (both|each|two)",
    "move": r"new reference|(has been|is|i've) moved|moved to",
    "cancel": r"is cancelled|has been cancelled|i've cancelled",
    "waitlist": r"on the waitlist",
}
POLITE_END = re.compile(r"goodbye|bye|have a (good|great|lovely|nice)|take care|thank you for|"
                        r"thanks for|you're welcome", re.IGNORECASE)


@dataclass
class Turn:
    said: str
    heard: str


@dataclass
class Conversation:
    goal: Goal
    channel: str
    who: Identity
    turns: list[Turn] = field(default_factory=list)
    picked: Offer | None = None
    failure: str | None = None
    ended_politely: bool | None = None

    def turns_to_outcome(self) -> int:
        """The customer's messages up to the outcome (the closing words are not counted)."""
        closed = self.goal.closing is not None and self.ended_politely is not None
        return len(self.turns) - (1 if closed else 0)

    def transcript(self) -> str:
        lines = [f"[{self.goal.id} on {self.channel}]"]
        for turn in self.turns:
            lines += [f"  customer: {turn.said}", f"  assistant: {turn.heard}"]
        return "\n".join(lines)


def trouble(text: str) -> str | None:
    """The failure kind the assistant's words show, if any."""
    for kind, pattern in TROUBLE:
        if re.search(pattern, text, re.IGNORECASE):
            return kind
    return None


def outcome_said(want: Want, text: str) -> bool:
    pattern = OUTCOMES.get(want.do)
    return bool(pattern and re.search(pattern, text, re.IGNORECASE))


def polite_end(reply: Reply) -> bool:
    """Farewell words and no further question (a call may also just be ended)."""
    return (bool(POLITE_END.search(reply.text)) and "?" not in reply.text) or (
        reply.hung_up and "?" not in reply.text)


def fitting(offers: list[Offer], want: Want, today: date) -> Offer | None:
    """The first offer that is what the customer wants: the first they would take."""
    for offer in offers:
        if want.staff_ok(offer.staff) and want.day_ok(offer.day, today) and \
                want.time_ok(offer.start):
            return offer
    return None


KNOWN = ("{name}", "{email}", "{phone}")
"""What a returning customer's number already tells on SMS and voice (a web visitor is
anonymous until a one-time code proves who they are, so is asked like anyone)."""


def scripted(goal: Goal, reply: Reply, used: set[int]) -> Answer | None:
    """The goal's own next answer to this reply, if it has one left."""
    for number, answer in enumerate(goal.answers):
        if number not in used and re.search(answer.ask, reply.text, re.IGNORECASE):
            used.add(number)
            return answer
    return None


def next_answer(goal: Goal, channel: str, reply: Reply, used: set[int]
                ) -> tuple[Answer | None, str | None]:
    """The everyday answer to this reply, or the failure kind when there is none: each is
    given once, and a returning customer who texts or calls is never asked what the salon
    knows."""
    asked_before = False
    for number, answer in enumerate(DEFAULT_ANSWERS, start=1000):
        if not re.search(answer.ask, reply.text, re.IGNORECASE):
            continue
        if number in used:
            asked_before = True
            continue
        if goal.customer == "returning" and answer.say in KNOWN and channel != "web":
            return None, "asked_known_details"
        used.add(number)
        return answer, None
    return None, "asked_again" if asked_before else "unexpected_question"


def honesty(goal: Goal, offers: list[Offer], today: date) -> str | None:
    """Offers said to match the request must match it; a goal about honesty also wants them
    in time order. Goals of corrections (kind 5) change the request on the way, so their
    labels are not held to the final wish."""
    if goal.kind != 5 and not any("{pick_first}" in a.say for a in goal.answers) and any(
            o.labelled and not (goal.want.day_ok(o.day, today) and goal.want.time_ok(o.start))
            for o in offers):
        return "dishonest_label"
    if goal.kind == 4 and offers != sorted(offers, key=lambda o: (o.day, o.start)):
        return "offers_out_of_order"
    return None


def words_for(answer: Answer, conversation: Conversation, channel: str, code: str | None
              ) -> str:
    who, offer = conversation.who, conversation.picked
    email = "skip" if conversation.goal.email == "skip" else who.email
    values = {"name": who.name, "first": who.name.split()[0], "phone": who.phone,
              "email": email, "code": code or "000000"}
    if offer is not None:
        minute = f":{offer.start.minute:02d}" if offer.start.minute else ""
        clock = f"{offer.start.hour % 12 or 12}{minute}"
        values |= {"pick": pick_words(offer.number, channel), "pick_time": clock,
                   "pick_staff": offer.staff, "pick_first": pick_words(1, channel)}
    return answer.say.format(**values)


def judge(goal: Goal, who: Identity, before: list[Booked], after: list[Booked], waiting: int,
          picked: Offer | None, today: date) -> str | None:
    """None when the database shows what the customer wanted; else the failure kind."""
    old_ids = {b.id for b in before}
    new = [b for b in after if b.id not in old_ids and b.status in ACTIVE]
    want = goal.want
    if any(b.name.lower() != who.name.lower() for b in new):
        return "wrong_name"
    if want.do == "end":
        return "booked_unasked" if new else None
    if want.do == "waitlist":
        return None if waiting else "not_booked"
    if want.do == "cancel":
        upcoming = [b for b in after if b.id in old_ids and b.day >= today]
        return None if upcoming and all(b.status in ("cancelled", "late_cancel")
                                        for b in upcoming) else "not_changed"
    if want.do == "move":
        moved = [b for b in after if b.id in old_ids and b.status == "rescheduled"]
        if not moved:
            return "not_changed"
    if not new:
        return "not_booked"
    seats = sum(b.seats for b in new) if want.do == "group" else len(new)
    if seats < want.count or (want.do not in ("group", "series") and len(new) > want.count):
        return "wrong_count"
    services = [s.strip().lower() for s in (want.service or "").split("+") if s.strip()]
    if len(services) > 1 and sorted(b.service.lower() for b in new) != sorted(services):
        return "wrong_booking"
    for booked in new:
        if not ((len(services) != 1 or booked.service.lower() == services[0])
                and want.staff_ok(booked.staff) and want.day_ok(booked.day, today)
                and want.time_ok(booked.start)):
            return "wrong_booking"
    if want.do == "series" and not all(b.series for b in new):
        return "not_a_series"
    if picked is not None and want.count == 1 and (new[0].day, new[0].start, new[0].staff) != \
            (picked.day, picked.start, picked.staff):
        return "not_the_pick"
    return None
