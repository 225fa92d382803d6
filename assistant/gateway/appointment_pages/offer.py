"""`/appointments/claim?token=…`: a waitlist offer, its time held until a deadline.

Open, it shows the time and the deadline, and "claim" books it (`waitlist.claim`, keyed by the
offer, so a second submit replays). Claimed, it shows the appointment. Expired, or gone to
someone else, it says so and lists the nearest free times (`placement.alternatives`, the one
availability path); choosing one books it for the same customer, once per offer.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from aiohttp import web

from assistant.gateway import pages
from assistant.gateway.api import context
from assistant.gateway.appointment_pages.access import Access, verified
from assistant.gateway.appointment_pages.facts import Facts, Slot, facts, slot_facts
from assistant.gateway.appointment_pages.inputs import Form, field, read_start
from assistant.gateway.appointment_pages.problems import (
    NO_STORE,
    Problem,
    Way,
    book_again,
    call_us,
    sentence,
    shown,
)
from assistant.gateway.free_times import FreeTime, Search, worded
from scheduling import formats
from scheduling.booking import services, waitlist
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.model import Appointment, Channel
from scheduling.booking.placement import alternatives
from scheduling.booking.values import Offer, WaitlistEntry
from scheduling.catalog import Catalog, zone
from scheduling.errors import InvalidRequest, NotFound, PolicyViolation, SlotUnavailable
from scheduling.ports import BookingUnitOfWork

DONE = {"claimed": "Done: the time is yours.", "booked": "Done: your new time is booked."}
"""A form's result, said when the offer is in the state of that name."""


def claim_key(offer_id: UUID) -> str:
    return f"claim:{offer_id}"


def instead_key(offer_id: UUID) -> str:
    return f"offer:{offer_id}"


@dataclass(frozen=True, slots=True)
class OfferStanding:
    catalog: Catalog
    offer: Offer
    entry: WaitlistEntry
    time_zone: str
    appointment: Appointment | None
    """The held time while the offer is open, the appointment once claimed, or the time the
    customer booked instead of an expired offer."""
    nearest: tuple[FreeTime, ...]
    now: datetime

    @property
    def state(self) -> str:
        """open, claimed, booked (another time, after it expired) or expired."""
        offer = self.offer
        if offer.status == "claimed":
            return "claimed"
        if self.appointment is not None and self.appointment.id != offer.hold_id:
            return "booked"
        live = offer.status == "offered" and offer.expires_at > self.now
        return "open" if live and self.appointment is not None else "expired"

    def search(self) -> Search:
        return Search(self.entry.service_id, self.entry.staff_id, self.time_zone)

    def facts(self) -> Facts:
        if self.appointment is not None:
            return facts(self.catalog, self.appointment)
        duration = self.catalog.service(self.entry.service_id).duration
        slot = Slot(self.entry.service_id, self.offer.staff_id, self.offer.start,
                    self.offer.start + duration, self.time_zone)
        return slot_facts(self.catalog, slot, "")


async def offer_standing(uow: BookingUnitOfWork, offer_id: UUID, now: datetime
                         ) -> OfferStanding:
    async with uow:
        offer = await uow.waitlist.offer(offer_id)
        entry = await uow.waitlist.entry(offer.entry_id)
        catalog = await uow.catalog.get(entry.business_id)
        customer = await uow.catalog.get_customer(entry.customer_id)
        time_zone = customer.time_zone or catalog.business.time_zone
        shown = await uow.appointments.by_key(entry.business_id, instead_key(offer.id))
        if shown is None and offer.hold_id is not None:
            shown = await _held(uow, offer.hold_id)
        nearest: tuple[FreeTime, ...] = ()
        if shown is None or (offer.status == "offered" and offer.expires_at <= now):
            choice = SlotChoice(entry.business_id, entry.service_id, max(offer.start, now),
                                entry.staff_id)
            found = await alternatives(uow.appointments, catalog, choice, 1, now)
            search = Search(entry.service_id, entry.staff_id, time_zone)
            nearest = worded(found, catalog, search, now)
    return OfferStanding(catalog, offer, entry, time_zone, shown, nearest, now)


async def _held(uow: BookingUnitOfWork, hold_id: UUID) -> Appointment | None:
    """The held slot, or the appointment it became; None once an expired hold is released."""
    try:
        return await uow.appointments.get(hold_id)
    except NotFound:
        return None


def offer_page(request: web.Request, access: Access, seen: OfferStanding, status: int = 200,
               done: str | None = None, error: str = "",
               nearest: tuple[FreeTime, ...] = ()) -> web.Response:
    business = seen.catalog.business
    response = pages.render(
        request, "customer/claim.html", status, business_name=business.name,
        seen=seen, facts=seen.facts(), access=access, form_action="/appointments/claim",
        deadline=formats.long_when(seen.offer.expires_at, zone(seen.time_zone)),
        nearest=nearest or seen.nearest, error=error,
        done=DONE[seen.state] if done == seen.state else "",
        book_again=book_again(seen.entry.service_id).href, ways=call_us(business))
    response.headers.update(NO_STORE)
    return response


async def _opened(request: web.Request, token: str | None) -> tuple[Access, OfferStanding]:
    now = context.now()
    access = verified(request, "claim", token, now)
    return access, await offer_standing(context.uow(request), access.subject, now)


@shown
async def show(request: web.Request) -> web.StreamResponse:
    access, seen = await _opened(request, request.query.get("token"))
    return offer_page(request, access, seen, done=request.query.get("done"))


@shown
async def act(request: web.Request) -> web.StreamResponse:
    form: Form = await request.post()
    access, seen = await _opened(request, field(form, "token"))
    verb = field(form, "do")
    if verb == "claim":
        return await _claim(request, access, seen)
    if verb == "book":
        return await _book_instead(request, access, seen, form)
    raise Problem(400, "That form was not complete", "Please use the buttons on the page.",
                  (Way(access.url(), "See the offer"),))


async def _claim(request: web.Request, access: Access, seen: OfferStanding
                 ) -> web.StreamResponse:
    if seen.state == "open":
        with suppress(SlotUnavailable):  # claimed by a twin of this submit, or just expired
            await waitlist.claim(seen.offer.id, claim_key(seen.offer.id), context.uow(request),
                                 seen.now, Channel.WEB)
    raise web.HTTPSeeOther(access.url(done="claimed"))  # the page says which


async def _book_instead(request: web.Request, access: Access, seen: OfferStanding, form: Form
                        ) -> web.StreamResponse:
    """One of the nearest free times, for the customer of the offer, once per offer."""
    if seen.state != "expired":
        raise web.HTTPSeeOther(access.url(done="booked"))
    entry = seen.entry
    try:
        start = read_start(field(form, "start"), seen.now)
        command = BookAppointment(SlotChoice(entry.business_id, entry.service_id, start,
                                             entry.staff_id), entry.customer_id,
                                  instead_key(seen.offer.id), Channel.WEB, seen.time_zone)
        await services.book(command, context.uow(request), seen.now)
    except SlotUnavailable as lost:
        return offer_page(request, access, seen, 409, error="Sorry, that time was just taken. "
                          "The nearest free times are below.",
                          nearest=worded(lost.alternatives, seen.catalog, seen.search(),
                                         seen.now))
    except (InvalidRequest, PolicyViolation) as refused:
        return offer_page(request, access, seen, 422, error=sentence(str(refused)))
    raise web.HTTPSeeOther(access.url(done="booked"))
