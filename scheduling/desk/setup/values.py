"""The values the setup use cases read and return besides the catalog itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from scheduling.booking.model import Appointment
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest

PART_LIMIT = 1000


class Kind(StrEnum):
    """What can be archived: the things appointments refer to."""

    LOCATION = "location"
    STAFF = "staff"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class MessageParts:
    """The business's own words inside messages: the bot answers "where do I park?" with
    `parking_notes`, confirmations end with `signature`."""

    signature: str = ""
    what_to_bring: str = ""
    address_notes: str = ""
    parking_notes: str = ""

    def __post_init__(self) -> None:
        for name in ("signature", "what_to_bring", "address_notes", "parking_notes"):
            if len(getattr(self, name)) > PART_LIMIT:
                raise InvalidRequest(f"{name}: at most {PART_LIMIT} characters", field=name)


@dataclass(frozen=True, slots=True)
class Block:
    """A customer the business no longer takes bookings from; `name` is theirs, as read."""

    customer_id: UUID
    reason: str = ""
    created_at: datetime | None = None
    name: str = ""


@dataclass(frozen=True, slots=True)
class Changed:
    """A saved catalog change and the upcoming appointments it left outside working time
    (soonest first): the owner decides whether to notify and rebook them."""

    catalog: Catalog
    stranded: tuple[Appointment, ...] = ()
