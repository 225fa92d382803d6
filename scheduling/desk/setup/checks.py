"""Checks the catalog's own constructors leave to the setup: they name the field at fault."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar
from uuid import UUID

from scheduling.errors import InvalidRequest
from scheduling.hours import WEEKDAYS, WeeklyHours

T = TypeVar("T")


def no_overlaps(hours: WeeklyHours, field: str) -> None:
    """Two spans of one day that overlap ("09:00-13:00" and "12:00-14:00") are a typo."""
    for day, spans in zip(WEEKDAYS, hours.days, strict=True):
        ordered = sorted(spans, key=lambda span: span.seconds_of_day)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if after.seconds_of_day[0] < before.seconds_of_day[1]:
                raise InvalidRequest(f"{field}: {day} {before} overlaps {after}", field=field)


def known(ids: Iterable[UUID], offered: Iterable[UUID], field: str) -> None:
    unknown = sorted(str(i) for i in set(ids) - set(offered))
    if unknown:
        raise InvalidRequest(f"{field}: no such location {', '.join(unknown)}", field=field)


def built(field: str, build: Callable[[], T]) -> T:
    """A value from its constructor, its refusal naming `field` when it named none."""
    try:
        return build()
    except InvalidRequest as error:
        if error.field is not None:
            raise
        raise InvalidRequest(f"{field}: {error}", field=field) from error
