"""/admin/calendar with a filled salon week (tests/gateway/calendar_data.py): day and week per
location and per staff member on each location's clock, every appointment state, gaps linked
to the new-booking form, closed time labelled; a staff account sees only its own column; bad
dates, views and ids are a 4xx, never a 500."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode
from uuid import uuid4

import pytest
from aiohttp.test_utils import TestClient, TestServer

from assistant.gateway.admin.calendar_views import Ask, _book_link, _length
from calendar_sync.connections import ConnectionStore
from scheduling.desk.calendar import Kind, Segment
from scheduling.persistence import staff_accounts
from tests.booking.booking_builders import Salon
from tests.calendar_sync.conftest import cipher, config, connect_staff, google, store  # noqa: F401
from tests.calendar_sync.test_busy import owner_event
from tests.fakes.google_calendar import FakeGoogle
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import Client, Factory, gateway_with
from tests.gateway.calendar_data import (
    ANA,
    DANA,
    DAY,
    HARBOUR,
    MAIN_STREET,
    MARCUS,
    PRIYA,
    appointment_id,
    at,
    calendar_catalog,
    seed,
)
from tests.gateway.conftest import FakeRasa

pytestmark = pytest.mark.db


@pytest.fixture
async def demo(session_factory: Factory, clean_tables: None) -> AsyncIterator[None]:
    """Overrides the gateway tests' `demo`: the gateway serves the calendar week."""
    await seed(session_factory)
    yield


@pytest.fixture
async def cookies(session_factory: Factory, gateway: Client) -> dict[str, str]:
    return await login_as(session_factory, "owner@example.com")


async def _get(gateway: TestClient, cookies: dict[str, str], status: int = 200,  # type: ignore[type-arg]
               **query: object) -> str:
    response = await gateway.get("/admin/calendar?" + urlencode(query), cookies=cookies,
                                 allow_redirects=False)
    body = await response.text()
    assert response.status == status, body[-1500:]
    return html.unescape(body)


def _column(body: str, name: str) -> str:
    """The HTML of one staff member's column in the day view."""
    found = re.search(rf'<h3 id="col-[^"]+">{name}</h3>(.*?)</section>', body, re.S)
    assert found is not None, f"no column for {name}"
    return found.group(1)


def _text(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


async def test_day_at_main_street_shows_each_state_gap_and_closed_time(
    gateway: Client, cookies: dict[str, str]
) -> None:
    body = await _get(gateway, cookies, location=MAIN_STREET, date=DAY.isoformat())
    assert "Times on Main Street's clock (America/New_York, E" in body
    ana, marcus = _text(_column(body, "Ana")), _text(_column(body, "Marcus"))
    assert "9 AM – 9:45 AM Carla Checkin · Women's cut checked in" in ana
    assert "10 AM – 11:30 AM Petra Deposit · Colour pending deposit" in ana
    assert "Free 9:45 AM – 10 AM · 15 min" in ana
    assert "11:30 AM – 11:45 AM Buffer Free 11:45 AM – 12:30 PM" in ana  # Colour's clean-up
    assert "12:30 PM – 1:30 PM Break" in ana
    assert "1 cancelled" in ana and "2 PM Cora Cancel · Women's cut (cancelled)" in ana
    assert "Free 1:30 PM – 5 PM · 3 h 30 min" in ana  # the cancelled time is free again
    assert "Gina Held" not in body  # a customer still deciding is not on the calendar
    assert "10 AM – 10:30 AM Nico Noshow · Men's cut no-show" in marcus
    assert "3 PM – 4 PM Time off: dentist" in marcus
    assert "5 PM – 5:30 PM at Harbour Hank Harbour" in marcus  # Chicago's 4 PM
    assert "Dana" not in re.sub(r"<select.*?</select>", "", body, flags=re.S)
    assert f'href="/admin/appointments/{appointment_id("Carla Checkin")}"' in body
    booking = urlencode({"staff_id": ANA, "start": f"{DAY}T09:45", "location_id": MAIN_STREET})
    assert f'href="/admin/bookings/new?{booking}"' in body


async def test_second_branch_is_on_its_own_clock(gateway: Client, cookies: dict[str, str]
                                                 ) -> None:
    body = await _get(gateway, cookies, location=HARBOUR, date=DAY.isoformat())
    assert "Times on Harbour's clock (America/Chicago, C" in body
    dana, marcus = _text(_column(body, "Dana")), _text(_column(body, "Marcus"))
    assert "9 AM – 9:40 AM Dina Shave · Hot towel shave confirmed" in dana  # the profile name
    assert "Free 8 AM – 9 AM" in dana
    assert "9 AM – 9:30 AM at Main Street Nico Noshow" in marcus  # New York's 10 AM
    assert "4 PM – 4:30 PM Hank Harbour" in marcus
    booking = urlencode({"staff_id": DANA, "start": f"{DAY}T09:40", "location_id": HARBOUR})
    assert f'href="/admin/bookings/new?{booking}"' in body
    assert {"Ana", "Priya"}.isdisjoint(re.findall(r'<h3 id="col-[^"]+">(\w+)</h3>', body))


async def test_week_shows_blocked_closed_and_overridden_days(
    gateway: Client, cookies: dict[str, str]
) -> None:
    body = await _get(gateway, cookies, location=MAIN_STREET, date=DAY.isoformat(), view="week")
    days = re.findall(r'<section class="cal-wday" aria-labelledby="day-([\d-]+)"', body)
    monday = DAY - timedelta(days=1)
    assert days == [(monday + timedelta(days=i)).isoformat() for i in range(7)]
    wednesday = _week_day(body, DAY + timedelta(days=1))
    assert "Ana 9 AM – 5 PM Time off: blocked" in wednesday
    friday = _week_day(body, DAY + timedelta(days=3))
    assert friday.endswith("Priya Free 10 AM – 12 PM · 2 h · book")  # the override
    sunday = monday + timedelta(days=6)
    assert _week_day(body, sunday) == \
        f"{sunday:%a, %b %-d} Ana Not working. Marcus Not working. Priya Not working."
    harbour = await _get(gateway, cookies, location=HARBOUR, date=DAY.isoformat(), view="week")
    assert "Closed: Inventory" in _week_day(harbour, DAY + timedelta(days=2))


def _week_day(body: str, day: object) -> str:
    found = re.search(rf'aria-labelledby="day-{day}">(.*?)</section>', body, re.S)
    assert found is not None
    return _text(found.group(1))


async def test_one_staff_member_and_navigation(gateway: Client, cookies: dict[str, str]) -> None:
    body = await _get(gateway, cookies, staff=MARCUS, date=DAY.isoformat())
    assert re.findall(r'<h3 id="col-[^"]+">(\w+)</h3>', body) == ["Marcus"]
    assert "Calendar · Main Street · Marcus" in body  # his first location
    previous = (DAY - timedelta(days=1)).isoformat()
    assert f"location={MAIN_STREET}&view=day&date={previous}&staff={MARCUS}" in body
    week = await _get(gateway, cookies, staff=PRIYA, date=DAY.isoformat(), view="week")
    assert f"date={(DAY + timedelta(days=7)).isoformat()}" in week
    assert "Next week" in week and 'href="/admin/calendar?location=' in week
    away = await _get(gateway, cookies, staff=ANA, location=HARBOUR, date=DAY.isoformat())
    assert "Ana does not work at Harbour" in away and "cancelled" not in away
    assert "8 AM – 8:45 AM at Main Street Carla Checkin" in _text(_column(away, "Ana"))


async def test_past_gaps_are_not_offered_for_booking(gateway: Client, cookies: dict[str, str]
                                                     ) -> None:
    past = DAY - timedelta(days=7 * 60)
    body = await _get(gateway, cookies, location=MAIN_STREET, date=past.isoformat())
    assert "Free 9 AM – 12:30 PM · 3 h 30 min" in _text(_column(body, "Ana"))
    assert "/admin/bookings/new" not in body


@pytest.mark.parametrize("query, status", [
    ("date=2026-13-45", 400), ("date=9999-12-31", 400), ("date=0001-01-01", 400),
    ("date=yesterday", 400), ("date=%FF%FE", 400), ("date=" + "2" * 5000, 400),
    ("view=month", 400), (f"staff={uuid4()}", 404), ("staff=ana", 404), ("staff=%00", 404),
    (f"location={uuid4()}", 404), ("location=%27%20OR%201%3D1%20--", 404),
])
async def test_bad_queries_are_refused_plainly(gateway: Client, cookies: dict[str, str],
                                               query: str, status: int) -> None:
    response = await gateway.get(f"/admin/calendar?{query}", cookies=cookies,
                                 allow_redirects=False)
    assert response.status == status, await response.text()


async def test_signed_out_goes_to_the_login(gateway: Client) -> None:
    response = await gateway.get("/admin/calendar", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"].startswith("/admin/login")


async def test_a_staff_account_sees_only_its_own_column(
    gateway: Client, session_factory: Factory
) -> None:
    cookies = await login_as(session_factory, "marcus@example.com")
    await staff_accounts.change_role(session_factory, "owner@example.com", "marcus@example.com",
                                     "staff", MARCUS, datetime.now(UTC))
    body = await _get(gateway, cookies, location=MAIN_STREET, date=DAY.isoformat())
    assert re.findall(r'<h3 id="col-[^"]+">(\w+)</h3>', body) == ["Marcus"]
    assert "Carla Checkin" not in body and 'id="cal-staff"' not in body
    refused = await _get(gateway, cookies, 404, staff=ANA, date=DAY.isoformat())
    assert "Ana" not in refused
    week = await _get(gateway, cookies, staff=MARCUS, date=DAY.isoformat(), view="week")
    assert "Nico Noshow" in week and "Petra Deposit" not in week
    harbour = await _get(gateway, cookies, location=HARBOUR, date=DAY.isoformat())
    assert "Dina Shave" not in harbour and "Hank Harbour" in harbour


def test_a_gap_under_way_is_booked_from_the_next_five_minutes() -> None:
    """Checked on the helper itself: the page cannot be asked for a gap at a chosen "now"."""
    place = calendar_catalog().business.locations[0]
    ask = Ask(place, DAY, "day", None)
    gap = Segment(Kind.FREE, at(DAY, "09:00"), at(DAY, "10:00"))
    link = _book_link(ANA, gap, ask, at(DAY, "09:31:10"))
    assert link is not None and f"start={DAY}T09%3A35" in link
    assert _book_link(ANA, gap, ask, at(DAY, "08:00")) is not None
    assert _book_link(ANA, gap, ask, at(DAY, "09:57")) is None  # nothing left to book
    assert _book_link(ANA, replace(gap, kind=Kind.BREAK), ask, at(DAY, "08:00")) is None
    assert [_length(m) for m in (0, 15, 60, 95)] == ["0 min", "15 min", "1 h", "1 h 35 min"]


async def test_the_owners_own_google_events_are_busy_not_free(
    database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer], demo: None,
    google: FakeGoogle, store: ConnectionStore, session_factory: Factory,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The engine offers no time Ana is busy with in Google; the calendar must not show it
    as a free gap either."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    settings = {"google_client_id": "client-id", "google_client_secret": "secret",
                "google_token_key": "test secret key", "google_api_url": google.api_url,
                "google_oauth_url": google.oauth_url}
    async with gateway_with(database_url, tmp_path, rasa[1].port, **settings) as client:
        cookies = await login_as(session_factory, "owner@example.com")
        await connect_staff(google, store, Salon(calendar_catalog(), ()), "Ana",
                            "ana@example.com")
        owner_event(google, "ana@example.com", at(DAY, "15:00"))
        body = await _get(client, cookies, location=MAIN_STREET, date=DAY.isoformat())
    ana = _text(_column(body, "Ana"))
    assert "Free 1:30 PM – 3 PM · 1 h 30 min" in ana
    assert "3 PM – 4 PM Busy in their own calendar Free 4 PM – 5 PM" in ana
    assert "Busy" not in _text(_column(body, "Marcus"))
