"""Interval arithmetic on sorted lists of integer UTC seconds, and a zone's wall clock.

The engine works in whole seconds since the epoch: integer comparisons and one merge sweep per
operation are what keep a 60-day query in single-digit milliseconds. Every list here is sorted
and half-open (`[start, end)`); `merge` is the one function that accepts unsorted input.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Span = tuple[int, int]
DAY = 86_400


def seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def instant(value: int) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same seconds; empty spans vanish."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def intersect(left: list[Span], right: list[Span]) -> list[Span]:
    out: list[Span] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            out.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def subtract(base: list[Span], cuts: list[Span]) -> list[Span]:
    """`base` minus `cuts`, both merged; one sweep, so O(len(base) + len(cuts))."""
    out: list[Span] = []
    j = 0
    for start, end in base:
        while j < len(cuts) and cuts[j][1] <= start:
            j += 1
        k = j
        while k < len(cuts) and cuts[k][0] < end:
            if cuts[k][0] > start:
                out.append((start, cuts[k][0]))
            start = max(start, cuts[k][1])
            k += 1
        if start < end:
            out.append((start, end))
    return out


def clip(spans: list[Span], low: int, high: int) -> list[Span]:
    return intersect(spans, [(low, high)]) if low < high else []


def overlaps(spans: list[Span], start: int, end: int) -> bool:
    """Whether `[start, end)` meets any of the merged `spans` (a bisect, not a scan)."""
    i = bisect_right(spans, (start, 2**62))
    if i and spans[i - 1][1] > start:
        return True
    return i < len(spans) and spans[i][0] < end


def offset_at(zone: ZoneInfo, moment: int) -> int:
    delta = datetime.fromtimestamp(moment, zone).utcoffset()
    return int(delta.total_seconds()) if delta else 0


class WallClock:
    """A zone's UTC offsets over a range, found once, so alignment needs no per-slot tz calls.

    Offsets are sampled a day apart and each change is bisected to the second; zones do not
    change offset twice within a day, so no transition is missed.
    """

    def __init__(self, zone: ZoneInfo, low: int, high: int) -> None:
        self.zone = zone
        self._starts = [low - DAY]
        self._offsets = [offset_at(zone, low - DAY)]
        moment = low - DAY
        while moment < high + DAY:
            nxt = moment + DAY
            if offset_at(zone, nxt) != self._offsets[-1]:
                self._add_transition(moment, nxt)
            moment = nxt

    def _add_transition(self, before: int, after: int) -> None:
        while after - before > 1:
            middle = (before + after) // 2
            if offset_at(self.zone, middle) == self._offsets[-1]:
                before = middle
            else:
                after = middle
        self._starts.append(after)
        self._offsets.append(offset_at(self.zone, after))

    def offset(self, moment: int) -> int:
        return self._offsets[bisect_right(self._starts, moment) - 1]

    def pieces(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """`[start, end)` cut where the offset changes, each piece with its offset."""
        i = bisect_right(self._starts, start) - 1
        while start < end:
            stop = self._starts[i + 1] if i + 1 < len(self._starts) else end
            stop = min(stop, end)
            yield start, stop, self._offsets[i]
            start, i = stop, i + 1

    def aligned_starts(self, spans: list[Span], step: int) -> list[int]:
        """Instants in `spans` whose local wall time is a whole number of `step`s past midnight.

        The wall clock, not UTC, is aligned: 09:00 stays 09:00 across DST, and a +05:30 zone
        gets :00 and :30 local starts.
        """
        out: list[int] = []
        for start, end in spans:
            for low, high, offset in self.pieces(start, end):
                out.extend(t - offset for t in _wall_steps(low + offset, high + offset, step))
        return out


def _wall_steps(low: int, high: int, step: int) -> Iterator[int]:
    """Wall-clock seconds in `[low, high)` on the `step` grid restarted at each midnight."""
    if DAY % step == 0:
        yield from range(-(-low // step) * step, high, step)
        return
    day = low - low % DAY
    while day < high:
        first = max(low, day)
        yield from range(day + -(-(first - day) // step) * step, min(high, day + DAY), step)
        day += DAY
