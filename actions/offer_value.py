"""An offered time as one typed value, and its one slot format.

Offers travel between turns in the tracker (`suggestions`: the list on the table, `slot_choice`:
the one picked), which holds only JSON. Every action reads and writes them through `Offer`, so
the format ({"start": ISO 8601, "staff_id": UUID, "reason": text, "location_id": UUID}) is
written in one place and a malformed value is caught where it is read instead of deep inside a
booking. An offer saved before offers named their location reads with none (the booking then
places it where the staff member works).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from scheduling.suggestions import ReasonCode, Suggestion

CLOSENESS = frozenset({ReasonCode.AT_REQUESTED_TIME, ReasonCode.CLOSE_TO_REQUEST,
                       ReasonCode.IN_REQUESTED_WINDOW, ReasonCode.EARLIEST})
"""Reasons that say how an offer meets the request: untrue after "something later", whose
bound (a minute past the last offer) the customer never asked for."""
SAID = CLOSENESS | {ReasonCode.PREFERRED_DAY, ReasonCode.PREFERRED_TIME_OF_DAY,
                    ReasonCode.PREFERRED_STAFF, ReasonCode.USUAL_TIME, ReasonCode.USUAL_STAFF,
                    ReasonCode.POPULAR_TIME}
"""Reasons a customer is told; the staff's comfort ("no rush either side", "back to back for
the stylist") ranks offers but is the salon's business, not words for a button."""


@dataclass(frozen=True, slots=True)
class Offer:
    """A start time with the person who would serve it, where, and why the engine proposed it."""

    start: datetime
    staff_id: UUID
    reason: str = ""
    location_id: UUID | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise ValueError("an offer's start must carry its time zone")

    @classmethod
    def from_suggestion(cls, suggestion: Suggestion, shifted: bool = False) -> Offer:
        """The engine's ranked suggestion, with the first reason for the customer it gave in
        words; `shifted`: the time searched is not the customer's own (moved past earlier
        offers, or read with an am/pm or a day the bot chose), so no closeness reason."""
        said = SAID - CLOSENESS if shifted else SAID
        reason = next((r.text for r in suggestion.reasons if r.text and r.code in said), "")
        return cls(suggestion.slot.start, suggestion.staff_id, reason,
                   suggestion.slot.location_id)

    def to_slot(self) -> dict[str, str]:
        value = {"start": self.start.isoformat(), "staff_id": str(self.staff_id),
                 "reason": self.reason}
        return value | ({"location_id": str(self.location_id)} if self.location_id else {})

    @classmethod
    def from_slot(cls, value: Any) -> Offer:
        """The offer a slot holds; `ValueError` when it holds anything else (a marker such as
        "waitlist", or a value from an older or foreign format)."""
        if not isinstance(value, dict):
            raise ValueError(f"not an offer: {type(value).__name__}")
        try:
            start = datetime.fromisoformat(value["start"])
            staff_id = UUID(value["staff_id"])
            where = value.get("location_id")
            location_id = UUID(where) if where else None
        except (KeyError, TypeError, AttributeError) as missing:
            raise ValueError(f"not an offer: {missing!r}") from missing
        return cls(start, staff_id, str(value.get("reason") or ""), location_id)

    @classmethod
    def parse(cls, value: Any) -> Offer | None:
        """The offer a slot holds, or None when it holds no offer."""
        try:
            return cls.from_slot(value)
        except ValueError:
            return None


def offers_from_slot(value: Any) -> list[Offer]:
    """The offers on the table (`suggestions`); entries that are not offers are dropped."""
    if not isinstance(value, list):
        return []
    return [offer for offer in map(Offer.parse, value) if offer is not None]


def offers_to_slot(offers: Iterable[Offer]) -> list[dict[str, str]]:
    return [offer.to_slot() for offer in offers]
