"""The waiting room in front of slot selection: who is admitted next, and how long a place waits.

A room is one service on one local day. Customers who want to choose a time there take a place
(one per verified customer); while the room is quiet a place is admitted at once, so nobody
notices the room. Once the choosers at work reach the owner's threshold, or before a release
opens, places wait and are admitted in the order they entered, `admit_at_once` per round,
never more at a time than the threshold. An admitted place holds its admission for
`hold` to choose and book; after that, or when its holder stops checking in for `patience`,
the place is gone and the next one moves up.

Pure: plain values in, decisions out; the persistence adapter applies them under a lock.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling import releases
from scheduling.releases import ReleaseRule
from scheduling.releases_settings import WaitingRoomSettings


class PlaceState(StrEnum):
    WAITING = "waiting"
    ADMITTED = "admitted"
    BOOKING = "booking"
    """Admitted, with a booking under way: a second booking of the same place waits for it."""
    BOOKED = "booked"
    LEFT = "left"
    EXPIRED = "expired"


LIVE = frozenset({PlaceState.WAITING, PlaceState.ADMITTED, PlaceState.BOOKING})
"""States that hold a place in the room; with BOOKED, the ones a customer cannot take twice."""
CHOOSING = frozenset({PlaceState.ADMITTED, PlaceState.BOOKING})


@dataclass(frozen=True, slots=True)
class RoomRules:
    """What the owner sets for a room (defaults until they do)."""

    threshold: int = 20
    """Customers choosing at once before newcomers wait."""
    admit_at_once: int = 5
    hold: timedelta = timedelta(minutes=5)
    patience: timedelta = timedelta(seconds=60)
    """A waiting customer who has not checked in for this long has left."""

    def __post_init__(self) -> None:
        if self.threshold < 1 or self.admit_at_once < 1:
            raise ValueError("a room admits at least one customer at a time")
        if self.hold <= timedelta(0) or self.patience <= timedelta(0):
            raise ValueError("hold and patience must be positive")


def rules_of(settings: WaitingRoomSettings) -> RoomRules:
    """The owner's settings for a service (`scheduling.releases_settings`) as room rules."""
    return RoomRules(settings.threshold, settings.admit_at_once,
                     timedelta(minutes=settings.hold_minutes))


RELEASE_QUEUES = timedelta(hours=1)
"""How long after a release opened a room created then still waits for it: a burst arrives
in the minutes around the opening, not an hour later."""


def release_start(rules: Iterable[ReleaseRule], service_id: UUID, day: date, zone: ZoneInfo,
                  now: datetime) -> tuple[UUID, datetime] | None:
    """The release that opens `day` for this service, as (rule, instant admission starts),
    when it has not opened yet or opened within RELEASE_QUEUES: the room then admits nobody
    before it. Admission starts at the earliest opening (an audience's early one), so early
    access is queued too; the release rules still decide what each admitted customer sees."""
    found = [(rule.id, releases.release_of(rule, releases.period_start(rule, day), zone)
              .audience_opens_at) for rule in rules if rule.service_id in (None, service_id)]
    found = [(rule, at) for rule, at in found if at > now - RELEASE_QUEUES]
    return min(found, key=lambda pair: pair[1], default=None)


@dataclass(frozen=True, slots=True)
class RoomLoad:
    """What the room holds when an admission round runs."""

    choosing: int
    waiting: int
    release_at: datetime | None = None


def to_admit(rules: RoomRules, load: RoomLoad, now: datetime) -> int:
    """How many of the first waiting places this round admits: none before the release, else
    as many as the threshold has room for, at most `admit_at_once`."""
    if load.release_at is not None and now < load.release_at:
        return 0
    room = rules.threshold - load.choosing
    return max(0, min(rules.admit_at_once, room, load.waiting))


def estimated_wait(position: int, rules: RoomRules, load: RoomLoad, now: datetime,
                   choose_time: timedelta | None = None) -> timedelta:
    """The wait of the place `position` (1 = next): the time until the release, then one
    chooser's time (`choose_time` as measured, else the whole hold) for each threshold of
    places ahead of it beyond those the free seats take at once."""
    if position < 1:
        return timedelta(0)
    until_release = max(timedelta(0), load.release_at - now) if load.release_at else timedelta(0)
    ahead = position - max(0, rules.threshold - load.choosing)
    per_round = choose_time if choose_time is not None else rules.hold
    return until_release + per_round * max(0, math.ceil(ahead / rules.threshold))


def expired(state: PlaceState, last_seen: datetime, hold_until: datetime | None,
            rules: RoomRules, now: datetime) -> bool:
    """Whether a live place is over: a wait nobody checked on, or an admission not used."""
    if state is PlaceState.WAITING:
        return now - last_seen > rules.patience
    return state in CHOOSING and hold_until is not None and now >= hold_until
