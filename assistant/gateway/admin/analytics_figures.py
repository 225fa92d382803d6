"""The analytics page's figures as tables: each chart is drawn from the same rows its table
shows, so the table a screen reader reads is exactly what the chart draws.

Channels and statuses are listed whole (a channel with no booking is a 0, not a missing row);
services and staff are the ones offered where the page looks, plus any others (archived, or
working at another branch) that had bookings in the range.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from babel.dates import format_skeleton

from scheduling import formats
from scheduling.catalog import Catalog
from scheduling.errors import NotFound
from scheduling.persistence.booking_analytics import Counts, Revenue
from scheduling.report_days import DayRange

CHANNELS = {"web": "Web (chat and booking page)", "sms": "SMS", "voice": "Phone (voice)",
            "api": "API", "admin": "Front desk"}
STATUSES = {"pending": "Pending", "confirmed": "Confirmed", "completed": "Completed",
            "no_show": "No-show", "cancelled": "Cancelled", "late_cancel": "Cancelled late",
            "rescheduled": "Moved to another time"}


@dataclass(frozen=True, slots=True)
class Table:
    """One chart's data: `rows` are (label, value as shown); `values` the numbers drawn."""

    key: str
    title: str
    headers: tuple[str, str]
    rows: tuple[tuple[str, str], ...]
    values: tuple[float, ...]
    percent: bool = False

    def chart(self) -> dict[str, Any]:
        return {"labels": [label for label, _ in self.rows], "values": list(self.values),
                "percent": self.percent}


@dataclass(frozen=True, slots=True)
class MoneyLine:
    label: str
    amount: str
    counts: str


def _table(key: str, title: str, header: str, pairs: list[tuple[str, int]]) -> Table:
    return Table(key, title, (header, "Bookings"), tuple((k, str(n)) for k, n in pairs),
                 tuple(float(n) for _, n in pairs))


def by_day(days: DayRange, counts: Counts) -> Table:
    """Every day of the range, a day without bookings as 0 (labelled "Fri, Mar 6")."""
    filled = days.zero_filled(counts.by_day)
    return _table("per-day", "Bookings per day", "Day", [(short(d), n) for d, n in filled])


def short(day: date) -> str:
    return _skeleton("MMMEd", day)


def span(days: DayRange) -> str:
    """"Fri, Mar 6, 2026 – Tue, Mar 10, 2026": the range a page or caption is about."""
    return f"{_skeleton('yMMMEd', days.first)} – {_skeleton('yMMMEd', days.last)}"


def _skeleton(skeleton: str, day: date) -> str:
    return format_skeleton(skeleton, day, locale=formats.locale_of(formats.DEFAULT_LOCALE))


def by_channel(counts: Counts) -> Table:
    pairs = [(label, counts.by_channel.get(key, 0)) for key, label in CHANNELS.items()]
    pairs += [(key, n) for key, n in counts.by_channel.items() if key not in CHANNELS]
    return _table("by-channel", "Bookings by channel", "Channel", pairs)


def by_status(counts: Counts) -> Table:
    pairs = [(label, counts.by_status.get(key, 0)) for key, label in STATUSES.items()]
    return _table("by-status", "Bookings by status", "Status", pairs)


def by_service(counts: Counts, catalog: Catalog, offered: tuple[UUID, ...]) -> Table:
    names = _names(catalog.service, offered, counts.by_service, "a removed service")
    return _table("by-service", "Bookings by service", "Service", _ranked(names, counts.by_service))


def by_staff(counts: Counts, catalog: Catalog, offered: tuple[UUID, ...]) -> Table:
    names = _names(catalog.staff_member, offered, counts.by_staff, "a removed staff member")
    return _table("by-staff", "Bookings by staff member", "Staff member",
                  _ranked(names, counts.by_staff))


def _names(lookup: Any, offered: tuple[UUID, ...], counted: dict[UUID, int], gone: str
           ) -> dict[UUID, str]:
    names = {}
    for key in (*offered, *counted):
        try:
            names[key] = lookup(key).name
        except NotFound:  # a row whose service or staff member the catalog no longer has
            names[key] = gone
    return names


def _ranked(names: dict[UUID, str], counted: dict[UUID, int]) -> list[tuple[str, int]]:
    """Most booked first, then by name."""
    return sorted(((name, counted.get(key, 0)) for key, name in names.items()),
                  key=lambda pair: (-pair[1], pair[0]))


def utilisation(catalog: Catalog, usage: dict[UUID, float]) -> Table:
    pairs = [(m.name, usage.get(m.id, 0.0)) for m in catalog.staff]
    return Table("utilisation", "Utilisation by staff member", ("Staff member", "Booked"),
                 tuple((name, f"{share:.0%}") for name, share in pairs),
                 tuple(round(share, 3) for _, share in pairs), percent=True)


def money(revenue: Revenue, no_shows: int, catalog: Catalog) -> tuple[MoneyLine, ...]:
    """The revenue table; the no-show fee is the business's policy fee per no-show (the
    appointment records no fee of its own)."""
    policies = catalog.business.policies

    def show(amount: Decimal) -> str:
        return formats.money(amount, policies.currency)

    fee = policies.no_show_fee
    return (
        MoneyLine("Booked value", show(revenue.booked),
                  "prices of appointments booked, done or missed (not cancelled or moved)"),
        MoneyLine("Paid", show(revenue.paid),
                  "completed appointments at their price, plus deposits kept on the others"),
        MoneyLine("Completed", show(revenue.completed), "prices of completed appointments"),
        MoneyLine("Deposits paid", show(revenue.deposits_kept),
                  "deposits received, less what was refunded"),
        MoneyLine("Deposits not yet paid", show(revenue.deposits_owed),
                  "deposits owed on appointments still booked"),
        MoneyLine("Late-cancel fees", show(revenue.late_cancel_fees),
                  "fees charged on late cancellations"),
        MoneyLine("No-show fees", show(fee * no_shows),
                  f"{no_shows} no-show{'' if no_shows == 1 else 's'} at the {show(fee)} fee"),
    )
