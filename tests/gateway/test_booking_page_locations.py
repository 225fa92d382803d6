"""/book with two branches in two zones: the page asks where before who when both branches
give the service, shows that branch's staff and times on its clock, books there, and names
the branch on every step; a service only one branch gives skips the question; a location in
a URL that cannot give the service is a page that says so."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest

from tests import branches
from tests.branches import branch_demo  # noqa: F401 (the gateway's catalog)
from tests.gateway.booking_flow import (
    Client,
    Factory,
    fetch,
    first_time,
    press,
    rows,
    sent_code,
    submit,
)
from tests.gateway.test_booking_page import follow_links

pytestmark = pytest.mark.db
CHICAGO = ZoneInfo("America/Chicago")



async def test_where_is_asked_then_the_branch_is_booked(
    gateway: Client, session_factory: Factory,
) -> None:
    services = await fetch(gateway, "get", "/book")
    where = await press(gateway, services.page, "mens-cut")
    assert "Where would you like it?" in where.words
    assert "Harbour 8 Pier Road, Chicago, IL 60611" in where.words
    await follow_links(gateway, where)
    who = await press(gateway, where.page, str(branches.HARBOUR))
    assert "at Harbour" in who.words and [b.value for f in who.page.forms for b in f.buttons
                                          if b.name == "staff"] == ["any", str(branches.DANA)]
    await follow_links(gateway, who)
    week = await press(gateway, who.page, "any")
    assert "Men's cut with anyone available at Harbour" in week.words
    assert "Times are shown in Harbour's time zone (America/Chicago)" in week.words
    await follow_links(gateway, week)
    form, first = first_time(week.page)
    assert 8 <= datetime.fromisoformat(first.value).astimezone(CHICAGO).hour < 17
    details = await submit(gateway, form, first)
    assert "Where Harbour, 8 Pier Road, Chicago, IL 60611" in details.words, details.words
    await follow_links(gateway, details)
    code_page = await press(gateway, details.page, "Send my code", name="Lee Park",
                            phone="(212) 555-0142")
    confirm = await press(gateway, code_page.page, "Check my code",
                          code=await sent_code(gateway, session_factory))
    assert "Where Harbour, 8 Pier Road" in confirm.words and "With Anyone" in confirm.words
    booked = await press(gateway, confirm.page, "Confirm booking")
    assert "You're booked" in booked.words and "Harbour, 8 Pier Road" in booked.words
    [(location, staff, starts)] = await rows(session_factory, (
        "SELECT l.name, s.name, a.starts_at FROM appointments a "
        "JOIN locations l ON l.id = a.location_id JOIN staff s ON s.id = a.staff_id"))
    assert (location, staff, starts) == ("Harbour", "Dana", datetime.fromisoformat(first.value))


async def test_a_service_one_branch_gives_asks_no_question(gateway: Client) -> None:
    services = await fetch(gateway, "get", "/book")
    assert "Hot towel shave 40 min · $45 · at Harbour only" in services.words
    assert "Colour 90 min · $120 · $30 deposit · at Main Street only" in services.words
    assert "Men's cut 30 min · $40 Beard" in services.words  # both branches: nothing said
    who = await press(gateway, services.page, "hot-towel-shave")
    assert "Who would you like?" in who.words and "Where would you like it?" not in who.words
    week = await press(gateway, who.page, "any")
    assert "Times are shown in Harbour's time zone (America/Chicago)" in week.words


async def test_a_location_that_cannot_give_the_service_is_a_page(gateway: Client) -> None:
    colour = await fetch(gateway, "get", f"/book/colour?location={branches.HARBOUR}")
    assert colour.status == 404 and "We could not find that location" in colour.words
    nonsense = await fetch(gateway, "get", "/book/mens-cut/times?staff=any&location=%FF")
    assert nonsense.status == 404
    ana_there = await fetch(gateway, "get", "/book/mens-cut/times?staff="
                            f"{branches.demo_id('staff/ana')}&location={branches.HARBOUR}")
    assert ana_there.status == 404 and "staff" in ana_there.words
    week = await fetch(gateway, "get", f"/book/mens-cut/times?staff=any&location="
                       f"{branches.MAIN_STREET}")
    assert week.status == 200 and urlsplit(week.url).path == "/book/mens-cut/times"
    assert "at Main Street" in week.words and "(America/New_York)" in week.words
