"""The scripted-customer bench's own parts, without a running stack: the goal files and their
split, the rendering per channel, reading offers back, and judging what the database holds."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime, time

import pytest

from bench.conversation.channels import Reply, read_offer
from bench.conversation.db import Booked, Identity
from bench.conversation.render import render
from bench.conversation.script import judge, next_answer
from bench.conversation.spec import KINDS, Goal, Want, load, split_of

TODAY = date(2026, 12, 2)  # a Wednesday
WHO = Identity("Jo Quick", "+16465550100", "jo.quick.abc@example.org")


def test_at_least_80_goals_over_every_kind_each_in_the_file_its_id_hashes_to() -> None:
    goals = load("all")  # raises for a goal in the other split's file
    assert len(goals) >= 80
    assert set(Counter(g.kind for g in goals)) == set(KINDS)
    assert all(g.split == split_of(g.id) for g in goals)
    assert 0 < len(load("held_out")) < len(load("dev"))


def test_voice_is_said_and_sms_is_texted() -> None:
    said = render("Can I get a men's cut on Thursday at 3:30pm? jo.quick@example.org", "voice",
                  "seed")
    assert "three thirty p m" in said and "jo dot quick at example dot com" not in said
    assert "jo dot quick at example dot org" in said
    assert not any(mark in said for mark in "?,.:@")
    texted = render("Thank you, see you tomorrow at 10 am.", "sms", "seed")
    assert texted.startswith("ty") and "tmrw" in texted and "10am" in texted
    assert render("As typed, Exactly.", "web", "seed") == "As typed, Exactly."
    with pytest.raises(ValueError):
        render("hi", "fax", "seed")


@pytest.mark.parametrize("shown", [
    "Friday, December 4 at 2:30 PM with Ana (when you asked)",
    "2. Friday, December 4 at 2:30 PM with Ana (when you asked)",
    "Friday, December 4th at 2 30 p.m. with Ana (when you asked)",
])
def test_offers_are_read_back_as_shown_on_each_channel(shown: str) -> None:
    offer = read_offer(2, shown, TODAY)
    assert offer is not None
    assert (offer.day, offer.start, offer.staff, offer.labelled) == (
        date(2026, 12, 4), time(14, 30), "Ana", True)
    tomorrow = read_offer(1, "tomorrow at 9 AM with Priya", TODAY)
    assert tomorrow is not None and tomorrow.day == date(2026, 12, 3)


def _booked(service: str, day: date, start: time, status: str = "confirmed") -> Booked:
    return Booked(uuid.uuid4(), status, service, "Ana", day, start, False, 1,
                  datetime(2026, 12, 2, 12), WHO.name)


def test_the_database_decides() -> None:
    goal = Goal("g", 1, "men's cut thursday at 3", Want("book", "Men's cut", days=("thu",),
                                                         time="14:00-16:00"))
    right = _booked("Men's cut", date(2026, 12, 3), time(15))
    assert judge(goal, WHO, [], [right], 0, None, TODAY) is None
    assert judge(goal, WHO, [], [], 0, None, TODAY) == "not_booked"
    assert judge(goal, WHO, [], [_booked("Men's cut", date(2026, 12, 3), time(10))], 0, None,
                 TODAY) == "wrong_booking"
    assert judge(goal, WHO, [], [_booked("Women's cut", date(2026, 12, 3), time(15))], 0,
                 None, TODAY) == "wrong_booking"
    ending = Goal("e", 10, "hi", Want("end"))
    assert judge(ending, WHO, [], [right], 0, None, TODAY) == "booked_unasked"


def test_a_returning_customer_is_not_asked_what_the_salon_knows() -> None:
    goal = Goal("r", 7, "same as last time", Want("book"), customer="returning")
    asked = Reply("What name should I put the booking under?")
    assert next_answer(goal, "sms", asked, set()) == (None, "asked_known_details")
    used: set[int] = set()
    answer, failure = next_answer(Goal("n", 1, "hi", Want("book")), "sms", asked, used)
    assert answer is not None and failure is None
    assert next_answer(Goal("n", 1, "hi", Want("book")), "sms", asked, used) == (
        None, "asked_again")
