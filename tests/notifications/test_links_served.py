"""Every link in every message is served: the demo salon's real appointments go through the use
cases that write the outbox (book, reschedule, owner and customer cancellations, a waitlist
offer, a no-show, the staff's agenda, a one-time code, a request for a person, a failure
alert, a fee's pay link), each message is rendered as the dispatcher renders it (short link
included), and each link in its e-mail text, HTML and SMS is opened on the gateway: it
answers 200, after following a short link's redirect. Calendar links leave for Google and
Outlook, so they are checked for form only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from html import unescape
from typing import Any
from urllib.parse import parse_qs, urlsplit
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from assistant.notifications.audience import AudienceLoader
from assistant.notifications.dispatcher import KINDS
from assistant.notifications.planning import short_link_request
from assistant.notifications.render import Rendered, Renderer
from scheduling.booking import agenda, attendance, changes, fees, waitlist
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor
from scheduling.demo import demo_id
from scheduling.desk.handoff import request_person
from scheduling.notifications.delivery import Claimed
from scheduling.persistence import short_links
from scheduling.persistence.delivery_reads import delivery_reads
from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.release_store import ReleaseStore
from scheduling.releases import Period, ReleaseRule
from scheduling.releases_reminders import remind_at_release
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
Factory = async_sessionmaker[AsyncSession]
PUBLIC_URL = "https://book.example-salon.com"
MENS_CUT, ANA = demo_id("service/Men's cut"), demo_id("staff/ana")
COLOUR = demo_id("service/Colour")
URL = re.compile(r"https?://[^\s\"'<>]+")
CALENDARS = {"calendar.google.com": ("dates", "text"), "outlook.live.com": ("startdt", "enddt")}


async def free_starts(client: Client, service: UUID = MENS_CUT) -> list[str]:
    start = datetime.now(UTC) + timedelta(days=3)
    response = await client.get("/api/v1/availability", params={
        "service_id": str(service), "staff_id": str(ANA), "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})
    return [s["start"] for s in (await response.json())["items"]]


async def book(client: Client, start: str, phone: str, name: str = "Dana Fox",
               service: UUID = MENS_CUT) -> UUID:
    """A Men's cut (or `service`) with Ana booked through the API by the owner (no anonymous
    caps), with a phone and an e-mail address."""
    response = await client.post("/api/v1/appointments", json={
        "service_id": str(service), "staff_id": str(ANA), "start": start,
        "customer": {"name": name, "phone": phone, "email": f"{phone[1:]}@example.com"}},
        headers={"Idempotency-Key": uuid4().hex, "X-API-Key": API_KEY})
    body = await response.json()
    assert response.status == 201, body
    return UUID(body["appointment"]["id"])


async def every_kind_of_message(client: Client, uow: DeskUnitOfWork) -> None:
    """The outbox filled by the use cases, one or more messages of each kind."""
    starts, now = await free_starts(client), datetime.now(UTC)
    await book(client, starts[0], "+15550005001")  # confirmation, owner notice, reminders
    moved = await book(client, starts[2], "+15550005002")
    await changes.reschedule(RescheduleAppointment(moved, datetime.fromisoformat(starts[4])),
                             uow, now)
    dropped = await book(client, starts[6], "+15550005003")
    await changes.cancel(CancelAppointment(dropped, Actor.OWNER, "Ana is ill"), uow, now)
    freed = await book(client, starts[8], "+15550005004")
    waiting = await book(client, starts[10], "+15550005005", "Kim Lee")
    async with uow:
        freed_at = (await uow.appointments.get(freed)).start
        customer = (await uow.appointments.get(waiting)).customer_id
    assert customer is not None
    window = ((freed_at - timedelta(hours=1), freed_at + timedelta(hours=1)),)
    await waitlist.join(waitlist.JoinWaitlist(demo_id("business/shear-delight"), customer,
                                              MENS_CUT, window, ANA), uow, now)
    await changes.cancel(CancelAppointment(freed, Actor.CUSTOMER), uow, now)  # the offer
    missed = await book(client, starts[12], "+15550005006")
    async with uow:
        missed_end = (await uow.appointments.get(missed)).end
    await attendance.close_past(uow, missed_end + timedelta(minutes=1))  # no-show follow-up
    business = demo_id("business/shear-delight")
    await agenda.queue_daily_agendas(uow, business, freed_at.replace(hour=14))
    await request_person(uow, business, "web:links-test", "web", "a person, please", now)
    answer = await client.post("/api/v1/auth/code", json={"contact": "+15550005001"})
    assert answer.status == 202
    await _online_deposits(uow, business)  # a deposit to pay online: the pay link
    await book(client, (await free_starts(client, COLOUR))[-1], "+15550005007",
               service=COLOUR)
    await _fee_asked(uow, await book(client, starts[14], "+15550005008"), now)
    await _release_reminder(uow, business, customer, now)


async def _release_reminder(uow: DeskUnitOfWork, business: UUID, customer: UUID,
                            now: datetime) -> None:
    """A customer asks to be told when the Men's cuts of the week after next open."""
    rule = ReleaseRule(uuid4(), business, Period.WEEK, time(18), weekday=6, lead=2,
                       service_id=MENS_CUT)
    async with uow:
        await ReleaseStore(uow.session).add_rule(rule, now)
        await uow.commit()
    await remind_at_release(uow, business, MENS_CUT, customer, now)


async def _fee_asked(uow: DeskUnitOfWork, appointment_id: UUID, now: datetime) -> None:
    """A no-show with payments online: its fee's charge is queued, and with no card saved
    the fee worker asks for it with a pay link (`fees.pay_link`)."""
    async with uow:
        end = (await uow.appointments.get(appointment_id)).end
    await attendance.close_past(uow, end + timedelta(hours=1))
    async with uow:
        payload = (await uow.session.execute(text(
            "SELECT payload FROM outbox WHERE kind = 'fee_charge' AND appointment_id = :a"),
            {"a": appointment_id})).scalar_one()
        await uow.outbox.add([fees.pay_link(appointment_id, payload, False, now)], now)
        await uow.commit()


async def _online_deposits(uow: DeskUnitOfWork, business: UUID) -> None:
    """The business takes deposits online (a booking with one waits for it)."""
    async with uow:
        await uow.session.execute(text(
            "INSERT INTO booking_rules (business_id, max_active_per_customer, require_approval,"
            " hold_minutes, claim_window_minutes, no_show_grace_minutes, deposits_online)"
            " VALUES (:b, 5, false, 5, 120, 15, true) ON CONFLICT (business_id)"
            " DO UPDATE SET deposits_online = true"), {"b": business})
        await uow.commit()


async def outbox(factory: Factory) -> list[Claimed]:
    async with factory() as session:
        rows = await session.scalars(select(OutboxRow).where(OutboxRow.kind.in_(KINDS)))
        return [Claimed(r.id, r.kind, r.payload, r.due_at, 0, r.appointment_id, uuid4())
                for r in rows]


def owner_alert(about: Claimed) -> Claimed:
    """The alert the dispatcher queues when a message fails for good (`outbox_store._alert`)."""
    payload = about.payload | {"failed_kind": about.kind, "error": "HTTP 400 from SendGrid"}
    return Claimed(uuid4(), "owner_alert", payload, about.due_at, 0, about.appointment_id,
                   uuid4())


async def rendered(factory: Factory, renderer: Renderer, messages: list[Claimed]
                   ) -> list[tuple[str, Rendered]]:
    """Each message as the dispatcher renders it, with the short link it issues."""
    now = datetime.now(UTC)
    wanted = {m.id: r for m in messages if (r := short_link_request(renderer, m))}
    codes = await short_links.issue(factory, wanted.values(), now)
    out = []
    async with delivery_reads(factory) as reads:
        loader = AudienceLoader(reads)
        for m in messages:
            audience = await loader.load(m.kind, m.payload, m.appointment_id)
            request = wanted.get(m.id)
            code = codes[(request.subject, request.action)] if request else None
            out.append((renderer.template_kind(m.kind, m.payload),
                        renderer.render(m.kind, m.payload, audience, now, code)))
    return out


def urls(message: Rendered) -> set[str]:
    found = URL.findall(message.text) + URL.findall(message.sms or "")
    found += [unescape(u) for u in re.findall(r'href="([^"]+)"', message.html)]
    return {u.rstrip(".,;") for u in found}


def well_formed_calendar_link(url: str) -> None:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert parts.scheme == "https" and parts.hostname in CALENDARS, url
    assert all(query.get(name) for name in CALENDARS[parts.hostname]), url
    if parts.hostname == "calendar.google.com":
        assert re.fullmatch(r"\d{8}T\d{6}Z/\d{8}T\d{6}Z", query["dates"][0]), url


async def served(client: Client, url: str) -> tuple[int, str]:
    """GET our own address on the test gateway, following redirects as a browser does."""
    path = url.removeprefix(PUBLIC_URL)
    response = await client.get(path, allow_redirects=False)
    while response.status in (301, 302, 303):
        path = response.headers["Location"]
        response = await client.get(path, allow_redirects=False)
    return response.status, path


async def test_every_link_in_every_message_is_served(
    gateway: Client, session_factory: Factory
) -> None:
    uow = DeskUnitOfWork(session_factory)
    await every_kind_of_message(gateway, uow)
    messages = await outbox(session_factory)
    messages.append(owner_alert(messages[0]))
    renderer = Renderer(links.link_key(gateway.server.app[SETTINGS]), PUBLIC_URL)
    every = await rendered(session_factory, renderer, messages)
    kinds = {kind for kind, _ in every}
    assert kinds == set(KINDS) | {"owner_change"}, kinds
    followed: dict[str, Any] = {}
    for kind, message in every:
        if kind in links.SMS_ACTIONS or kind == "no_show":
            assert message.sms and URL.search(message.sms), (kind, message.sms)
        for url in urls(message):
            if url.startswith(PUBLIC_URL):
                followed[url] = followed.get(url) or (kind, *await served(gateway, url))
            else:
                well_formed_calendar_link(url)
    failures = {url: seen for url, seen in followed.items() if seen[1] != 200}
    assert not failures, failures
    opened = {urlsplit(seen[2]).path for seen in followed.values()}
    assert opened >= {"/appointments/manage", "/appointments/cancel", "/appointments/reschedule",
                      "/appointments/confirm", "/appointments/claim", f"/book/{MENS_CUT}"}
    assert any("/a/" in url for url in followed)
