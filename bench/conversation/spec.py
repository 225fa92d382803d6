"""Scripted customers' goals: the YAML in bench/conversation_goals/, read and checked.

A goal says who the customer is (new or returning, their history with the salon, the channels
they use), what they first say, what they want (the appointment booked, moved or cancelled, or
just a polite ending) and how they answer the assistant's questions: `answers` maps a regular
expression on the assistant's question to the customer's reply. The customer never repeats or
rephrases: a question nobody scripted an answer for is a failure, not a retry.

Days are relative to the day of the run, so the goals hold on any day:
  `thu`       the next Thursday, 1 to 7 days ahead        `next thu` either of the next two
  `today`, `tomorrow`, `+3`                                 `12-24` the next December 24
  `nextweek`  Monday to Sunday of next week                `any` any day; a list: any of them
Times are the local start: `"15:00"` exactly, `"14:00-17:00"` inclusive.

Dev and held-out goals live in two files; which file a goal belongs to is fixed by the crc32 of
its id (`split_of`), so nobody can move a goal after seeing how it does.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

GOALS = Path(__file__).resolve().parent.parent / "conversation_goals"
SPLITS = ("dev", "held_out")
KINDS = {1: "intent", 2: "time phrases", 3: "constraints", 4: "honesty", 5: "choices",
         6: "two things", 7: "returning", 8: "recurring/group", 9: "managing", 10: "endings"}
DOES = ("book", "move", "cancel", "waitlist", "end", "series", "group")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FIELDS = {"id", "kind", "customer", "channels", "says", "want", "answers", "history", "name",
          "email", "closing", "note"}


def split_of(goal_id: str) -> str:
    """About one goal in four is held out, by a hash nobody chooses."""
    return "held_out" if zlib.crc32(goal_id.encode()) % 4 == 0 else "dev"


@dataclass(frozen=True)
class Answer:
    ask: str
    say: str


@dataclass(frozen=True)
class Want:
    """What the database must show at the end."""

    do: str
    service: str | None = None
    staff: str | None = None
    days: tuple[str, ...] = ()
    not_days: tuple[str, ...] = ()
    time: str | None = None
    count: int = 1

    def day_ok(self, day: date, today: date) -> bool:
        if any(WEEKDAYS[day.weekday()] == token for token in self.not_days):
            return False
        return not self.days or any(day_matches(token, day, today) for token in self.days)

    def time_ok(self, start: dt.time) -> bool:
        """Within one of the windows ("09:00-11:45,14:00-18:00"), or exactly at "15:00"."""
        if not self.time:
            return True
        for window in self.time.split(","):
            first, _, last = window.strip().partition("-")
            if dt.time.fromisoformat(first) <= start <= dt.time.fromisoformat(last or first):
                return True
        return False

    def staff_ok(self, name: str) -> bool:
        return self.staff in (None, "any") or name.lower() == self.staff.lower()


@dataclass(frozen=True)
class Past:
    """An appointment the returning customer already has: done (`days_ago`) or upcoming."""

    service: str
    staff: str
    at: str
    days_ago: int | None = None
    day: str | None = None


@dataclass(frozen=True)
class Goal:
    id: str
    kind: int
    says: str
    want: Want
    customer: str = "new"
    channels: tuple[str, ...] = ("web", "sms", "voice")
    answers: tuple[Answer, ...] = ()
    history: tuple[Past, ...] = ()
    name: str | None = None
    email: str = "give"
    closing: str | None = None
    split: str = "dev"
    extra: dict[str, Any] = field(default_factory=dict)


def day_matches(token: str, day: date, today: date) -> bool:
    """Whether `day` is a day the token names, seen from `today`."""
    ahead = (day - today).days
    token = token.strip().lower()
    if token == "any":
        return ahead >= 0
    if token == "today":
        return ahead == 0
    if token == "tomorrow":
        return ahead == 1
    if token == "nextweek":
        return day.isocalendar()[:2] == (today + timedelta(days=7)).isocalendar()[:2]
    if token.startswith("+"):
        return ahead == int(token[1:])
    if token.startswith("next "):
        return WEEKDAYS[day.weekday()] == token[5:] and 1 <= ahead <= 14
    if token in WEEKDAYS:
        return WEEKDAYS[day.weekday()] == token and 1 <= ahead <= 7
    month, _, dom = token.partition("-")
    return (day.month, day.day) == (int(month), int(dom)) and 0 <= ahead <= 366


def first_day(token: str, today: date, min_ahead: int = 0) -> date:
    """The first day the token names (for history set-up); a weekday at least `min_ahead`
    days from `today`, so an upcoming visit is outside the free-cancellation window."""
    for ahead in range(min_ahead if token in WEEKDAYS else 0, 400):
        day = today + timedelta(days=ahead)
        if day_matches(token, day, today) or (token in WEEKDAYS and ahead > 7 and
                                              WEEKDAYS[day.weekday()] == token):
            return day
    raise ValueError(f"no day is {token!r}")


def _tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in value) if isinstance(value, list) else (str(value),)


def _goal(raw: dict[str, Any], split: str) -> Goal:
    unknown = set(raw) - FIELDS
    if unknown:
        raise ValueError(f"goal {raw.get('id')}: unknown fields {sorted(unknown)}")
    want_raw = dict(raw["want"])
    want = Want(do=want_raw.pop("do"), service=want_raw.pop("service", None),
                staff=want_raw.pop("staff", None), days=_tuple(want_raw.pop("day", None)),
                not_days=_tuple(want_raw.pop("not_day", None)),
                time=want_raw.pop("time", None), count=int(want_raw.pop("count", 1)))
    if want_raw or want.do not in DOES:
        raise ValueError(f"goal {raw['id']}: bad want {raw['want']}")
    return Goal(
        id=raw["id"], kind=int(raw["kind"]), says=raw["says"], want=want,
        customer=raw.get("customer", "new"),
        channels=_tuple(raw.get("channels")) or ("web", "sms", "voice"),
        answers=tuple(Answer(a["ask"], a["say"]) for a in raw.get("answers", [])),
        history=tuple(Past(**p) for p in raw.get("history", [])),
        name=raw.get("name"), email=raw.get("email", "give"), closing=raw.get("closing"),
        split=split,
    )


def load(split: str = "all") -> list[Goal]:
    """The goals of `split` (dev, held_out or all); ValueError for a goal in the wrong file,
    a duplicate id or a field nobody reads."""
    goals: list[Goal] = []
    for name in SPLITS if split == "all" else (split,):
        for raw in yaml.safe_load((GOALS / f"{name}.yml").read_text()) or []:
            if split_of(raw["id"]) != name:
                raise ValueError(f"goal {raw['id']} belongs in {split_of(raw['id'])}.yml")
            goals.append(_goal(raw, name))
    ids = [g.id for g in goals]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate goal ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return goals
