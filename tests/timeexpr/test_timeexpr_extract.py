"""Finding time expressions in sentences: spans, several mentions, the main one."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from scheduling.timeexpr import extract, resolve

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 21, 10, 0, tzinfo=NY)


def spans(text: str) -> list[tuple[int, int, str, str]]:
    return [(m.start, m.end, m.text, m.resolution.start.isoformat())
            for m in extract(text, NOW, NY)]


def test_each_mention_has_its_span_and_resolution() -> None:
    text = "Can we do Friday at 3, or Saturday between 10 and noon?"
    found = extract(text, NOW, NY)
    assert [(m.start, m.end, m.text) for m in found] == [
        (10, 21, "Friday at 3"), (26, 54, "Saturday between 10 and noon")]
    assert all(text[m.start:m.end] == m.text for m in found)
    second = found[1].resolution
    assert second.start.isoformat() == "2026-11-28T10:00:00-05:00"
    assert second.end is not None and second.end.isoformat() == "2026-11-28T12:00:00-05:00"


def test_a_booking_request() -> None:
    assert spans("Can I get a haircut with Ana next Tuesday afternoon?") == [
        (29, 51, "next Tuesday afternoon", "2026-11-24T12:00:00-05:00")]


def test_pronoun_one_and_counts_are_not_times() -> None:
    assert spans("book one for the morning 10:45 for 2 people") == [
        (13, 30, "the morning 10:45", "2026-11-21T10:45:00-05:00")]


def test_trailing_full_stop_is_not_part_of_the_time() -> None:
    assert spans("Yes, at 5:30 pm.") == [(8, 15, "5:30 pm", "2026-11-21T17:30:00-05:00")]


def test_no_mentions_in_plain_sentences() -> None:
    assert extract("I would like a beard trim with Sam, please.", NOW, NY) == []


def test_resolve_joins_a_day_and_a_time_said_apart() -> None:
    found = resolve("Friday works, ideally around 3", NOW, NY)
    assert found is not None and found.start.isoformat() == "2026-11-27T15:00:00-05:00"
    assert found.date_explicit and found.time_explicit


def test_resolve_prefers_the_most_complete_mention() -> None:
    found = resolve("Not today. Tomorrow at 4:15 pm works.", NOW, NY)
    assert found is not None and found.start.isoformat() == "2026-11-22T16:15:00-05:00"


def test_greetings_are_not_parts_of_the_day() -> None:
    assert extract("Good morning, I would like a haircut", NOW, NY) == []
    assert spans("good evening! tomorrow evening works") == [
        (14, 30, "tomorrow evening", "2026-11-22T17:00:00-05:00")]
