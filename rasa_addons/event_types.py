"""Find an event's class by its type name through a table, not a walk of the class tree.

Rasa 3.6 turns every stored event back into an object through `Event.resolve_by_type`, which
lists all subclasses of `Event` (recursively, checking each for abstractness) and scans them
for the name. It does that for each event of the conversation each time the tracker is loaded,
so the cost grows with the conversation: in a profile of 20 customers booking it was 12% of the
Rasa process's CPU time. Event classes do not change while the server runs, so a name found once
is remembered; names Rasa does not know still get Rasa's own answer (its default or its error).
"""

from __future__ import annotations

from rasa.shared.core.events import Event

_rasa_resolve = Event.resolve_by_type
_found: dict[str, type[Event]] = {}


def _resolve_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    if type_name in _found:
        return _found[type_name]
    try:
        found = _rasa_resolve(type_name)
    except ValueError:
        found = None
    if found is None:  # an unknown name (or the legacy "topic"): Rasa decides
        return _rasa_resolve(type_name, default)
    _found[type_name] = found
    return found


def install() -> None:
    """Route `Event.resolve_by_type` through the table (idempotent)."""
    Event.resolve_by_type = staticmethod(_resolve_by_type)  # type: ignore[method-assign]
