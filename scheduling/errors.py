"""Domain errors. The gateway maps them to HTTP statuses, the actions to words.

Each error builds its own message, so every caller reports the same sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo


class DomainError(Exception):
    """Base of every error the scheduling domain raises on purpose."""

    code = "domain_error"


class NotFound(DomainError):
    """A referenced entity (service, staff, appointment...) does not exist."""

    code = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class InvalidRequest(DomainError):
    """The request is malformed or contradicts itself (bad dates, negative durations...)."""

    code = "invalid_request"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.field = field
        super().__init__(message)


class PolicyViolation(DomainError):
    """A business policy forbids the operation; `policy` names it, `details` say by how much."""

    code = "policy_violation"

    def __init__(self, policy: str, message: str, **details: Any) -> None:
        self.policy = policy
        self.details = details
        super().__init__(message)


class SlotUnavailable(DomainError):
    """The requested slot is taken or not bookable; carries the nearest alternatives."""

    code = "slot_unavailable"

    def __init__(self, message: str, alternatives: Sequence[Any] = ()) -> None:
        self.alternatives = list(alternatives)
        super().__init__(message)


class NotYetReleased(SlotUnavailable):
    """The slot's period is not released yet to this customer (a timed release, issue 20);
    `opens_at` (UTC) is when it opens to them. A kind of unavailable slot, so every caller
    that offers alternatives for a taken time does so here too."""

    code = "not_yet_released"

    def __init__(self, opens_at: datetime, alternatives: Sequence[Any] = (),
                 zone: ZoneInfo | None = None) -> None:
        self.opens_at = opens_at
        self.zone = zone
        """The business's, to say `opens_at` as its wall clock reads it."""
        super().__init__("that time is not open for booking yet; it opens at "
                         f"{opens_at.isoformat()}", alternatives)
