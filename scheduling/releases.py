"""Timed releases (issue 20): when the slots of a period open, to an audience first.

A rule says "next week's slots open every Sunday at 18:00" (period week, lead 1, Sunday,
18:00) or "tomorrow's slots open at 09:00" (period day, lead 1), for a service, a staff member
or both, optionally to an audience (a VIP list, members, holders of a code) `early` before
everyone else. The times are wall-clock times in the business's zone, so a release keeps its
local hour across a DST change; a local time a spring-forward gap skips is the instant just
after the gap, one a fall-back repeats is its first occurrence (zoneinfo's fold 0).

Releases only ever open later periods later, so what a rule keeps closed at `now` is one
half-open range from the start of the first period not yet open (`closed_from`): the
availability path blocks it, placement refuses it with the instant it opens (`opening_for`).
Pure: rules, zone, audience membership and `now` in; no clock, no database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling.errors import InvalidRequest

MAX_LEAD = 52
"""Periods ahead a rule may release (a year of weeks)."""
MAX_EARLY = timedelta(days=14)


class Period(StrEnum):
    DAY = "day"
    WEEK = "week"


STEP = {Period.DAY: 1, Period.WEEK: 7}


@dataclass(frozen=True, slots=True)
class ReleaseRule:
    """`weekday` (0 Monday .. 6 Sunday) is the day of the period `lead` periods before the
    released one on which it opens (a weekly rule's; a daily rule opens `lead` days before);
    `service_id`/`staff_id` None match any; `audience_id` with `early` opens to that
    audience `early` before everyone."""

    id: UUID
    business_id: UUID
    period: Period
    at: time
    weekday: int = 0
    lead: int = 1
    service_id: UUID | None = None
    staff_id: UUID | None = None
    audience_id: UUID | None = None
    early: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidRequest("the weekday is 0 (Monday) to 6 (Sunday)", field="weekday")
        if not 0 <= self.lead <= MAX_LEAD:
            raise InvalidRequest(f"a release is 0 to {MAX_LEAD} periods ahead", field="lead")
        if not timedelta(0) <= self.early <= MAX_EARLY:
            raise InvalidRequest("early access lasts 0 to 14 days", field="early")
        if self.early and self.audience_id is None:
            raise InvalidRequest("early access needs an audience", field="audience_id")

    def applies_to(self, service_id: UUID, staff_id: UUID | None) -> bool:
        return (self.service_id in (None, service_id)
                and (self.staff_id is None or self.staff_id == staff_id))


@dataclass(frozen=True, slots=True)
class Release:
    """One opening of one rule: the local days it releases and when (UTC), for the rule's
    audience and for everyone (the same instant without an audience)."""

    rule_id: UUID
    first_day: date
    last_day: date
    audience_opens_at: datetime
    opens_at: datetime


@dataclass(frozen=True, slots=True)
class Audience:
    """An early-access audience as the owner sees it: how many customers and codes."""

    id: UUID
    name: str
    members: int
    codes: int


@dataclass(frozen=True, slots=True)
class Access:
    """The rules that bind one asker and the audiences they are proved to belong to (a
    verified customer on a list, or a code they entered; never a claim)."""

    rules: tuple[ReleaseRule, ...] = ()
    audiences: frozenset[UUID] = frozenset()

    def opening_for(self, rule: ReleaseRule, release: Release) -> datetime:
        return (release.audience_opens_at if rule.audience_id in self.audiences
                else release.opens_at)


def period_start(rule: ReleaseRule, day: date) -> date:
    """The first day of the period holding `day` (a week starts on Monday)."""
    return day - timedelta(days=day.weekday()) if rule.period is Period.WEEK else day


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`day` at `at` on the wall clock of `zone`, in UTC (gap: just after it; repeat: first)."""
    return datetime.combine(day, at, zone).astimezone(UTC)


def release_of(rule: ReleaseRule, first_day: date, zone: ZoneInfo) -> Release:
    """The release of the period starting on `first_day`."""
    step = STEP[rule.period]
    day = first_day - timedelta(days=step * rule.lead)
    if rule.period is Period.WEEK:
        day += timedelta(days=rule.weekday)
    opens = local_instant(day, rule.at, zone)
    return Release(rule.id, first_day, first_day + timedelta(days=step - 1),
                   opens - rule.early, opens)


def release_for_slot(rule: ReleaseRule, slot_start: datetime, zone: ZoneInfo) -> Release:
    return release_of(rule, period_start(rule, slot_start.astimezone(zone).date()), zone)


def closed_from(rule: ReleaseRule, access: Access, zone: ZoneInfo, now: datetime) -> datetime:
    """The first instant (UTC) whose slots `rule` keeps closed to `access` at `now`: the
    start of the first period (from the one holding `now`) whose release is still ahead."""
    first = period_start(rule, now.astimezone(zone).date())
    step = timedelta(days=STEP[rule.period])
    while access.opening_for(rule, release_of(rule, first, zone)) <= now:
        first += step
    return local_instant(first, time(0), zone)


def cutoffs(
    access: Access, service_id: UUID, staff_ids: Iterable[UUID], zone: ZoneInfo,
    now: datetime,
) -> dict[UUID, datetime]:
    """For each of `staff_ids` that a rule binds, the instant from which their slots of
    `service_id` are not yet released to `access`."""
    out: dict[UUID, datetime] = {}
    for staff_id in staff_ids:
        bound = [closed_from(r, access, zone, now) for r in access.rules
                 if r.applies_to(service_id, staff_id)]
        if bound:
            out[staff_id] = min(bound)
    return out


def opening(
    access: Access, service_id: UUID, staff_id: UUID | None, slot_start: datetime,
    zone: ZoneInfo, now: datetime,
) -> datetime | None:
    """When the slot at `slot_start` opens to `access`, if that is after `now` (the latest
    of the binding rules' openings); None when it is open."""
    waits = [access.opening_for(r, release_for_slot(r, slot_start, zone)) for r in access.rules
             if r.applies_to(service_id, staff_id)]
    latest = max(waits, default=None)
    return latest if latest is not None and latest > now else None


def pending(
    access: Access, service_id: UUID, staff_id: UUID | None, zone: ZoneInfo, start: datetime,
    end: datetime, now: datetime,
) -> list[tuple[ReleaseRule, Release, datetime]]:
    """The releases of the periods meeting `[start, end)` that have not opened to `access` by
    `now`, with the instant each opens to it, soonest first: what a search of that range is
    told ("next week's slots open Sunday at 6 PM")."""
    found = []
    for rule in (r for r in access.rules if r.applies_to(service_id, staff_id)):
        step = timedelta(days=STEP[rule.period])
        first, last = (period_start(rule, at.astimezone(zone).date())
                       for at in (start, end - timedelta(microseconds=1)))
        while first <= last:
            release = release_of(rule, first, zone)
            opens = access.opening_for(rule, release)
            if opens > now:
                found.append((rule, release, opens))
            first += step
    return sorted(found, key=lambda item: (item[2], item[1].first_day))


def current_release(
    rules: Iterable[ReleaseRule], service_id: UUID, zone: ZoneInfo, now: datetime,
    within: timedelta,
) -> Release | None:
    """A release of a rule for `service_id` (any staff) whose opening, for its audience or
    for everyone, is in `(now - within, now]`: "a release is starting now" (the waiting
    room's trigger). The latest such opening when several are."""
    found = [r for rule in rules if rule.service_id in (None, service_id)
             for r in _around(rule, zone, now)
             if now - within < r.audience_opens_at <= now or now - within < r.opens_at <= now]
    return max(found, key=lambda r: (r.opens_at, r.rule_id.int), default=None)


def next_release(
    rules: Iterable[ReleaseRule], service_id: UUID, zone: ZoneInfo, now: datetime,
) -> Release | None:
    """The next release (for everyone) of a rule for `service_id` after `now`."""
    found = [r for rule in rules if rule.service_id in (None, service_id)
             for r in _around(rule, zone, now) if r.opens_at > now]
    return min(found, key=lambda r: (r.opens_at, r.rule_id.int), default=None)


def past_releases(rule: ReleaseRule, zone: ZoneInfo, now: datetime, count: int) -> list[Release]:
    """The last `count` releases of `rule` that had begun (for its audience) by `now`, the
    latest first."""
    step = timedelta(days=STEP[rule.period])
    first = max((r for r in _around(rule, zone, now) if r.audience_opens_at <= now),
                key=lambda r: r.first_day).first_day
    return [release_of(rule, first - step * k, zone) for k in range(count)]


def _around(rule: ReleaseRule, zone: ZoneInfo, now: datetime) -> list[Release]:
    """The releases whose openings can be near `now`: the periods `lead` periods on, give
    or take one, from the one holding `now`."""
    step = timedelta(days=STEP[rule.period])
    here = period_start(rule, now.astimezone(zone).date()) + step * rule.lead
    return [release_of(rule, here + step * k, zone) for k in (-1, 0, 1, 2)]
