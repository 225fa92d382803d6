"""The front desk's new-booking form through its routes, on the demo salon with every table
filled: a walk-in booked once however often the form is sent, a time prefilled from the
calendar's link, a series previewed and booked, a lost race answered with the nearest free
times, and every kind of bad input answered on the form with what was typed kept."""

from __future__ import annotations

import asyncio
import html
import re
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.catalog import Service
from scheduling.demo import demo_catalog
from scheduling.persistence.catalog_repository import CatalogRepository
from tests.fill import fill
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import execute, rows

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]
NY = ZoneInfo("America/New_York")
CATALOG = demo_catalog()
CUT = next(s for s in CATALOG.services if s.name == "Women's cut")
ANA = next(s for s in CATALOG.staff if s.name == "Ana")
NEW = "/admin/bookings/new"


def a_weekday(days_ahead: int = 3) -> str:
    """A Wednesday or Thursday at least `days_ahead` days on: Ana works then."""
    day = datetime.now(NY).date() + timedelta(days=days_ahead)
    while day.weekday() not in (2, 3):
        day += timedelta(days=1)
    return day.isoformat()


class Desk:
    """The form as the owner fills it in: the page's own csrf and key, then what is typed."""

    def __init__(self, client: Client, cookies: dict[str, str]) -> None:
        self.client, self.cookies = client, cookies

    async def open(self, query: str = "") -> tuple[int, str]:
        response = await self.client.get(NEW + query, cookies=self.cookies)
        return response.status, await response.text()

    async def post(self, path: str, body: dict[str, str] | list[tuple[str, str]]
                   ) -> tuple[int, str, str | None]:
        response = await self.client.post(path, data=body, cookies=self.cookies,
                                          allow_redirects=False)
        return response.status, await response.text(), response.headers.get("Location")

    async def fields(self, query: str = "") -> dict[str, str]:
        status, page = await self.open(query)
        assert status == 200, page[-2000:]
        return {"csrf": _value(page, "csrf"), "key": _value(page, "key")}

    async def times(self, base: dict[str, str], **typed: str) -> list[str]:
        status, page, _ = await self.post(NEW, {**base, **typed, "step": "refresh"})
        assert status == 200, page[-2000:]
        return [html.unescape(v) for v in re.findall(r'name="start" value="([^"]+)"', page)]


def _value(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found is not None, name
    return html.unescape(found.group(1))


@pytest.fixture
async def desk(gateway: Client, session_factory: async_sessionmaker[AsyncSession]) -> Desk:
    await fill(session_factory, datetime.now(NY))
    return Desk(gateway, await login_as(session_factory, "owner@example.com"))


def walk_in(base: dict[str, str], start: str, **typed: str) -> dict[str, str]:
    return {**base, "service_id": str(CUT.id), "staff_id": str(ANA.id), "start": start,
            "customer_id": "new", "name": "Wanda Walkin", "phone": "(212) 555-0199",
            "step": "book", **typed}


async def test_a_walk_in_is_booked_once_however_often_the_form_is_sent(
    desk: Desk, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    base = await desk.fields()
    day = a_weekday()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    assert free, "Ana has free times on a weekday"
    form = walk_in(base, free[0], day=day)
    first, again = await desk.post(NEW, form), await desk.post(NEW, form)
    assert first[0] == again[0] == 303 and first[2] == again[2]
    done = await desk.client.get(first[2] or "", cookies=desk.cookies)
    page = await done.text()
    assert done.status == 200 and "Wanda Walkin" in page and "by text" in page
    booked = await rows(session_factory, "SELECT id, channel, status FROM appointments "
                        "WHERE idempotency_key = :k", k=f"desk:{base['key']}")
    assert [(r.channel, r.status) for r in booked] == [("admin", "confirmed")]
    told = await rows(session_factory, "SELECT kind FROM outbox WHERE appointment_id = :a",
                      a=booked[0].id)
    assert "confirmation" in {r.kind for r in told}


async def test_the_calendar_link_fills_in_the_staff_member_and_the_time(desk: Desk) -> None:
    day = a_weekday()
    base = await desk.fields()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    local = datetime.fromisoformat(free[1]).astimezone(NY).replace(tzinfo=None).isoformat()
    status, page = await desk.open(f"?staff_id={ANA.id}&start={local}"
                                   f"&location_id={CATALOG.business.locations[0].id}")
    assert status == 200
    assert re.search(rf'value="{re.escape(free[1])}" checked', html.unescape(page))
    assert re.search(rf'<option value="{ANA.id}" selected>Ana', page)


async def test_a_taken_time_answers_with_the_nearest_free_ones(desk: Desk) -> None:
    day = a_weekday()
    base = await desk.fields()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    assert (await desk.post(NEW, walk_in(base, free[2], day=day)))[0] == 303
    other = await desk.fields()
    status, page, _ = await desk.post(NEW, walk_in(other, free[2], day=day, name="Second"))
    assert status == 409 and "Nearest free times" in page
    assert 'value="Second"' in page, "what was typed is kept"


async def test_two_forms_booking_one_time_at_once_one_wins(desk: Desk) -> None:
    day = a_weekday(4)
    base = await desk.fields()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    forms = [walk_in(await desk.fields(), free[0], day=day, name=f"Racer {n}") for n in (1, 2)]
    answers = await asyncio.gather(*(desk.post(NEW, form) for form in forms))
    assert sorted(a[0] for a in answers) == [303, 409]


@pytest.mark.parametrize("typed, field, words", [
    ({"start": ""}, "start", "Choose a time from the list"),
    ({"day": "9999-12-31", "start": ""}, "day", "Choose a date from"),
    ({"start": "9999-12-31T10:00:00+00:00"}, "start", "Choose a time from the list"),
    ({"day": "2020-01-06", "start": "2020-01-06T15:00:00+00:00"}, "start", "has passed"),
    ({"day": "", "start": "9999-12-31T10:00"}, "start", "Choose a time from the list"),
    ({"service_id": "not-a-service"}, "service_id", "Choose a service from the list"),
    ({"name": ""}, "name", "Enter the customer's name"),
    ({"phone": "12"}, "phone", "Enter a phone number"),
    ({"customer_id": "00000000-0000-0000-0000-000000000000"}, "customer_id",
     "Choose a customer from the list"),
    ({"repeat": "yes", "every": "1", "count": "99"}, "count", "2 to 26 occurrences"),
    ({"name": "N" * 20_000, "notes": "\x00" + "x" * 20_000}, "name", "Enter the customer"),
    ({"notes": "x" * 2001}, "notes", "under 2000 characters"),
])
async def test_bad_input_is_answered_on_the_form_with_what_was_typed_kept(
    desk: Desk, typed: dict[str, str], field: str, words: str
) -> None:
    base = await desk.fields()
    day = a_weekday()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    form = walk_in(base, free[0], day=day, email="kept@example.com") | typed
    status, page, _ = await desk.post(NEW, form)
    assert status == 422, page[-1500:]
    assert words in html.unescape(page) and f'href="#{field}"' in page
    assert 'value="kept@example.com"' in page


async def test_a_blocked_customer_is_refused_on_the_form(
    desk: Desk, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    base = await desk.fields()
    day = a_weekday()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    assert (await desk.post(NEW, walk_in(base, free[0], day=day, name="Bella Blocked")))[0] == 303
    await execute(session_factory, "INSERT INTO customer_blocks (customer_id, reason) "
                  "SELECT id, 'test' FROM customers WHERE name = 'Bella Blocked'")
    again = await desk.fields()
    status, page, _ = await desk.post(NEW, {**again, "q": "Bella", "step": "refresh"})
    assert status == 200 and "Bella Blocked" in page and "<strong>blocked</strong>" in page
    bella = re.search(r'name="customer_id" value="([0-9a-f-]{36})"', page)
    assert bella is not None
    for who in ({"customer_id": bella.group(1)}, {"name": "Another Name"}):
        status, page, _ = await desk.post(NEW, walk_in(again, free[3], day=day, **who))
        assert status == 422 and "not accepted" in page, who


async def test_the_search_finds_a_customer_by_phone_typed_any_way(desk: Desk) -> None:
    base = await desk.fields()
    for typed in ("555-000-9001", "(555) 0009001", "Fillia", "FILLIA@example"):
        status, page, _ = await desk.post(NEW, {**base, "q": typed, "step": "refresh"})
        assert status == 200 and "Fillia Everyrow" in page, typed


async def test_forms_without_or_with_a_forged_csrf_are_refused(desk: Desk) -> None:
    base = await desk.fields()
    for csrf in ("", "forged"):
        status, _, _ = await desk.post(NEW, walk_in({**base, "csrf": csrf}, "x"))
        assert status == 403
        status, _, _ = await desk.post("/admin/bookings/series", {**base, "csrf": csrf})
        assert status == 403


async def test_a_body_too_large_is_a_413(desk: Desk) -> None:
    base = await desk.fields()
    status, _, _ = await desk.post(NEW, walk_in(base, "x", notes="x" * 100_000))
    assert status == 413


async def test_bad_utf8_and_unknown_keys_are_not_a_500(desk: Desk) -> None:
    base = await desk.fields()
    body = f"csrf={base['csrf']}&key={base['key']}&name=%FF%FE&q=%C3%28&step=refresh"
    response = await desk.client.post(NEW, data=body.encode(), cookies=desk.cookies, headers={
        "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status in (200, 400)
    for key in ("", "short", "x" * 300, "../../etc"):
        done = await desk.client.get(f"/admin/bookings/done?key={key}", cookies=desk.cookies)
        assert done.status == 404


async def test_a_weekly_series_is_previewed_then_booked_as_one(
    desk: Desk, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    day = a_weekday()
    base = await desk.fields()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    third = (datetime.fromisoformat(free[0]) + timedelta(weeks=2)).isoformat()
    assert (await desk.post(NEW, walk_in(await desk.fields(), third)))[0] == 303
    form = walk_in(base, free[0], day=day, repeat="yes", every="1", unit="weeks", count="4",
                   name="Sally Series")
    status, preview, _ = await desk.post(NEW, form)
    assert status == 200 and preview.count("not free") == 1, preview[-3000:]
    chosen = dict(re.findall(r'name="(at_\d)" value="([^"]+)" checked', preview))
    assert chosen["at_3"] == "skip" and len(chosen) == 4
    body = [(k, html.unescape(v)) for k, v in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview)]
    body += list(chosen.items())
    status, _, done = await desk.post("/admin/bookings/series", body)
    assert status == 303, _[-2000:]
    again = await desk.post("/admin/bookings/series", body)
    assert again[0] == 303 and again[2] == done
    booked = await rows(session_factory, "SELECT series_id FROM appointments "
                        "WHERE idempotency_key LIKE :k", k=f"desk:{base['key']}:%")
    assert len(booked) == 3 and len({r.series_id for r in booked}) == 1
    page = await (await desk.client.get(done or "", cookies=desk.cookies)).text()
    assert "3 appointments" in page


async def _staff_account(factory: async_sessionmaker[AsyncSession], email: str,
                         staff_id: object) -> dict[str, str]:
    cookies = await login_as(factory, email)
    await execute(factory, "UPDATE admin_users SET role = 'staff', staff_id = :s "
                  "WHERE email = :e", s=staff_id, e=email)
    return cookies


async def test_a_staff_account_books_only_for_itself(
    desk: Desk, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    marcus = next(s for s in CATALOG.staff if s.name == "Marcus")
    day = a_weekday()
    base = await desk.fields()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(marcus.id), day=day)
    assert (await desk.post(NEW, walk_in(base, free[0], day=day,
                                         staff_id=str(marcus.id))))[0] == 303
    ana = Desk(desk.client, await _staff_account(session_factory, "ana@example.com", ANA.id))
    status, page = await ana.open()
    assert status == 200 and f'name="staff_id" value="{ANA.id}"' in page
    assert f'<option value="{marcus.id}"' not in page
    assert (await ana.open(f"?staff_id={marcus.id}"))[0] == 404
    own = await ana.fields()
    mine = await ana.times(own, service_id=str(CUT.id), day=day)
    refused = await ana.post(NEW, walk_in(own, mine[0], day=day, staff_id=str(marcus.id)))
    assert refused[0] == 404
    status, _, done = await ana.post(NEW, walk_in(own, mine[0], day=day, staff_id=""))
    assert status == 303
    booked = await rows(session_factory, "SELECT staff_id FROM appointments "
                        "WHERE idempotency_key = :k", k=f"desk:{own['key']}")
    assert [r.staff_id for r in booked] == [ANA.id]
    other = await ana.client.get(f"/admin/bookings/done?key={base['key']}", cookies=ana.cookies)
    assert other.status == 404, "Marcus's booking is not Ana's to see"
    nobody = Desk(desk.client, await _staff_account(session_factory, "gone@example.com", None))
    assert (await nobody.open())[0] == 422


async def test_a_group_books_several_seats_and_shows_the_seats_left(
    desk: Desk, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    group = Service(uuid4(), "Group class", timedelta(hours=1), Decimal("20.00"), capacity=6,
                    max_participants=4, slot_interval=timedelta(hours=1),
                    required_skills=frozenset({"cut"}))
    async with session_factory() as session:
        repository = CatalogRepository(session)
        catalog = await repository.get(CATALOG.business.id)
        await repository.save(replace(catalog, services=(*catalog.services, group)))
        await session.commit()
    day = a_weekday()
    base = await desk.fields()
    status, page, _ = await desk.post(NEW, {**base, "service_id": str(group.id),
                                            "staff_id": str(ANA.id), "day": day,
                                            "step": "refresh"})
    assert status == 200 and "6 seats left" in page and 'id="participants"' in page
    start = re.findall(r'name="start" value="([^"]+)"', page)[0]
    names = "Ann One\nBo Two\n\nCy Three"
    form = walk_in(base, html.unescape(start), day=day, service_id=str(group.id),
                   participants=names)
    assert (await desk.post(NEW, form))[0] == 303
    booked = await rows(session_factory, "SELECT seats FROM appointments "
                        "WHERE idempotency_key = :k", k=f"desk:{base['key']}")
    assert [r.seats for r in booked] == [3]
    again = await desk.fields()
    page = (await desk.post(NEW, {**again, "service_id": str(group.id), "staff_id": str(ANA.id),
                                  "day": day, "step": "refresh"}))[1]
    assert "3 seats left" in page
    too_many = walk_in(again, html.unescape(start), day=day, service_id=str(group.id),
                       participants="A\nB\nC\nD\nE")
    status, page, _ = await desk.post(NEW, too_many)
    assert status == 422 and "At most 4 people" in page


async def test_a_series_over_the_customers_limit_is_said_and_refused(desk: Desk) -> None:
    day = a_weekday()
    base = await desk.fields()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    form = walk_in(base, free[0], day=day, repeat="yes", every="1", unit="weeks", count="6",
                   name="Lena Limit", phone="+15550400001")
    status, preview, _ = await desk.post(NEW, form)
    assert status == 200 and "at most 5 upcoming bookings" in preview
    body = [(k, html.unescape(v)) for k, v in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview)]
    body += re.findall(r'name="(at_\d)" value="([^"]+)" checked', preview)
    status, page, _ = await desk.post("/admin/bookings/series", body)
    assert status == 422 and "Nothing was booked" in page


async def test_a_link_selects_its_staff_member_and_service(desk: Desk) -> None:
    marcus = next(s for s in CATALOG.staff if s.name == "Marcus")
    beard = next(s for s in CATALOG.services if s.name == "Beard trim")
    status, page = await desk.open(f"?staff_id={marcus.id}&service_id={beard.id}")
    assert status == 200 and f'<option value="{beard.id}" selected>' in page
    priya = next(s for s in CATALOG.staff if s.name == "Priya")
    status, page = await desk.open(f"?staff_id={priya.id}")
    assert status == 200 and f'<option value="{priya.id}" selected>Priya' in page


async def test_an_occurrence_taken_after_the_preview_books_nothing_and_shows_it(
    desk: Desk, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    day = a_weekday(6)
    base = await desk.fields()
    free = await desk.times(base, service_id=str(CUT.id), staff_id=str(ANA.id), day=day)
    form = walk_in(base, free[0], day=day, repeat="yes", every="2", unit="weeks", count="3",
                   name="Tess Taken", phone="+15550500001")
    status, preview, _ = await desk.post(NEW, form)
    assert status == 200 and "not free" not in preview
    body = [(k, html.unescape(v)) for k, v in re.findall(
        r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview)]
    body += re.findall(r'name="(at_\d)" value="([^"]+)" checked', preview)
    second = (datetime.fromisoformat(free[0]) + timedelta(weeks=2)).isoformat()
    assert (await desk.post(NEW, walk_in(await desk.fields(), second)))[0] == 303
    status, page, _ = await desk.post("/admin/bookings/series", body)
    assert status == 409 and "Nothing was booked" in page and "not free" in page
    booked = await rows(session_factory, "SELECT id FROM appointments "
                        "WHERE contact_name = 'Tess Taken'")
    assert booked == []
