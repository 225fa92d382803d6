"""A caller's name comes through speech recognition with what they said around it ("so um alex
fox"); the fillers are not part of the name the booking is made under (issue 18: the bench's
voice customers were booked as "So Um Alex Fox")."""

from __future__ import annotations

import pytest

from actions import parsing


@pytest.mark.parametrize(("said", "name"), [
    ("so um alex fox", "Alex Fox"), ("uh yeah maria novak", "Maria Novak"),
    ("um it's uh sam patel", "Sam Patel"), ("erm, Jo Quick", "Jo Quick"),
    ("Umar Shah", "Umar Shah"), ("Sol Okafor", "Sol Okafor"),
])
def test_fillers_are_not_part_of_a_name(said: str, name: str) -> None:
    assert parsing.name_in(said) == name


def test_fillers_alone_are_no_name() -> None:
    assert parsing.name_in("um uh") is None
