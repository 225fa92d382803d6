"""The release screen's report: for each rule, its last few releases with demand, admitted,
booked and abandoned (`release_reads`), and each opening as the owner's wall clock reads it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from scheduling import formats
from scheduling.catalog import Catalog
from scheduling.persistence.release_reads import ReleaseFigures, release_figures
from scheduling.releases import ReleaseRule, past_releases

SHOWN = 3


@dataclass(frozen=True, slots=True)
class ReportRow:
    rule: ReleaseRule
    opened: str
    figures: ReleaseFigures


async def reports(
    session: AsyncSession, catalog: Catalog, rules: list[ReleaseRule], now: datetime
) -> list[ReportRow]:
    zone = catalog.business.zone
    rows = []
    for rule in rules:
        for release in past_releases(rule, zone, now, SHOWN):
            figures = await release_figures(session, rule, release, zone)
            rows.append(ReportRow(rule, formats.long_when(release.audience_opens_at, zone),
                                  figures))
    return rows
