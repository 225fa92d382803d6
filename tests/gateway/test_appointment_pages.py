"""The pages behind the links in customer messages, on the demo salon and the test database:
every page and state with real appointments, each link on them followed and each form
submitted as a browser without JavaScript would, the database checked after every action;
then what a person (or a script) could send instead: links for another action, changed,
expired or unknown, another appointment's link, double submits, dates that cannot be."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from calendar_sync.connections import ConnectionStore
from scheduling import formats
from scheduling.booking import attendance, changes, waitlist
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor, Appointment, Status
from scheduling.catalog import CancellationPolicy
from scheduling.demo import demo_catalog, demo_id
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.desk_uow import DeskUnitOfWork
from tests.booking.booking_builders import Salon
from tests.calendar_sync import conftest as calendar_fixtures
from tests.calendar_sync.conftest import connect_staff
from tests.calendar_sync.test_busy import owner_event
from tests.fakes.google_calendar import FakeGoogle
from tests.gateway.booking_flow import Answer, Client, fetch, gateway_with, press
from tests.gateway.booking_flow import submit as send
from tests.gateway.conftest import FakeRasa
from tests.gateway.html_forms import Button, Form, Page

pytestmark = pytest.mark.db
MENS_CUT = demo_id("service/Men's cut")
ANA = demo_id("staff/ana")


def time_buttons(page: Page) -> tuple[Form, list[Button]]:
    """The first form of free times on the page, and its buttons."""
    form = next(f for f in page.forms if any(b.name == "start" for b in f.buttons))
    return form, form.buttons


def key_of(client: Client) -> str:
    return str(links.link_key(client.app[SETTINGS]))


def link(client: Client, subject: UUID, action: str, expires: datetime | None = None) -> str:
    """The address a message would carry for `action` on `subject`."""
    until = expires or datetime.now(UTC) + timedelta(days=30)
    return str(links.action_url("", key_of(client), subject, action, until))


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


@pytest.fixture
def uow(session_factory: async_sessionmaker[AsyncSession]) -> DeskUnitOfWork:
    return DeskUnitOfWork(session_factory)


async def stored(uow: DeskUnitOfWork, appointment_id: UUID | str) -> Appointment:
    async with uow:
        return await uow.appointments.get(UUID(str(appointment_id)))


async def free_starts(client: Client, days_ahead: int = 3, staff: UUID = ANA) -> list[str]:
    start = datetime.now(UTC) + timedelta(days=days_ahead)
    response = await client.get("/api/v1/availability", params={
        "service_id": str(MENS_CUT), "staff_id": str(staff), "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})
    return [s["start"] for s in (await response.json())["items"]]


async def book(client: Client, start: str | None = None, phone: str = "+15550004001",
               name: str = "Dana Fox") -> tuple[str, str]:
    """A Men's cut with Ana, booked through the API: (appointment id, its manage link)."""
    start = start or (await free_starts(client))[0]
    response = await client.post("/api/v1/appointments", json={
        "service_id": str(MENS_CUT), "staff_id": str(ANA), "start": start,
        "customer": {"name": name, "phone": phone}},
        headers={"Idempotency-Key": uuid4().hex})
    body = await response.json()
    assert response.status == 201, body
    return body["appointment"]["id"], link(client, UUID(body["appointment"]["id"]), "manage")


async def follow_every_link(client: Client, answer: Answer) -> None:
    """Every address the page offers is served (ours) or well formed (a calendar's)."""
    for target in {a.href for a in answer.page.links}:
        if target.startswith(("https://calendar.google.com/", "https://outlook.live.com/")):
            assert "TEMPLATE" in target or "compose" in target
        elif target.startswith("tel:"):
            assert re.fullmatch(r"tel:\+\d{6,15}", target)
        elif target.startswith("/book"):
            continue  # the booking page's own tests serve it
        else:
            response = await client.get(target, allow_redirects=False)
            assert response.status == 200, (target, await response.text())


def secured(answer: Answer) -> None:
    """Not framed, no cache keeps it, and its token never leaves in a Referer."""
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["Cache-Control"] == "no-store"


async def test_manage_page_shows_the_appointment_in_words(gateway: Client) -> None:
    appointment_id, url = await book(gateway)
    answer = await fetch(gateway, "get", url)
    assert answer.status == 200, answer.html
    secured(answer)
    words = answer.words
    for said in ("Your appointment", "Men's cut", "Ana", "$40", "120 Main Street",
                 "free up to 24 hours before the start", "costs $25", "Change the time",
                 "Cancel the appointment", "Add to your calendar"):
        assert said in words, said
    assert re.search(r"\d{4} at \d{1,2}(:\d\d)? [AP]M E[SD]T", words), words
    await follow_every_link(gateway, answer)
    ics = await gateway.get(f"{url}&step=calendar")
    assert ics.status == 200 and ics.content_type == "text/calendar"
    body = await ics.text()
    assert f"UID:{appointment_id}@booking-assistant" in body and "SUMMARY:Men's cut" in body


async def history(uow: DeskUnitOfWork, appointment_id: UUID | str) -> list[tuple[str, str]]:
    async with uow:
        entries = await uow.appointments.history(UUID(str(appointment_id)))
    return [(e.actor.value, e.to_status) for e in entries]


async def test_cancel_states_it_is_free_then_cancels_once(
    gateway: Client, uow: DeskUnitOfWork
) -> None:
    appointment_id, url = await book(gateway)
    manage = await fetch(gateway, "get", url)
    step = await fetch(gateway, "get", manage.page.link("Cancel the appointment"))
    assert step.status == 200 and "Cancelling now is free." in step.words
    form, button = step.page.form_with("Yes, cancel it")
    done = await send(gateway, form, button, reason="Moving house")
    assert done.status == 200 and "Your appointment is cancelled." in done.words, done.words
    assert "This appointment is cancelled" in done.words and "by you" in done.words
    assert "Book again" in done.words and "Change the time" not in done.words
    cancelled = await stored(uow, appointment_id)
    assert cancelled.status is Status.CANCELLED and cancelled.cancellation is not None
    assert cancelled.cancellation.reason == "Moving house"
    again = await send(gateway, form, button, reason="Moving house")  # sent twice
    assert again.url == done.url and again.status == 200
    assert (await history(uow, appointment_id)).count(("customer", "cancelled")) == 1
    await follow_every_link(gateway, done)


async def late_window(session_factory: async_sessionmaker[AsyncSession]) -> None:
    """The Men's cut is free to cancel only 60 days ahead, so any booking is a late one."""
    async with session_factory() as session:
        repository = CatalogRepository(session)
        catalog = await repository.get(demo_id("business/shear-delight"))
        policy = CancellationPolicy(free_cancellation_hours=24 * 60,
                                    late_cancel_fee=Decimal("25.00"))
        services = tuple(replace(s, cancellation=policy) if s.id == MENS_CUT else s
                         for s in catalog.services)
        await repository.save(replace(catalog, services=services))
        await session.commit()


async def test_a_late_cancel_states_its_fee_and_a_changed_fee_is_read_again(
    gateway: Client, uow: DeskUnitOfWork, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    appointment_id, url = await book(gateway)
    step = await fetch(gateway, "get", url + "&step=cancel")
    assert "Cancelling now is free." in step.words
    form, button = step.page.form_with("Yes, cancel it")
    await late_window(session_factory)  # the owner changes the policy meanwhile
    changed = await send(gateway, form, button)
    assert changed.status == 409 and "The fee has changed" in changed.words
    assert "Cancelling now costs $25" in changed.words
    assert (await stored(uow, appointment_id)).status is Status.CONFIRMED
    done = await press(gateway, changed.page, "Cancel and pay $25")
    assert "A late-cancellation fee of $25 applies." in done.words, done.words
    late = await stored(uow, appointment_id)
    assert late.status is Status.LATE_CANCEL and late.cancellation is not None
    assert late.cancellation.fee == Decimal("25.00")
    moving = await fetch(gateway, "get", link(gateway, UUID(appointment_id), "reschedule"))
    assert moving.status == 200 and "Choose a day" not in moving.words


async def test_moving_is_refused_in_words_inside_the_window(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    await late_window(session_factory)
    _, url = await book(gateway)
    step = await fetch(gateway, "get", url + "&step=reschedule")
    assert step.status == 200 and "can only be moved (rescheduled) up to 1440 hours" in (
        step.words)
    assert "Choose a day" not in step.words


async def test_reschedule_picks_a_day_and_a_time_and_moves_once(
    gateway: Client, uow: DeskUnitOfWork
) -> None:
    appointment_id, url = await book(gateway)
    manage = await fetch(gateway, "get", url)
    picker = await fetch(gateway, "get", manage.page.link("Change the time"))
    assert picker.status == 200 and "Choose a day" in picker.words
    await follow_every_link(gateway, picker)
    later = picker.page.link("Later week")
    week = await fetch(gateway, "get", later)
    assert week.status == 200 and "Earlier week" in week.words
    day = next(a.href for a in week.page.links if "day=" in a.href and "free" in a.text)
    chosen = await fetch(gateway, "get", day)
    form, buttons = time_buttons(chosen.page)
    button = buttons[3]
    moved = await send(gateway, form, button)
    assert moved.status == 200 and "Done: your appointment is now" in moved.words, moved.words
    old = await stored(uow, appointment_id)
    assert old.status is Status.RESCHEDULED and old.rescheduled_to is not None
    new = await stored(uow, old.rescheduled_to)
    assert new.status is Status.CONFIRMED and new.start == datetime.fromisoformat(button.value)
    assert token_of(moved.url) != token_of(url)
    again = await send(gateway, form, button)
    assert again.url == moved.url and again.status == 200
    assert (await stored(uow, appointment_id)).rescheduled_to == new.id
    before = await fetch(gateway, "get", url)
    assert "This appointment has moved" in before.words
    assert before.page.link("See the new appointment") == urlsplit(moved.url)._replace(
        query=urlsplit(moved.url).query.replace("&done=rescheduled", "")).geturl()


async def test_a_time_taken_meanwhile_shows_the_nearest_ones(
    gateway: Client, uow: DeskUnitOfWork
) -> None:
    appointment_id, url = await book(gateway)
    picker = await fetch(gateway, "get", url + "&step=reschedule")
    form, buttons = time_buttons(picker.page)
    wanted = buttons[-1]
    await book(gateway, wanted.value, phone="+15550004002", name="Quick Sam")
    lost = await send(gateway, form, wanted)
    assert lost.status == 409 and "that time was just taken" in lost.words, lost.words
    assert "Nearest free times" in lost.words
    assert (await stored(uow, appointment_id)).status is Status.CONFIRMED
    nearest, offered = time_buttons(lost.page)
    assert wanted.value not in [b.value for b in offered]
    moved = await send(gateway, nearest, offered[0])
    assert moved.status == 200 and "Done: your appointment is now" in moved.words
    assert (await stored(uow, appointment_id)).status is Status.RESCHEDULED


async def refused(client: Client, method: str, url: str, status: int, says: str,
                  data: Any = None) -> Answer:
    """A problem page with `status`, in words, with a way forward, never cached or framed."""
    answer = await fetch(client, method, url, data)
    assert answer.status == status, (url, answer.status, answer.words)
    assert says in answer.words, answer.words
    assert answer.page.links and answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["X-Frame-Options"] == "DENY"
    return answer


async def test_a_link_does_only_what_it_was_sent_for(gateway: Client, uow: DeskUnitOfWork
                                                     ) -> None:
    appointment_id, _ = await book(gateway)
    subject = UUID(appointment_id)
    cancel, move = link(gateway, subject, "cancel"), link(gateway, subject, "reschedule")
    await refused(gateway, "get", cancel + "&step=reschedule", 403, "does not let you move")
    await refused(gateway, "post", "/appointments/cancel", 403, "does not let you move",
                  {"token": token_of(cancel), "do": "reschedule", "start": "x"})
    await refused(gateway, "post", "/appointments/reschedule", 403, "does not let you cancel",
                  {"token": token_of(move), "do": "cancel", "fee": "0"})
    await refused(gateway, "post", "/appointments/cancel", 403, "does not let you accept",
                  {"token": token_of(cancel), "do": "accept"})
    await refused(gateway, "post", "/appointments/confirm", 422, "has not changed",
                  {"token": token_of(link(gateway, subject, "confirm")), "do": "accept"})
    elsewhere = await refused(gateway, "get", f"/appointments/manage?token={token_of(cancel)}",
                              403, "This link is for another page")
    right = await fetch(gateway, "get", elsewhere.page.link("Open the page this link is for"))
    assert right.status == 200 and "Cancel your appointment?" in right.words
    assert (await stored(uow, appointment_id)).status is Status.CONFIRMED


async def test_changed_expired_unknown_and_foreign_links_are_refused(
    gateway: Client, uow: DeskUnitOfWork
) -> None:
    mine, url = await book(gateway)
    theirs, _ = await book(gateway, (await free_starts(gateway))[5], phone="+15550004003")
    token = token_of(url)
    body, action, expires, signature = token.split(".")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in (f"{body}.{action}.{expires}.{flipped}",
                f"{UUID(theirs).hex}.{action}.{expires}.{signature}",  # their appointment
                f"{body}.{action}.{int(expires) + 86400}.{signature}", token[:40]):
        await refused(gateway, "get", f"/appointments/manage?token={bad}", 400,
                      "This link is not valid")
    expired = link(gateway, UUID(mine), "manage", datetime.now(UTC) - timedelta(minutes=1))
    await refused(gateway, "get", expired, 410, "This link has expired")
    await refused(gateway, "get", link(gateway, uuid4(), "manage"), 404,
                  "We could not find this appointment")
    offer = link(gateway, uuid4(), "claim").replace("/claim?", "/manage?")
    await refused(gateway, "get", offer, 403, "This link is for another page")
    for odd in ("", "?token=", "?token=%C3%A9t%C3%A9", "?token=" + "a" * 400):
        await refused(gateway, "get", "/appointments/manage" + odd, 400,
                      "This link is incomplete")
    await refused(gateway, "post", "/appointments/manage", 400, "This link is incomplete",
                  {"do": "cancel"})
    await refused(gateway, "get", url + "&step=delete", 404, "There is no such page")
    for appointment_id in (mine, theirs):
        assert (await stored(uow, appointment_id)).status is Status.CONFIRMED


async def test_bad_form_input_is_said_next_to_the_form(gateway: Client, uow: DeskUnitOfWork
                                                       ) -> None:
    appointment_id, url = await book(gateway)
    token = token_of(url)
    for start in ("9999-12-31T10:00:00+00:00", "0001-01-01T00:00:00+00:00",
                  "tomorrow at ten", "2027-03-01T10:00:00", ""):
        answer = await fetch(gateway, "post", "/appointments/manage",
                             {"token": token, "do": "reschedule", "start": start})
        assert answer.status == 422 and "that time could not be read" in answer.words.lower()
        assert "Choose a day" in answer.words
    for day in ("9999-12-31", "0001-01-01", "2026-02-30", "next week", "+99999-01-01"):
        answer = await fetch(gateway, "get", f"{url}&step=reschedule&day={day}")
        assert answer.status == 422 and "Choose a day" in answer.words, (day, answer.words)
        assert re.search(r"choose a (date from|day from the list)", answer.words.lower())
    long = await fetch(gateway, "post", "/appointments/manage",
                       {"token": token, "do": "cancel", "fee": "0", "reason": "x" * 600})
    assert long.status == 422 and "under 500 characters" in long.words
    await refused(gateway, "post", "/appointments/manage", 400, "That form was not complete",
                  {"token": token, "do": "delete"})
    broken = await gateway.post("/appointments/manage", data=b"token=\xff\xfe&do=cancel",
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert broken.status == 400
    assert (await stored(uow, appointment_id)).status is Status.CONFIRMED
    assert await history(uow, appointment_id) == [("customer", "confirmed")]


async def test_owner_cancellation_is_accepted_or_answered_with_a_new_time(
    gateway: Client, uow: DeskUnitOfWork
) -> None:
    appointment_id, manage = await book(gateway)
    await changes.cancel(CancelAppointment(UUID(appointment_id), Actor.OWNER, "Ana is ill"),
                         uow, datetime.now(UTC))
    confirm = await fetch(gateway, "get", link(gateway, UUID(appointment_id), "confirm"))
    assert confirm.status == 200, confirm.words
    assert "Shear Delight Salon had to cancel your appointment" in confirm.words
    assert "(Ana is ill)" in confirm.words and "Nothing is charged" in confirm.words
    accepted = await press(gateway, confirm.page, "That is fine, no new time needed")
    assert "we have noted that the change is fine" in accepted.words, accepted.words
    assert "You told us the change is fine" in accepted.words
    again = await press(gateway, confirm.page, "That is fine, no new time needed")
    assert again.url == accepted.url
    assert (await history(uow, appointment_id)).count(("customer", "cancelled")) == 1
    picker = await fetch(gateway, "get", accepted.page.link("Pick another time"))
    assert picker.status == 200 and "Pick a new time" in picker.words
    form, buttons = time_buttons(picker.page)
    booked = await send(gateway, form, buttons[2])
    assert booked.status == 200 and "Done: your new time is booked." in booked.words
    old = await stored(uow, appointment_id)
    async with uow:
        new = await uow.appointments.by_key(old.business_id, f"rebook:{old.id}")
    assert new is not None and new.status is Status.CONFIRMED
    assert (new.customer_id, new.contact) == (old.customer_id, old.contact)
    assert new.start == datetime.fromisoformat(buttons[2].value)
    twice = await send(gateway, form, buttons[2])
    assert twice.url == booked.url
    from_sms = await fetch(gateway, "get", manage)
    assert "Your new time" in from_sms.words and "Pick another time" not in from_sms.words
    assert (await fetch(gateway, "get", from_sms.page.link("See the new appointment"))
            ).status == 200


async def test_an_owner_move_is_accepted_on_the_new_appointment(
    gateway: Client, uow: DeskUnitOfWork
) -> None:
    appointment_id, _ = await book(gateway)
    starts = await free_starts(gateway, days_ahead=5)
    moved = await changes.reschedule(RescheduleAppointment(
        UUID(appointment_id), datetime.fromisoformat(starts[0]), Actor.OWNER), uow,
        datetime.now(UTC))
    old = await fetch(gateway, "get", link(gateway, UUID(appointment_id), "confirm"))
    assert "This appointment has moved" in old.words
    new = await fetch(gateway, "get", old.page.link("See the new appointment"))
    assert "Shear Delight Salon moved your appointment" in new.words, new.words
    done = await press(gateway, new.page, "The new time is fine")
    assert "we have noted" in done.words and "The new time is fine" not in done.words
    assert ("customer", "confirmed") in await history(uow, moved.new.id)


async def test_past_no_show_and_cancelled_appointments_offer_a_way_forward(
    gateway: Client, uow: DeskUnitOfWork
) -> None:
    missed_id, missed = await book(gateway)
    came_id, came = await book(gateway, (await free_starts(gateway))[8], "+15550004004")
    visit = await stored(uow, came_id)
    await attendance.check_in(visit.id, uow, visit.start - timedelta(minutes=10))
    await attendance.close_past(uow, visit.end + timedelta(days=1))
    no_show = await fetch(gateway, "get", missed)
    assert no_show.status == 200 and "We missed you" in no_show.words
    assert "A no-show fee of $40 applies." in no_show.words
    assert no_show.page.link("Book again") == f"/book/{MENS_CUT}"
    past = await fetch(gateway, "get", came)
    assert "This appointment has passed" in past.words and "Book again" in past.words
    for answer in (no_show, past):
        assert "Change the time" not in answer.words and "calendar" not in answer.words
        await follow_every_link(gateway, answer)
        late = await fetch(gateway, "get", answer.url + "&step=cancel")
        assert late.status == 200 and "Cancel your appointment?" not in late.words
    assert (await stored(uow, missed_id)).status is Status.NO_SHOW
    assert (await stored(uow, came_id)).status is Status.COMPLETED


async def waiting_offer(client: Client, uow: DeskUnitOfWork) -> tuple[UUID, datetime]:
    """Someone waiting for Ana's time, offered it when its customer cancels: (offer, start)."""
    freed_id, _ = await book(client)
    freed = await stored(uow, freed_id)
    other_id, _ = await book(client, (await free_starts(client))[10], "+15550004005", "Kim")
    waiting = (await stored(uow, other_id)).customer_id
    assert waiting is not None
    now = datetime.now(UTC)
    await waitlist.join(waitlist.JoinWaitlist(
        freed.business_id, waiting, MENS_CUT,
        ((freed.start - timedelta(hours=1), freed.start + timedelta(hours=1)),), ANA), uow, now)
    await changes.cancel(CancelAppointment(freed.id, Actor.CUSTOMER), uow, now)
    async with uow:
        [offer] = await uow.desk.open_offers(waiting, now)
    return offer.id, freed.start


async def test_a_waitlist_offer_is_claimed_once(gateway: Client, uow: DeskUnitOfWork) -> None:
    offer_id, start = await waiting_offer(gateway, uow)
    url = link(gateway, offer_id, "claim")
    offer = await fetch(gateway, "get", url)
    assert offer.status == 200 and "A time opened up for you" in offer.words, offer.words
    assert "We are holding it for you until" in offer.words
    secured(offer)
    claims = await asyncio.gather(*(press(gateway, offer.page, "Claim this time")
                                    for _ in range(2)))  # a double click
    again = await press(gateway, offer.page, "Claim this time")  # and the back button
    for claimed in (*claims, again):
        assert claimed.url == claims[0].url and "Done: the time is yours." in claimed.words
    async with uow:
        held = await uow.waitlist.offer(offer_id)
        assert held.hold_id is not None
        appointment = await uow.appointments.get(held.hold_id)
    assert held.status == "claimed" and appointment.status is Status.CONFIRMED
    assert appointment.start == start


async def test_an_expired_offer_offers_the_nearest_times(gateway: Client, uow: DeskUnitOfWork
                                                         ) -> None:
    offer_id, start = await waiting_offer(gateway, uow)
    url = link(gateway, offer_id, "claim")
    async with uow:
        deadline = (await uow.waitlist.offer(offer_id)).expires_at
    await waitlist.expire_offers(uow, deadline + timedelta(minutes=1))
    ended = await fetch(gateway, "get", url)
    assert ended.status == 200 and "This offer has ended" in ended.words, ended.words
    assert "Claim this time" not in ended.words
    late_claim = await fetch(gateway, "post", "/appointments/claim",
                             {"token": token_of(url), "do": "claim"})
    assert "This offer has ended" in late_claim.words
    form, buttons = time_buttons(ended.page)
    booked = await send(gateway, form, buttons[0])
    assert "Your new time is booked" in booked.words, booked.words
    twice = await send(gateway, form, buttons[1])
    assert twice.url == booked.url
    async with uow:
        offer = await uow.waitlist.offer(offer_id)
        entry = await uow.waitlist.entry(offer.entry_id)
        instead = await uow.appointments.by_key(entry.business_id, f"offer:{offer_id}")
    assert offer.status == "expired" and instead is not None
    assert instead.customer_id == entry.customer_id and instead.status is Status.CONFIRMED
    assert instead.start == datetime.fromisoformat(buttons[0].value) != start


google, store = calendar_fixtures.google, calendar_fixtures.store
config, cipher = calendar_fixtures.config, calendar_fixtures.cipher
"""The fake Google of tests/calendar_sync and a connection store pointed at it."""


async def test_a_time_the_owner_is_busy_in_google_is_not_offered_for_the_move(
    database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer], demo: None,
    google: FakeGoogle, store: ConnectionStore, uow: DeskUnitOfWork,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    settings = {"google_client_id": "client-id", "google_client_secret": "secret",
                "google_token_key": "test secret key", "google_api_url": google.api_url,
                "google_oauth_url": google.oauth_url}
    async with gateway_with(database_url, tmp_path, rasa[1].port, **settings) as client:
        appointment_id, url = await book(client)
        booked = await stored(uow, appointment_id)
        day = booked.start.astimezone(booked_zone(booked)).date()
        two = datetime.combine(day, time(14), booked_zone(booked))
        picker = f"{url}&step=reschedule&day={day}"
        before = await fetch(client, "get", picker)
        await connect_staff(google, store, Salon(demo_catalog(), ()), "Ana", "ana@example.com")
        owner_event(google, "ana@example.com", two)
        after = await fetch(client, "get", picker)
        form, buttons = time_buttons(before.page)
        at_two = next(b for b in buttons if datetime.fromisoformat(b.value) == two)
        refused = await send(client, form, at_two)
    starts = [[datetime.fromisoformat(b.value) for b in time_buttons(a.page)[1]]
              for a in (before, after)]
    assert two in starts[0]
    assert starts[1] and not [s for s in starts[1]
                              if two - timedelta(minutes=30) < s < two + timedelta(hours=1)]
    assert refused.status == 409 and "that time was just taken" in refused.words
    assert (await stored(uow, appointment_id)).status is Status.CONFIRMED


def booked_zone(appointment: Appointment) -> ZoneInfo:
    return ZoneInfo(appointment.customer_time_zone)


async def test_twin_submits_racing_each_other_land_on_one_result(
    gateway: Client, uow: DeskUnitOfWork
) -> None:
    """A double click whose two requests arrive together: one change, the same page twice."""
    moved_id, moved_url = await book(gateway)
    cancelled_id, cancelled_url = await book(gateway, (await free_starts(gateway))[6],
                                             phone="+15550004006")
    picker = await fetch(gateway, "get", moved_url + "&step=reschedule")
    form, buttons = time_buttons(picker.page)
    cancel = await fetch(gateway, "get", cancelled_url + "&step=cancel")
    cancel_form, yes = cancel.page.form_with("Yes, cancel it")
    moves = await asyncio.gather(*(send(gateway, form, buttons[4]) for _ in range(2)))
    cancels = await asyncio.gather(*(send(gateway, cancel_form, yes) for _ in range(2)))
    assert moves[0].url == moves[1].url and {a.status for a in moves} == {200}
    assert all("Done: your appointment is now" in a.words for a in moves)
    assert cancels[0].url == cancels[1].url
    assert all("Your appointment is cancelled." in a.words for a in cancels)
    moved = await stored(uow, moved_id)
    assert moved.status is Status.RESCHEDULED
    assert (await history(uow, moved_id)).count(("customer", "rescheduled")) == 1
    assert (await stored(uow, cancelled_id)).status is Status.CANCELLED
    assert (await history(uow, cancelled_id)).count(("customer", "cancelled")) == 1


async def test_a_customer_abroad_reads_their_own_clock_and_the_salons(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession], uow: DeskUnitOfWork
) -> None:
    appointment_id, url = await book(gateway)
    async with session_factory() as session:  # booked by someone chatting from London
        await session.execute(text("UPDATE appointments SET customer_time_zone = "
                                   "'Europe/London' WHERE id = :id"), {"id": appointment_id})
        await session.commit()
    booked = await stored(uow, appointment_id)
    page = await fetch(gateway, "get", url)
    london = formats.long_when(booked.start, ZoneInfo("Europe/London"))
    brooklyn = formats.long_when(booked.start, ZoneInfo("America/New_York"))
    assert london in page.words and "GMT" in london
    assert f"At Shear Delight Salon: {brooklyn}" in page.words
    picker = await fetch(gateway, "get", url + "&step=reschedule")
    assert "your time zone (Europe/London)" in picker.words
    form, buttons = time_buttons(picker.page)
    assert buttons[0].text == formats.clock(datetime.fromisoformat(buttons[0].value),
                                            ZoneInfo("Europe/London"))
