"""Booking rules and reminder lead times in the catalog file, read and written.

They live beside the catalog, not in it (`scheduling.booking.policies.BookingRules`, the
`reminder_offsets` table), so a file that leaves them out leaves them as they are.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import timedelta
from typing import Any

from scheduling.booking.policies import BookingRules
from scheduling.catalog_yaml import keys
from scheduling.catalog_yaml.nodes import Field
from scheduling.catalog_yaml.values import format_duration, parse_count, parse_duration

YES = ("yes", "true", "on")
NO = ("no", "false", "off")


def parse_yes_no(text: str) -> bool:
    plain = text.strip().lower()
    if plain not in YES + NO:
        raise ValueError(f'"{text}" is not yes or no')
    return plain in YES


def _parser(default: object) -> Any:
    """How a rule is read, by the type of its default."""
    if isinstance(default, bool):
        return parse_yes_no
    return parse_duration if isinstance(default, timedelta) else parse_count


def read_rules(place: Field) -> BookingRules | None:
    """The rules the file sets, the others at their defaults; None when one is refused."""
    before = len(place.problems)
    found = place.mapping(keys.RULES)
    bare = BookingRules()
    values = {key: found.parse(key, _parser(getattr(bare, key)), getattr(bare, key))
              for key in keys.RULES}
    return place.built(before, BookingRules, values)


def write_rules(rules: BookingRules) -> dict[str, Any]:
    """The rules that differ from the defaults (`{}` when none does: still written, so an
    import puts them back to the defaults)."""
    bare = BookingRules()
    changed = [f.name for f in fields(rules) if getattr(rules, f.name) != getattr(bare, f.name)]
    return {key: _written(getattr(rules, key)) for key in keys.RULES if key in changed}


def _written(value: object) -> object:
    if isinstance(value, bool):
        return YES[0] if value else NO[0]
    return format_duration(value) if isinstance(value, timedelta) else value


def read_offsets(place: Field) -> tuple[timedelta, ...]:
    """Reminder lead times ("24h", "1h"), each more than zero."""
    offsets = []
    for item in place.items():
        offset = item.parse(parse_duration)
        if offset is not None and offset <= timedelta(0):
            item.fail("a reminder must come some time before the appointment")
        elif offset is not None:
            offsets.append(offset)
    return tuple(sorted(set(offsets), reverse=True))


def write_offsets(offsets: tuple[timedelta, ...]) -> list[str]:
    return [format_duration(offset) for offset in sorted(offsets, reverse=True)]
