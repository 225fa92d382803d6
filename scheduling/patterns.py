"""Learned booking patterns: when (weekday × local hour) and with whom people book.

A pure, immutable model: `learn` returns a new model, so the same history always yields the
same suggestions and the model can be stored as `as_dict()` and rebuilt with `from_dict()`.
Completed appointments count fully, booked ones half (they may still be cancelled);
cancellations and no-shows say nothing about when someone likes to come.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling.hours import require_aware

HOURS = 7 * 24
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


WEIGHTS = {AppointmentStatus.COMPLETED: 1.0, AppointmentStatus.BOOKED: 0.5}


@dataclass(frozen=True, slots=True)
class AppointmentRecord:
    """One past or upcoming appointment, as the booking lifecycle will report it."""

    start: datetime
    time_zone: str
    status: AppointmentStatus
    staff_id: UUID | None = None
    service_id: UUID | None = None

    def __post_init__(self) -> None:
        require_aware(self.start, "start")

    @property
    def cell(self) -> int:
        local = self.start.astimezone(ZoneInfo(self.time_zone))
        return local.weekday() * 24 + local.hour


@dataclass(frozen=True, slots=True)
class HourCount:
    weekday: int
    hour: int
    weight: float

    def __str__(self) -> str:
        return f"{WEEKDAY_NAMES[self.weekday]}s at {self.hour:02d}:00"


@dataclass(frozen=True, slots=True)
class PatternModel:
    """Weighted counts per weekday×hour cell (Monday 00:00 is cell 0) and per staff member."""

    cells: tuple[float, ...] = (0.0,) * HOURS
    staff: tuple[tuple[UUID, float], ...] = ()

    def learn(self, records: Iterable[AppointmentRecord]) -> PatternModel:
        cells = list(self.cells)
        staff = dict(self.staff)
        for record in records:
            weight = WEIGHTS.get(record.status, 0.0)
            if not weight:
                continue
            cells[record.cell] += weight
            if record.staff_id is not None:
                staff[record.staff_id] = staff.get(record.staff_id, 0.0) + weight
        ranked = tuple(sorted(staff.items(), key=lambda item: (-item[1], str(item[0]))))
        return PatternModel(tuple(cells), ranked)

    @property
    def total(self) -> float:
        return sum(self.cells)

    def affinity(self, moment: datetime, zone: ZoneInfo) -> float:
        """0 to 1: how typical this weekday and hour is, relative to the most typical one.

        The neighbouring hours count half, so a regular at 10:00 also leans towards 09:30.
        """
        peak = max(self.cells)
        if not peak:
            return 0.0
        local = moment.astimezone(zone)
        cell = local.weekday() * 24 + local.hour
        near = self.cells[cell - 1] + self.cells[(cell + 1) % HOURS]
        return min(1.0, (self.cells[cell] + near / 2) / peak)

    def top_hours(self, n: int = 3) -> list[HourCount]:
        ranked = sorted((c for c in range(HOURS) if self.cells[c]), key=lambda c: -self.cells[c])
        return [HourCount(c // 24, c % 24, self.cells[c]) for c in ranked[:n]]

    def favourite_staff(self) -> UUID | None:
        """The staff member most often seen, when they account for at least half the visits."""
        if not self.staff:
            return None
        staff_id, weight = self.staff[0]
        return staff_id if weight * 2 >= sum(w for _, w in self.staff) else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "cells": {str(c): w for c, w in enumerate(self.cells) if w},
            "staff": {str(staff_id): weight for staff_id, weight in self.staff},
            "top_hours": [str(h) for h in self.top_hours()],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PatternModel:
        cells = [0.0] * HOURS
        for cell, weight in data["cells"].items():
            cells[int(cell)] = float(weight)
        staff = tuple((UUID(key), float(value)) for key, value in data["staff"].items())
        return cls(tuple(cells), staff)
