"""The release screen's report: for each rule, its last few releases with demand, admitted,
booked and abandoned (`release_reads`), and each opening as the owner's wall clock reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from scheduling import formats
from scheduling.catalog import Catalog
from scheduling.persistence.release_reads import ReleaseFigures
from scheduling.persistence.release_store import ReleaseStore
from scheduling.releases import ReleaseRule, past_releases

SHOWN = 3


@dataclass(frozen=True, slots=True)
class ReportRow:
    rule: ReleaseRule
    opened: str
    figures: ReleaseFigures


async def reports(
    store: ReleaseStore, catalog: Catalog, rules: list[ReleaseRule], now: datetime
) -> list[ReportRow]:
    zone = catalog.business.zone
    rows = []
    for rule in rules:
        for release in past_releases(rule, zone, now, SHOWN):
            figures = await store.figures(rule, release, zone)
            rows.append(ReportRow(rule, formats.long_when(release.audience_opens_at, zone),
                                  figures))
    return rows
