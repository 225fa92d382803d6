"""Which of a business's locations a service can be had at, and a location named in words.

Chat, the booking page and the API ask "which location?" only when the answer matters: the
service is offered at more than one place and someone there can do it. A service listed at a
branch with nobody there to do it is not a choice worth offering.
"""

from __future__ import annotations

import re

from scheduling.assignment import refusal
from scheduling.catalog import Catalog, Location, Service, normalise


def serving(catalog: Catalog, service: Service) -> tuple[Location, ...]:
    """The locations where `service` is offered and at least one staff member does it."""
    return tuple(
        loc for loc in catalog.business.locations
        if service.offered_at(loc.id)
        and any(refusal(s, service, loc.id, None) is None for s in catalog.staff)
    )


def named_in(catalog: Catalog, text: str) -> Location | None:
    """The location `text` names ("the Harbour one"), ignoring case and accents; longest
    names first, so "Main Street" wins over a branch called "Main"."""
    said = normalise(text)
    ordered = sorted(catalog.business.locations, key=lambda loc: -len(loc.name))
    for location in ordered:
        if re.search(rf"\b{re.escape(normalise(location.name))}\b", said):
            return location
    return None


def names(locations: tuple[Location, ...] | list[Location]) -> str:
    """"Main Street or Harbour", "A, B or C": the choice as a question puts it."""
    listed = [loc.name for loc in locations]
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} or {listed[-1]}"
