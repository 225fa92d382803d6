"""Scripted customers with everyday goals, run against the whole assistant; success without
repair is read from the database.

    .venv/bin/python bench/conversations.py [--split dev|held_out|all] [--channel web|sms|voice]
        [--goal ID ...] [--jobs 4] [--gateway URL --database-url URL --twilio-token T]
        [--transcripts]

Each goal (bench/conversation_goals/*.yml, see bench/conversation/spec.py) runs once on each of
its channels, as a new customer with a phone number and e-mail of this run: web through
`POST /chat`, SMS and voice through the gateway's signed Twilio webhooks, with the customer's
words rendered for the channel (bench/conversation/render.py). The customer never repeats or
rephrases; the first thing that goes wrong ends the conversation as a failure of that kind.

Prints success without repair overall, per channel and per kind of the issue, the median turns
to the outcome for new and returning customers, and the failures by kind with one transcript
each. With no --gateway it starts `python -m assistant run` on free ports with an embedded
database in a temporary folder (and its own Twilio token) and stops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import signal
import statistics
import string
import sys
import tempfile
import threading
import zlib
from collections import Counter, defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.conversation.channels import Reply, Sms, Voice, Web  # noqa: E402
from bench.conversation.db import Identity, Salon  # noqa: E402
from bench.conversation.render import CHANNELS, render  # noqa: E402
from bench.conversation.script import (  # noqa: E402
    Conversation,
    Turn,
    fitting,
    honesty,
    judge,
    next_answer,
    outcome_said,
    polite_end,
    scripted,
    trouble,
    words_for,
)
from bench.conversation.spec import KINDS, Goal, load  # noqa: E402

MAX_TURNS = 14
FIRST = ("Jo", "Sam", "Alex", "Maria", "Priti", "Dana", "Lee", "Rosa", "Tom", "Wen", "Kofi",
         "Hana", "Ben", "Ines", "Omar", "Ruth")
LAST = ("Quick", "Reed", "Moss", "Garcia", "Shah", "Fox", "Okafor", "Lindqvist", "Bell",
        "Novak", "Silva", "Kato", "Byrne", "Haddad")


@dataclass(frozen=True)
class Target:
    gateway: str
    database_url: str
    twilio_token: str
    public_url: str | None
    tag: str


def identity(goal: Goal, channel: str, tag: str) -> Identity:
    """A customer of this run only: a fresh number and e-mail, so runs never meet."""
    n = zlib.crc32(f"{tag}:{goal.id}:{channel}".encode())
    name = goal.name or f"{FIRST[n % len(FIRST)]} {LAST[n // 7 % len(LAST)]}"
    first, last = name.lower().split()[0], name.lower().split()[-1]
    return Identity(name, f"+1646{2_000_000 + n % 7_999_999}", f"{first}.{last}.{tag}"
                    f"{string.ascii_lowercase[n % 26]}@example.org")


def client(http: aiohttp.ClientSession, target: Target, channel: str, who: Identity,
           goal: Goal) -> Web | Sms | Voice:
    if channel == "web":
        return Web(http, target.gateway, f"bench-{target.tag}-{goal.id}"[:64])
    kind = Sms if channel == "sms" else Voice
    return kind(http, target.gateway, target.twilio_token, target.public_url, who.phone)


async def converse(http: aiohttp.ClientSession, target: Target, salon: Salon, goal: Goal,
                   channel: str) -> tuple[Conversation, str | None]:
    """One customer, one channel: the conversation and the failure kind (None: reached)."""
    who = identity(goal, channel, target.tag)
    zone = await salon.zone()
    today = datetime.now(zone).date()
    if goal.customer == "returning":
        await salon.remember(who, goal.history, today)
    before = await salon.bookings(who, zone)
    chat = Conversation(goal, channel, who)
    talk = client(http, target, channel, who, goal)
    await talk.open(today)
    said: str | None = goal.says
    used: set[int] = set()
    while said is not None and len(chat.turns) < MAX_TURNS:
        message = render(said, channel, f"{goal.id}:{channel}:{len(chat.turns)}")
        reply = await talk.say(message, today)
        chat.turns.append(Turn(message, reply.text))
        said = await _respond(chat, reply, used, today, salon)
    if chat.failure is None and len(chat.turns) >= MAX_TURNS:
        chat.failure = "too_many_turns"
    failure = chat.failure or judge(goal, who, before, await salon.bookings(who, zone),
                                    await salon.waiting(who), chat.picked, today)
    if failure is None and goal.closing and not chat.ended_politely:  # booked, badly ended
        failure = "no_polite_end"
    await salon.release(who)
    return chat, failure


async def _respond(chat: Conversation, reply: Reply, used: set[int], today: date,
                   salon: Salon) -> str | None:
    """What the customer says next; None when the conversation is over (chat.failure says
    how it went wrong, if it did)."""
    goal = chat.goal
    if chat.ended_politely is False:  # this is the answer to the customer's closing words
        chat.ended_politely = polite_end(reply)
        return None
    if goal.want.do == "end" and len(chat.turns) > 1 and polite_end(reply):
        chat.ended_politely = True
        return None
    if outcome_said(goal.want, reply.text):
        if goal.closing:
            chat.ended_politely = False
        return goal.closing
    chat.failure = "hung_up" if reply.hung_up else honesty(goal, reply.offers, today)
    answer = None if chat.failure else scripted(goal, reply, used)
    if answer is None and chat.failure is None:
        chat.failure = trouble(reply.text)
        if chat.failure is None:
            answer, chat.failure = next_answer(goal, chat.channel, reply, used)
    if answer is None:
        if goal.want.do == "end":
            chat.failure = "no_polite_end"
        return None
    if "{pick" in answer.say:
        chat.picked = reply.offers[0] if "{pick_first}" in answer.say and reply.offers \
            else fitting(reply.offers, goal.want, today)
        if chat.picked is None:
            chat.failure = "wrong_offer"
            return None
    code = await salon.code_for(chat.who) if "{code}" in answer.say else None
    return words_for(answer, chat, chat.channel, code)


async def run_goal(http: aiohttp.ClientSession, target: Target, salon: Salon, goal: Goal,
                   channels: list[str], limit: asyncio.Semaphore
                   ) -> list[tuple[Conversation, str | None]]:
    """A goal's channels one after another (each frees what it booked for the next)."""
    results = []
    async with limit:
        for channel in channels:
            try:
                results.append(await converse(http, target, salon, goal, channel))
                print("." if results[-1][1] is None else "x", end="", file=sys.stderr,
                      flush=True)
            except (aiohttp.ClientError, RuntimeError, TimeoutError) as error:
                chat = Conversation(goal, channel, identity(goal, channel, target.tag))
                chat.turns.append(Turn("", f"[{type(error).__name__}: {error}]"))
                results.append((chat, "error"))
    return results


def _rate(results: list[tuple[Conversation, str | None]]) -> str:
    won = sum(1 for _, failure in results if failure is None)
    return f"{won}/{len(results)} = {won / len(results):.3f}" if results else "-"


def report(results: list[tuple[Conversation, str | None]], show_all: bool) -> None:
    print(f"\nsuccess without repair: {_rate(results)}")
    for split in sorted({chat.goal.split for chat, _ in results}):
        print(f"  {split:<8} {_rate([r for r in results if r[0].goal.split == split])}")
    for channel in CHANNELS:
        print(f"  {channel:<6} {_rate([r for r in results if r[0].channel == channel])}")
    by_kind = defaultdict(list)
    for result in results:
        by_kind[result[0].goal.kind].append(result)
    for kind in sorted(by_kind):
        print(f"  kind {kind:>2} {KINDS[kind]:<16} {_rate(by_kind[kind])}")
    for customer in ("new", "returning"):
        turns = [c.turns_to_outcome() for c, failure in results if failure is None and
                 c.goal.customer == customer and c.goal.want.do in ("book", "move")]
        median = statistics.median(turns) if turns else "-"
        print(f"median turns to book or move, {customer} customers: {median} "
              f"(of {len(turns)})")
    failures = Counter(f for _, f in results if f)
    print("failures by kind:" if failures else "no failures")
    for name, count in failures.most_common():
        goals = sorted({c.goal.id for c, f in results if f == name})
        print(f"  {name:<20} {count:3d}  {', '.join(goals)}")
    for name in failures:
        example = next(c for c, f in results if f == name)
        print(f"\n--- {name}, e.g.\n{example.transcript()}")
    if show_all:
        for chat, failure in results:
            print(f"\n=== {failure or 'reached'}\n{chat.transcript()}")


async def run(target: Target, goals: list[Goal], channel: str | None, jobs: int,
              show_all: bool) -> None:
    salon, limit = Salon(target.database_url), asyncio.Semaphore(jobs)
    timeout = aiohttp.ClientTimeout(total=180)
    async with aiohttp.ClientSession(timeout=timeout) as http:
        batches = await asyncio.gather(*(
            run_goal(http, target, salon, goal,
                     [c for c in goal.channels if channel in (None, c)], limit)
            for goal in goals))
    report([result for batch in batches for result in batch], show_all)


@contextmanager
def started_stack(token: str) -> Iterator[tuple[str, str]]:
    """`python -m assistant run` on free ports with an embedded database: (gateway, db url).
    Its output is read all along (a full pipe would stall every process of the run)."""
    from assistant.embedded_db import free_port
    from tests.stack import RunningAssistant

    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench-conversations-") as folder:
        running = RunningAssistant(Path(folder), TWILIO_AUTH_TOKEN=token, TRUST_PROXY="true",
                                   EMBEDDED_DB_PORT=str(port), EMBEDDED_DB_NAME="bench")
        try:
            running.wait_ready()
        except BaseException:
            running.finish()
            raise
        output = running.process.stdout
        drain = threading.Thread(target=lambda: deque(output or (), maxlen=0), daemon=True)
        drain.start()
        try:
            yield running.url, f"postgresql://postgres@127.0.0.1:{port}/bench"
        finally:
            running.process.send_signal(signal.SIGTERM)
            drain.join(timeout=90)
            running.process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "held_out", "all"), default="dev")
    parser.add_argument("--channel", choices=CHANNELS)
    parser.add_argument("--goal", action="append", help="run only this goal id (repeatable)")
    parser.add_argument("--jobs", type=int, default=4, help="goals talking at once")
    parser.add_argument("--gateway", help="a running gateway (else one is started)")
    parser.add_argument("--database-url", help="its database (required with --gateway)")
    parser.add_argument("--twilio-token", default=os.environ.get("TWILIO_AUTH_TOKEN"))
    parser.add_argument("--public-url", help="the PUBLIC_URL the gateway signs Twilio with")
    parser.add_argument("--transcripts", action="store_true", help="print every transcript")
    args = parser.parse_args()
    goals = load(args.split)
    if args.goal:
        goals = [g for g in goals if g.id in args.goal]
        if not goals:
            parser.error(f"no goal {args.goal} in {args.split}")
    tag = "".join(secrets.choice(string.ascii_lowercase) for _ in range(5))
    print(f"{len(goals)} goals ({args.split}), run {tag}", flush=True)
    if args.gateway:
        if not (args.database_url and args.twilio_token):
            parser.error("--gateway needs --database-url and --twilio-token")
        target = Target(args.gateway.rstrip("/"), args.database_url, args.twilio_token,
                        args.public_url, tag)
        asyncio.run(run(target, goals, args.channel, args.jobs, args.transcripts))
        return
    token = secrets.token_hex(16)
    with started_stack(token) as (gateway, database_url):
        target = Target(gateway, database_url, token, None, tag)
        asyncio.run(run(target, goals, args.channel, args.jobs, args.transcripts))


if __name__ == "__main__":
    main()
