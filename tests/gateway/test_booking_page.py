"""The public booking page, `/book`, on the demo salon and the test database: every step as a
browser without JavaScript takes it (the forms and links the pages render, followed), the
code read from the message the customer is sent, the booking checked in the database; the
embed's framing headers; Google busy time; input nobody should send. The attacks are in
test_booking_page_attacks.py."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestServer

from calendar_sync.connections import ConnectionStore
from scheduling.demo import demo_catalog
from tests.booking.booking_builders import Salon
from tests.calendar_sync.conftest import cipher, config, connect_staff, google, store  # noqa: F401
from tests.calendar_sync.test_busy import owner_event
from tests.fakes.google_calendar import FakeGoogle
from tests.gateway.booking_flow import (
    PHONE,
    Answer,
    Client,
    Factory,
    fetch,
    first_time,
    gateway_with,
    press,
    rows,
    sent_code,
    submit,
    to_confirm,
    to_details,
)
from tests.gateway.conftest import FakeRasa

pytestmark = pytest.mark.db
NY = ZoneInfo("America/New_York")
SHOP = "https://www.shear-delight.example"


async def follow_links(client: Client, answer: Answer) -> None:
    """GET every link the page renders (but the skip link): each is served."""
    for link in answer.page.links:
        if link.href.startswith("#"):
            continue
        found = await fetch(client, "get", link.href)
        assert found.status == 200, (answer.url, link, found.status, found.words[:200])


async def test_a_customer_books_every_step_and_the_booking_is_theirs(
    gateway: Client, session_factory: Factory,
) -> None:
    services = await fetch(gateway, "get", "/book")
    assert "Choose a service" in services.words and "Colour 90 min · $120 · $30 deposit" in \
        services.words
    staff = await press(gateway, services.page, "womens-cut")
    assert urlsplit(staff.url).path == "/book/womens-cut"
    week = await press(gateway, staff.page, "Ana")
    assert "Times are shown in Shear Delight Salon's time zone (America/New_York)" in week.words
    form, first = first_time(week.page)
    details = await submit(gateway, form, first)
    code_page = await press(gateway, details.page, "Send my code", name=" Dana  Reyes ",
                            phone="(212) 555-0142", email="Dana@Example.com")
    assert f"We sent a 6-digit code to {PHONE}" in code_page.words
    confirm = await press(gateway, code_page.page, "Check my code",
                          code=await sent_code(gateway, session_factory))
    assert "With Ana" in confirm.words and "Price $65" in confirm.words
    booked = await press(gateway, confirm.page, "Confirm booking")

    assert booked.status == 200 and "You're booked" in booked.words, booked.words
    [(status, name, begins, price, phone, channel, customer)] = await rows(session_factory, (
        "SELECT a.status, s.name, a.starts_at, a.price, a.contact_phone, a.channel, "
        "a.customer_id FROM appointments a JOIN staff s ON s.id = a.staff_id"))
    assert (status, name, price, phone, channel) == ("confirmed", "Ana", 65, PHONE, "web")
    assert begins == datetime.fromisoformat(first.value)
    [profile] = await rows(session_factory, "SELECT name, phone, email, phone_verified_at "
                           "FROM customers WHERE id = :c", c=customer)
    assert profile[:3] == ("Dana Reyes", PHONE, "Dana@example.com") and profile[3]
    confirmation = await rows(session_factory, "SELECT kind FROM outbox WHERE "
                              "appointment_id = (SELECT id FROM appointments)")
    assert ("confirmation",) in confirmation
    assert booked.page.link("Manage this booking").startswith("/appointments/manage?token=")
    for answer in (services, staff, week, details, code_page, confirm, booked):
        await follow_links(gateway, answer)


async def test_anyone_pages_through_weeks_and_gets_whoever_is_free(
    gateway: Client, session_factory: Factory,
) -> None:
    details, start = await to_details(gateway, staff="any")
    assert "With Anyone available" in details.words
    week = await fetch(gateway, "get", details.page.link("Choose another time"))
    later = await fetch(gateway, "get", week.page.link("Next week"))
    back = await fetch(gateway, "get", later.page.link("Previous week"))
    assert later.status == back.status == 200
    assert first_time(back.page)[1].value == start != first_time(later.page)[1].value

    confirm, _ = await to_confirm(gateway, session_factory, staff="any")
    await press(gateway, confirm.page, "Confirm booking")
    [(staff_id,)] = await rows(session_factory, "SELECT staff_id FROM appointments")
    assert staff_id in {s.id for s in demo_catalog().staff}


async def test_a_service_by_id_or_name_and_an_unknown_one_lists_the_services(
    gateway: Client,
) -> None:
    colour = demo_catalog().find_service("Colour")
    by_id = await fetch(gateway, "get", f"/book/{colour.id}")
    assert by_id.status == 200 and "Choose who gives your colour" in by_id.words
    for path in ("/book/tattoo", "/book?service=tattoo", "/book/tattoo/times?staff=any"):
        unknown = await fetch(gateway, "get", path)
        assert unknown.status == 404 and "We do not offer that service" in unknown.words
        assert "Women's cut" in unknown.words and "Blow-dry" in unknown.words


async def test_a_deposit_is_stated_and_paid_at_the_salon_without_stripe(
    gateway: Client, session_factory: Factory,
) -> None:
    details, _ = await to_details(gateway, service="colour", staff="any")
    assert "A $30 deposit is due to secure this booking" in details.words
    confirm, _ = await to_confirm(gateway, session_factory, service="colour",
                                  staff="any")
    assert "A $30 deposit is to be paid at the salon when you come in" in confirm.words
    booked = await press(gateway, confirm.page, "Confirm booking")

    assert "You're booked" in booked.words and "Your booking is confirmed" in booked.words
    assert "A $30 deposit is to be paid at the salon" in booked.words
    [(status, required, paid)] = await rows(
        session_factory, "SELECT status, payment_required, payment_status FROM appointments")
    assert (status, required, paid) == ("confirmed", True, "pending")


async def test_the_embed_may_be_framed_by_the_shops_site_and_nothing_else(
    database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer], demo: None,
    gateway: Client, session_factory: Factory,
) -> None:
    plain = await fetch(gateway, "get", "/book")
    assert plain.headers["X-Frame-Options"] == "DENY"
    assert plain.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
    own = await fetch(gateway, "get", "/book?embed=1")
    assert own.headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")

    async with gateway_with(database_url, tmp_path, rasa[1].port,
                            booking_embed_origins=SHOP + "/") as shop:
        confirm, _ = await to_confirm(shop, session_factory, query="?embed=1")
        booked = await press(shop, confirm.page, "Confirm booking")
        admin = await fetch(shop, "get", "/admin/login?embed=1")

    for step in (confirm, booked):
        assert step.headers["Content-Security-Policy"].endswith(
            f"frame-ancestors 'self' {SHOP}")
        assert "X-Frame-Options" not in step.headers and 'class="book embed"' in step.html
        assert '<header class="site">' not in step.html
        assert parse_qs(urlsplit(step.url).query)["embed"] == ["1"]
    assert 'target="_blank"' in booked.html  # the manage page may not be framed
    assert admin.headers["X-Frame-Options"] == "DENY"


async def test_a_time_the_owner_is_busy_in_google_is_not_on_the_page(
    database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer], demo: None,
    google: FakeGoogle, store: ConnectionStore,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    day = (datetime.now(NY) + timedelta(days=3)).date()
    while day.weekday() in (0, 6):  # Ana works Tuesday to Saturday
        day += timedelta(days=1)
    ten = datetime.combine(day, time(10), NY)
    week = f"/book/womens-cut/times?staff={demo_catalog().staff[0].id}&week={day}"
    google_settings = {"google_client_id": "client-id", "google_client_secret": "secret",
                       "google_token_key": "test secret key",
                       "google_api_url": google.api_url, "google_oauth_url": google.oauth_url}
    async with gateway_with(database_url, tmp_path, rasa[1].port, **google_settings) as client:
        before = await fetch(client, "get", week)
        await connect_staff(google, store, Salon(demo_catalog(), ()), "Ana", "ana@example.com")
        owner_event(google, "ana@example.com", ten)
        after = await fetch(client, "get", week)

    assert before.status == after.status == 200
    assert ten in _starts(before)
    cut = timedelta(minutes=45)
    shown = _starts(after)
    assert shown and not [s for s in shown if ten - cut < s < ten + timedelta(hours=1)]


def _starts(week: Answer) -> list[datetime]:
    return [datetime.fromisoformat(b.value) for f in week.page.forms for b in f.buttons
            if b.name == "start"]


async def test_times_read_in_the_customers_zone_when_the_browser_says_it(
    gateway: Client,
) -> None:
    west = await fetch(gateway, "get", "/book/womens-cut/times?staff=any&tz=America/Los_Angeles")
    assert "your time zone (America/Los_Angeles)" in west.words
    first = first_time(west.page)[1]
    local = datetime.fromisoformat(first.value).astimezone(ZoneInfo("America/Los_Angeles"))
    assert first.text.startswith(f"{local.hour % 12 or 12}") and "AM" in first.text
    made_up = await fetch(gateway, "get", "/book/womens-cut/times?staff=any&tz=Mars/Olympus")
    assert made_up.status == 200 and "Shear Delight Salon's time zone" in made_up.words


@pytest.mark.parametrize(("path", "status", "says"), [
    ("/book/womens-cut/times?staff=any&week=9999-12-31", 422, "choose a date from"),
    ("/book/womens-cut/times?staff=any&week=2020-01-01", 422, "choose a date from"),
    ("/book/womens-cut/times?staff=any&week=next+tuesday", 422, "is not a date"),
    ("/book/womens-cut/times?staff=nobody", 404, "We could not find that staff"),
    ("/book/womens-cut/details?staff=any&start=9999-12-31T23:59:59%2B00:00", 422,
     "choose a date from"),
    ("/book/womens-cut/details?staff=any&start=0001-01-01T00:00:00%2B05:00", 422,
     "choose a time from the list"),
    ("/book/womens-cut/details?staff=any&start=soon", 422, "choose a time from the list"),
    ("/book/womens-cut/details?staff=any", 422, "choose a time from the list"),
    ("/book/code?state=not-a-draft", 400, "Please start again"),
    ("/book/code", 400, "Please start again"),
    ("/book/confirm?state=%FF%FE", 400, "Please start again"),
    ("/book/booked?token=abc.manage.1.sig", 422, "this link is not valid"),
    ("/book/%FF%FE", 404, "We do not offer that service"),
])
async def test_input_nobody_should_send_gets_a_clear_page(
    gateway: Client, path: str, status: int, says: str,
) -> None:
    found = await fetch(gateway, "get", path)
    assert (found.status, found.headers["Content-Type"].split(";")[0]) == (status, "text/html")
    assert says in found.words, found.words


async def test_a_form_that_is_not_utf8_is_refused_before_any_step(gateway: Client) -> None:
    found = await gateway.post("/book/code", data=b"state=\xff\xfe&code=123456",
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert found.status == 400 and "not valid UTF-8" in await found.text()
