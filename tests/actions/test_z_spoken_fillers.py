"""A caller's fillers inside a service's name ("a beard uh trim") are not words of the request
(issue 18, voice): the beard trim is read alone, not a cut to ask about plus a beard trim; a
plural ("blow dries") names its service too."""

from __future__ import annotations

import pytest

from actions import service_words
from scheduling.demo import demo_catalog

CATALOG = demo_catalog()


@pytest.mark.parametrize(("text", "service"), [
    ("beard uh trim sometime friday but i can't do twelve to two", "Beard trim"),
    ("a men's um cut on monday", "Men's cut"),
    ("so um a blow uh dry please", "Blow-dry"),
    ("blow dries for me and my sister on friday", "Blow-dry"),
])
def test_a_filler_inside_the_name_is_not_read(text: str, service: str) -> None:
    reading = service_words.read(CATALOG, text)
    assert [s.name for s in reading.services] == [service] and not reading.ambiguous
