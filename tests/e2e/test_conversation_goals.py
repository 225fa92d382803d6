"""bench/conversations.py against the real stack: a handful of dev goals on every channel, and
the harness itself (a goal that cannot be reached fails, with the kind of failure it is).

`python -m assistant run` is started on free ports against the test database with a Twilio token
of the test's own, so the SMS and voice goals go through the gateway's signed webhooks as
Twilio's requests do; success is read from the database, as the bench reads it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import aiohttp
import pytest

from bench.conversation.db import Salon
from bench.conversation.script import Conversation
from bench.conversation.spec import Answer, Goal, Want, load
from bench.conversations import Target, run_goal
from tests.stack import RunningAssistant, truncate_all

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]
TOKEN = "e2e-goals-twilio-token"


@pytest.fixture(scope="module")
def target(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    running = RunningAssistant(tmp_path_factory.mktemp("goals"), DATABASE_URL=database_url,
                               TWILIO_AUTH_TOKEN=TOKEN, TRUST_PROXY="true")
    try:
        running.wait_ready()
        yield Target(running.url, database_url, TOKEN, None, "goals")
    finally:
        running.finish()
        truncate_all(database_url)


def run(target: Target, goal: Goal, *channels: str) -> list[tuple[Conversation, str | None]]:
    async def talk() -> list[tuple[Conversation, str | None]]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
            return await run_goal(http, target, Salon(target.database_url), goal,
                                  list(channels or goal.channels), asyncio.Semaphore(1))
    return asyncio.run(talk())


def dev_goal(goal_id: str) -> Goal:
    return next(goal for goal in load("dev") if goal.id == goal_id)


def outcomes(results: list[tuple[Conversation, str | None]]) -> dict[str, str | None]:
    return {chat.channel: failure for chat, failure in results}


def transcripts(results: list[tuple[Conversation, str | None]]) -> str:
    return "\n".join(chat.transcript() for chat, _ in results)


@pytest.mark.parametrize("goal_id", ["time-1pm-2pm-monday", "manage-cancel-something-came-up",
                                     "group-two-mens-cuts-me-and-my-son"])
def test_dev_goals_are_reached_on_every_channel(target: Target, goal_id: str) -> None:
    results = run(target, dev_goal(goal_id))
    assert outcomes(results) == {"web": None, "sms": None, "voice": None}, transcripts(results)


@pytest.mark.parametrize("goal_id", ["end-at-service-no-thanks-thats-all",
                                     "end-after-booking-no-thanks-thats-all"])
def test_no_thanks_thats_all_ends_politely_on_every_channel(target: Target, goal_id: str
                                                             ) -> None:
    results = run(target, dev_goal(goal_id))
    assert outcomes(results) == {"web": None, "sms": None, "voice": None}, transcripts(results)
    for chat, _ in results:
        assert "couldn't match" not in chat.turns[-1].heard


def test_a_question_nobody_scripted_fails_as_unexpected(target: Target) -> None:
    goal = Goal("harness-no-answer-for-the-service", 1, "I'd like to book something",
                Want("book", "Men's cut"))
    (chat, failure), = run(target, goal, "web")
    assert failure == "unexpected_question", chat.transcript()
    assert "which service" in chat.turns[-1].heard.lower()


def test_offers_of_which_none_fits_fail_as_a_wrong_offer(target: Target) -> None:
    goal = Goal("harness-ana-does-no-beards", 3, "a beard trim on thursday please",
                Want("book", "Beard trim", staff="Ana"))
    (chat, failure), = run(target, goal, "sms")
    assert failure == "wrong_offer", chat.transcript()


def test_the_database_decides_whether_the_goal_was_reached(target: Target) -> None:
    """The customer takes the first offer whatever it is, while the goal wants 10 am: the
    conversation runs to "You're booked", and the booking read back is judged wrong."""
    goal = Goal("harness-takes-the-first-offer", 5, "a men's cut on friday at 4pm",
                Want("book", "Men's cut", time="10:00"),
                answers=(Answer("which one would you like", "{pick_first}"),))
    (chat, failure), = run(target, goal, "web")
    assert "booked" in chat.turns[-1].heard.lower(), chat.transcript()
    assert failure == "wrong_booking", chat.transcript()
