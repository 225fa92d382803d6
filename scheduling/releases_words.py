"""Releases in words, the same on the dashboard, the booking pages, the API and in chat:
"Cut: next week's slots open every Sunday at 6 PM (VIP: 2 hours earlier)" and "Next week's
slots open Sunday, March 14 at 6 PM"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling import formats
from scheduling.catalog import Catalog
from scheduling.releases import Access, Period, Release, ReleaseRule, pending

PLAIN_DAY = date(2030, 1, 7)
"""Any day: a rule's wall-clock time is written from it."""
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def period_words(rule: ReleaseRule) -> str:
    """The slots a rule releases: "next week's slots", "the slots 2 days ahead"."""
    names = (("this week's", "next week's") if rule.period is Period.WEEK
             else ("today's", "tomorrow's"))
    if rule.lead < len(names):
        return f"{names[rule.lead]} slots"
    return f"the slots {rule.lead} {rule.period.value}s ahead"


def rule_words(rule: ReleaseRule, catalog: Catalog, audiences: Mapping[UUID, str]) -> str:
    clock = formats.clock(datetime.combine(PLAIN_DAY, rule.at, UTC), ZoneInfo("UTC"))
    when = f"every {DAYS[rule.weekday]}" if rule.period is Period.WEEK else "every day"
    scope = [catalog.service(rule.service_id).name if rule.service_id else "Every service"]
    if rule.staff_id:
        scope.append(f"with {catalog.staff_member(rule.staff_id).name}")
    text = f"{' '.join(scope)}: {period_words(rule)} open {when} at {clock}"
    if rule.audience_id is not None and rule.early:
        text += f" ({audiences.get(rule.audience_id, 'the audience')}: {span(rule.early)}" \
                " earlier)"
    return text


def span(length: timedelta) -> str:
    hours, minutes = divmod(int(length.total_seconds() // 60), 60)
    if minutes:
        return f"{hours * 60 + minutes} minutes"
    return "1 hour" if hours == 1 else f"{hours} hours"


def opens_words(rule: ReleaseRule, opens_at: datetime, zone: ZoneInfo, now: datetime) -> str:
    """"Next week's slots open Sunday, March 14 at 6 PM"."""
    when = formats.day_and_time(opens_at, zone, now=now)
    text = f"{period_words(rule)} open {when}"
    return text[0].upper() + text[1:]


def not_open_words(opens_at: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """What a customer hears for a time not released yet ("today"/"tomorrow" given `now`)."""
    return ("That time isn't open for booking yet: it opens "
            f"{formats.day_and_time(opens_at, zone, now=now)}.")


def pending_notes(
    access: Access, service_id: UUID, staff_id: UUID | None, zone: ZoneInfo, start: datetime,
    end: datetime, now: datetime,
) -> list[tuple[Release, datetime, str]]:
    """Each release still ahead in `[start, end)` (`releases.pending`), once per opening, with
    when it opens to `access` and that in words."""
    seen: set[tuple[datetime, date]] = set()
    notes = []
    for rule, release, opens in pending(access, service_id, staff_id, zone, start, end, now):
        if (opens, release.first_day) not in seen:
            seen.add((opens, release.first_day))
            notes.append((release, opens, opens_words(rule, opens, zone, now)))
    return notes
