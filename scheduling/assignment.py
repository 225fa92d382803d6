"""Who may do a service, and who gets a slot when the customer says "anyone".

Eligibility is a hard filter with a stated reason for every refusal; the choice among the
eligible balances load and is deterministic, so the same inputs always pick the same person
and can say why.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling.catalog import Catalog, Service, Staff
from scheduling.errors import PolicyViolation
from scheduling.occupancy import BookedInterval


class StaffReason(StrEnum):
    REQUESTED = "requested_by_customer"
    QUALIFIED = "qualified_at_location"
    SPEAKS_LANGUAGE = "speaks_language"
    PREFERRED = "customer_preference"
    FEWEST_BOOKINGS = "fewest_bookings_that_day"
    LEAST_RECENT = "least_recently_booked"
    TIE_BREAK = "tie_broken_by_name"
    ONLY_ONE = "only_one_free"


@dataclass(frozen=True, slots=True)
class StaffWish:
    """The customer's staff wishes: a hard choice, a language, soft favourites."""

    staff_id: UUID | None = None
    language: str | None = None
    favourites: frozenset[UUID] = frozenset()


@dataclass(frozen=True, slots=True)
class Assignment:
    staff_id: UUID
    reasons: tuple[StaffReason, ...]
    explanation: str


def refusal(staff: Staff, service: Service, location_id: UUID, language: str | None) -> str | None:
    """Why `staff` cannot do `service` here, or None when they can."""
    if location_id not in staff.location_ids:
        return "location"
    if not service.required_skills <= staff.skills:
        return "skills"
    if language is not None and language not in staff.languages:
        return "language"
    return None


def check_choice(
    catalog: Catalog, service: Service, staff_id: UUID, location_id: UUID, language: str | None
) -> Staff:
    """The named staff member, or `NotFound`/`PolicyViolation` saying why not."""
    staff = catalog.staff_member(staff_id)
    policy = refusal(staff, service, location_id, language)
    if policy is None:
        return staff
    missing = {
        "location": f"{staff.name} does not work at {catalog.location(location_id).name}",
        "skills": f"{staff.name} does not do {service.name}",
        "language": f"{staff.name} does not speak {language}",
    }[policy]
    raise PolicyViolation(f"staff_{policy}", missing, staff_id=staff_id, service_id=service.id)


def eligible_staff(
    catalog: Catalog, service: Service, location_id: UUID, wish: StaffWish
) -> list[Staff]:
    if wish.staff_id is not None:
        return [check_choice(catalog, service, wish.staff_id, location_id, wish.language)]
    return [s for s in catalog.staff if refusal(s, service, location_id, wish.language) is None]


class Workload:
    """Bookings per staff member and local day, and their booking times, indexed once."""

    def __init__(self, bookings: Iterable[BookedInterval], zone: ZoneInfo) -> None:
        self.zone = zone
        self._per_day: dict[tuple[UUID, date], set[datetime]] = defaultdict(set)
        starts: dict[UUID, list[datetime]] = defaultdict(list)
        for booking in bookings:
            self._per_day[booking.staff_id, booking.start.astimezone(zone).date()].add(
                booking.start
            )
            starts[booking.staff_id].append(booking.start)
        self._starts = {staff_id: sorted(times) for staff_id, times in starts.items()}

    def on_day(self, staff_id: UUID, day: date) -> int:
        """Appointments that day; a group session counts once, however many seats it has."""
        return len(self._per_day.get((staff_id, day), ()))

    def days_at(self, staff_id: UUID, limit: int) -> list[date]:
        days = self._per_day.items()
        return [day for (sid, day), starts in days if sid == staff_id and len(starts) >= limit]

    def last_before(self, staff_id: UUID, moment: datetime) -> datetime | None:
        starts = self._starts.get(staff_id, [])
        i = bisect_left(starts, moment)
        return starts[i - 1] if i else None


def assign(
    candidates: Sequence[Staff], start: datetime, workload: Workload, wish: StaffWish
) -> Assignment:
    """Pick one of `candidates` (all free at `start`): favourite, then least loaded that day,
    then least recently booked, then by name."""
    day = start.astimezone(workload.zone).date()

    def key(staff: Staff) -> tuple[bool, int, float, str, str]:
        last = workload.last_before(staff.id, start)
        return (
            staff.id not in wish.favourites,
            workload.on_day(staff.id, day),
            last.timestamp() if last else float("-inf"),
            staff.name,
            str(staff.id),
        )

    ranked = sorted(candidates, key=key)
    chosen, keys = ranked[0], [key(s) for s in ranked]
    reasons = [StaffReason.REQUESTED if wish.staff_id else StaffReason.QUALIFIED]
    if wish.language:
        reasons.append(StaffReason.SPEAKS_LANGUAGE)
    if not wish.staff_id:
        reasons.append(_decider(keys))
    return Assignment(chosen.id, tuple(reasons), _explain(chosen, reasons[-1], keys[0][1]))


def _decider(keys: list[tuple[bool, int, float, str, str]]) -> StaffReason:
    """The first sort criterion that separated the winner from the runner-up."""
    if len(keys) < 2:
        return StaffReason.ONLY_ONE
    first, second = keys[0], keys[1]
    for index, reason in enumerate(
        (StaffReason.PREFERRED, StaffReason.FEWEST_BOOKINGS, StaffReason.LEAST_RECENT)
    ):
        if first[index] != second[index]:
            return reason
    return StaffReason.TIE_BREAK


def _explain(staff: Staff, reason: StaffReason, day_count: int) -> str:
    return {
        StaffReason.PREFERRED: f"{staff.name}, whom you prefer",
        StaffReason.FEWEST_BOOKINGS: f"{staff.name}, who has the lightest day ({day_count} booked)",
        StaffReason.LEAST_RECENT: f"{staff.name}, who has waited longest for a booking",
        StaffReason.TIE_BREAK: f"{staff.name}, first of equally free staff",
        StaffReason.REQUESTED: f"{staff.name}, as you asked",
    }.get(reason, f"{staff.name}, the only one free then")
