"""What the new-booking pages share: the unit of work, the form checked into a booking, and
the form drawn again with what was typed (the day's free times, the customers found)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aiohttp import web

from assistant.gateway.admin import booking_form as bf
from assistant.gateway.admin import roles
from assistant.gateway.admin.guard import page
from assistant.gateway.admin.session import AdminSession
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.booking_page.contact import _region as phone_region
from assistant.gateway.free_times import FreeDay, FreeTime, Search, free_day
from assistant.gateway.resources import CALENDAR, ENGINE
from assistant.payments.mode import takes_online
from scheduling.availability import AvailabilityQuery
from scheduling.booking import notice, saved_cards
from scheduling.booking.commands import SlotChoice
from scheduling.booking.model import Contact, Participant
from scheduling.catalog import Catalog
from scheduling.desk import customers, desk_booking
from scheduling.desk.series import MAX_EVERY, MAX_OCCURRENCES, Repeat, Unit
from scheduling.errors import DomainError, InvalidRequest, PolicyViolation
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.front_desk_store import FrontDeskUnitOfWork


def uow(request: web.Request) -> FrontDeskUnitOfWork:
    """As `context.uow`, with the new-booking store; Google busy time counts when connected."""
    calendar = request.app.get(CALENDAR)
    return FrontDeskUnitOfWork(make_session_factory(request.app[ENGINE]),
                               busy=calendar.busy if calendar is not None else None)


@dataclass(frozen=True)
class Booking:
    """A form that can be booked: everything chosen and checked."""

    catalog: Catalog
    chosen: bf.Chosen
    start: datetime
    contact: Contact
    proof: customers.Proof
    participants: tuple[Participant, ...]
    repeat: Repeat | None
    waive: bool

    def slot(self, start: datetime | None = None) -> SlotChoice:
        chosen = self.chosen
        return SlotChoice(self.catalog.business.id, chosen.service.id, start or self.start,
                          chosen.staff.id if chosen.staff else None,
                          chosen.location.id if chosen.location else None)


async def checked(request: web.Request, admin: AdminSession,
                  form: dict[str, str]) -> Booking | web.Response:
    """The form as a booking, or the form again (422) saying what is missing or wrong."""
    catalog = await context.catalog(request)
    chosen = _chosen(catalog, admin, form)
    problems = dict(chosen.problems)
    if chosen.start is None:
        problems.setdefault("start", "Choose a time from the list.")
    contact, proof = await _customer(request, catalog, form, problems)
    problems.update(bf.notes_problem(form))
    participants: tuple[Participant, ...] = ()
    repeat = None
    try:
        participants = bf.participants_of(form, chosen.service)
        repeat = bf.repeat_of(form)
    except InvalidRequest as error:
        problems[error.field or "every"] = f"{str(error).capitalize()}."
    if problems or chosen.start is None:
        return await form_page(request, admin, form, 422, problems=problems)
    return Booking(catalog, chosen, chosen.start, contact, proof, participants, repeat,
                   form["waive_notice"] == "yes")


def _chosen(catalog: Catalog, admin: AdminSession, form: dict[str, str]) -> bf.Chosen:
    """The form's choices; a staff account naming another staff member is a 404."""
    scope = roles.staff_scope(admin)
    if scope is not None and form["staff_id"] not in ("", bf.ANYONE, str(scope)):
        raise web.HTTPNotFound(text="no such staff member")
    try:
        return bf.choose(catalog, form, scope, context.now())
    except InvalidRequest as error:
        raise web.HTTPUnprocessableEntity(text=str(error)) from None


async def _customer(request: web.Request, catalog: Catalog, form: dict[str, str],
                    problems: dict[str, str]) -> tuple[Contact, customers.Proof]:
    """The customer picked from the search (of this business), else the one typed in."""
    picked = form["customer_id"]
    if picked in ("", bf.NEW_CUSTOMER):
        contact, wrong = bf.customer_of(form, phone_region(catalog))
        problems.update(wrong)
        return contact, customers.Proof(owner=True)
    customer_id = bf.uuid_or_none(picked)
    async with uow(request) as work:
        ours = customer_id and await work.desk.business_of(customer_id) == catalog.business.id
        profile = await work.catalog.get_customer(customer_id) if customer_id and ours else None
    if profile is None or customer_id is None:
        problems["customer_id"] = "Choose a customer from the list, or a new one."
        return Contact(), customers.Proof(owner=True)
    return (Contact(profile.name, profile.phone, profile.email),
            customers.Proof(customer_id=customer_id, owner=True))


def search_of(chosen: bf.Chosen) -> Search:
    return Search(chosen.service.id, chosen.staff.id if chosen.staff else None,
                  str(chosen.zone), location_id=chosen.location.id if chosen.location else None)


async def form_page(request: web.Request, admin: AdminSession, form: dict[str, str],
                    status: int = 200, problems: Mapping[str, str] | None = None,
                    notice: str | None = None, nearest: tuple[FreeTime, ...] = (),
                    from_link: bool = False) -> web.Response:
    """The form with what was typed, the day's free times (the nearest ones first after a
    lost race) and the customers the search finds. `from_link`: opened from the calendar,
    where a time sooner than the notice allows is a walk-in now (the waiver is ticked)."""
    catalog = await context.catalog(request)
    chosen = _chosen(catalog, admin, form)
    if from_link and not form["waive_notice"] and bf.within_notice(chosen, context.now()):
        form = {**form, "waive_notice": "yes"}  # the calendar's gap for a walk-in now
        notice = notice or ("That time is within the minimum notice, so the notice is "
                            "waived for this booking; untick it to see later times only.")
    shown = {**chosen.problems, **(problems or {})}
    free, seats = await _free(request, catalog, chosen, form, shown)
    matches: list[desk_booking.CustomerMatch] = []
    lookup = desk_booking.Lookup.of(catalog.business.id, form["q"])
    if lookup is not None:
        matches = await desk_booking.find_customers(uow(request), lookup)
    scope = roles.staff_scope(admin)
    return page(request, admin, "booking_new.html", status=status, catalog=catalog,
                chosen=chosen, form=form, problems=shown, notice=notice, nearest=nearest,
                free=free, seats=seats, matches=matches, times=Times(chosen.zone),
                value=lambda name: form.get(name) or {"every": "1", "day": chosen.day.isoformat()}
                .get(name, ""),
                fixed_staff=scope is not None,
                services=[s for s in catalog.services
                          if scope is None or bf.givers(catalog, s, scope)],
                staff=bf.choosable_staff(catalog, chosen.service, chosen.location),
                locations=bf.serving(catalog, chosen.service), units=list(Unit),
                max_every=MAX_EVERY, max_count=MAX_OCCURRENCES,
                deposits_online=await takes_online(request.app, catalog.business.id),
                card_terms=saved_cards.terms(catalog, chosen.service))


async def _free(request: web.Request, catalog: Catalog, chosen: bf.Chosen, form: dict[str, str],
                problems: dict[str, str]) -> tuple[FreeDay | None, dict[datetime, int]]:
    """The chosen day's free times and, for a group service, the seats left at each."""
    now = context.now()
    bookable = (notice.waived(catalog, chosen.service.id) if form["waive_notice"] == "yes"
                else catalog)
    search = search_of(chosen)
    try:
        async with uow(request) as work:
            day = await free_day(work.appointments, bookable, search, chosen.day, now)
    except InvalidRequest as error:
        problems.setdefault("day", f"{str(error).capitalize()}.")
        return None, {}
    if chosen.service.capacity <= 1:
        return day, {}
    start, end = desk_booking.day_range(chosen.day, chosen.zone)
    query = AvailabilityQuery(chosen.service.id, start, end, now, staff_id=search.staff_id,
                              location_id=search.location_id)
    return day, await desk_booking.seats_left(uow(request), bookable, query)


def problem_of(error: DomainError) -> dict[str, str]:
    """A refusal as a problem beside the field it is about."""
    if isinstance(error, PolicyViolation):
        return {"customer_id": f"Not booked: {error}."}
    name = getattr(error, "field", None)
    field = name if name in bf.FIELDS else "start"
    return {field: f"Not booked: {error}."}


def hidden(form: dict[str, str]) -> list[tuple[str, Any]]:
    """The form's fields as hidden inputs of the next step (the series preview)."""
    return [(name, form[name]) for name in bf.FIELDS if form[name]]
