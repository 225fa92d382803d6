"""The release screen's forms read into commands: a rule (what, when, to whom first) and a
service's waiting-room settings. Every wrong field gets its own message (`Reader`)."""

from __future__ import annotations

import re
from datetime import time, timedelta
from uuid import UUID, uuid4

from assistant.gateway.admin.catalog_forms import Reader
from scheduling.errors import InvalidRequest
from scheduling.releases import Period, ReleaseRule
from scheduling.releases_settings import LIMITS, WaitingRoomSettings

CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")
MAX_EARLY_HOURS = 14 * 24


FIELD_OF = {"audience_id": "audience", "early": "early_hours"}
"""The form's name for a field a rule refuses."""


def rule_of(read: Reader, business_id: UUID) -> ReleaseRule | None:
    """The rule typed, or None with the problems in `read`."""
    service, staff = _choice(read, "service"), _choice(read, "staff")
    audience = _choice(read, "audience")
    period = str(read.form.get("period", ""))
    if period not in {p.value for p in Period}:
        read.problems["period"] = "Choose whether a week or a day is released at a time."
    weekday = read.whole("weekday", "weekday", 0, 6)
    typed = str(read.form.get("at", "")).strip()
    clock = CLOCK.fullmatch(typed)
    if clock is None:
        read.problems["at"] = "Write the time it opens as HH:MM, like 18:00."
    lead = read.whole("lead", "number of periods ahead", 0, 52)
    early = read.whole("early_hours", "early access in hours", 0, MAX_EARLY_HOURS)
    if read.problems or clock is None:
        return None
    try:
        return ReleaseRule(uuid4(), business_id, Period(period),
                           time(int(clock[1]), int(clock[2])), weekday, lead, service, staff,
                           audience, timedelta(hours=early))
    except InvalidRequest as error:
        read.problems[FIELD_OF.get(error.field or "", error.field or "at")] = str(error)
        return None


def settings_of(read: Reader, service_id: UUID) -> WaitingRoomSettings | None:
    """Fields are named `{setting}-{service id}`: one form a service on the page."""
    values = {name: read.whole(f"{name}-{service_id}", name.replace("_", " "), low, high)
              for name, (low, high) in LIMITS.items()}
    return None if read.problems else WaitingRoomSettings(**values)


def _choice(read: Reader, name: str) -> UUID | None:
    """A select's id, None for "any"/"none"; a value not from the list is a problem."""
    typed = str(read.form.get(name, "")).strip()
    if not typed:
        return None
    try:
        return UUID(typed)
    except ValueError:
        read.problems[name] = f"Choose the {name} from the list."
        return None
