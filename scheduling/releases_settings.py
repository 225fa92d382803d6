"""The owner's waiting-room settings for a service (issue 20): when the queue starts, how
many are admitted at a time and how long each admitted customer holds a slot to choose.

The owner sets them on the dashboard (`assistant/gateway/admin/release_*`); the waiting room
reads them (`ReleaseStore.waiting_room`). A service without its own row has `DEFAULT`.
"""

from __future__ import annotations

from dataclasses import dataclass

from scheduling.errors import InvalidRequest

LIMITS = {"threshold": (1, 10_000), "admit_at_once": (1, 100), "hold_minutes": (1, 60)}


@dataclass(frozen=True, slots=True)
class WaitingRoomSettings:
    """`threshold`: active choosers of one service and day that start the queue."""

    threshold: int = 20
    admit_at_once: int = 5
    hold_minutes: int = 5

    def __post_init__(self) -> None:
        for name, (low, high) in LIMITS.items():
            if not low <= getattr(self, name) <= high:
                raise InvalidRequest(f"{name.replace('_', ' ')} is {low} to {high}", field=name)


DEFAULT = WaitingRoomSettings()
