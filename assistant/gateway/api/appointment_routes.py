"""Appointments: book (with an Idempotency-Key), list, read, cancel, move, check in, status.

Admins act as the owner; a customer acts on their own appointment with its signed link token
(or a token from a one-time code), and anything else of theirs is simply not found.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from uuid import UUID

from aiohttp import web

from assistant.gateway import limits, ratelimit, waiting_room_gate
from assistant.gateway.api import context, serialize
from assistant.gateway.api.auth import Caller, admin_or_customer, proof, require_admin
from assistant.gateway.api.params import (
    HISTORY,
    body,
    contact,
    invalid,
    optional_id,
    path_id,
    query_id,
    query_int,
    query_when,
    text,
    uuid_of,
    when_of,
)
from assistant.gateway.api.spec import Op, Param
from assistant.gateway.metrics import METRICS
from assistant.gateway.reads import reads
from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from scheduling.booking import attendance, changes
from scheduling.booking.commands import (
    BookAppointment,
    CancelAppointment,
    RescheduleAppointment,
    SlotChoice,
)
from scheduling.booking.model import Actor, Appointment, Channel, Contact, Status
from scheduling.desk import customers
from scheduling.errors import NotFound, SlotUnavailable
from scheduling.persistence.admin_reads import Filters

ID = Param("appointment_id", "path", {"type": "string", "format": "uuid"}, True)
TOKEN_LIFETIME = timedelta(days=30)


def customer_token(
    request: web.Request, subject: UUID, until: datetime, action: str = "manage"
) -> str:
    key = links.link_key(request.app[SETTINGS])
    return links.sign(key, subject, action, until)


KEY = re.compile(r"^[\x21-\x7e]{1,100}$")


def idempotency_key(request: web.Request) -> str:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not KEY.match(key):
        raise invalid("Idempotency-Key", "the header is required (1-100 visible ASCII characters)")
    return key


async def create_appointment(request: web.Request) -> web.Response:
    await ratelimit.check(request, "api", ratelimit.client_ip(request))
    key, data = idempotency_key(request), await body(request)
    service_id = uuid_of(data.get("service_id"), "service_id")
    start = when_of(data.get("start"), "start")
    staff_id, notes = optional_id(data, "staff_id"), text(data, "notes", 1000)
    name, phone, email = contact(data)
    await limits.anonymous_booking(request, phone, email)
    business_id, who = await context.business_id(request), proof(request)
    place = optional_id(data, "location_id")
    command = BookAppointment(SlotChoice(business_id, service_id, start, staff_id, place), None,
                              f"api:{key}", channel=Channel.ADMIN if who.owner else Channel.API,
                              notes=notes, contact=Contact(name, phone, email))
    try:
        async with waiting_room_gate.admitted(request, service_id, start, who):
            result = await customers.book_for(command, who, context.uow(request), context.now())
    except SlotUnavailable:
        request.app[METRICS].conflicts.inc(channel="api")
        raise
    if not result.replayed:
        request.app[METRICS].api_bookings.inc()
    booked = result.appointment
    token = customer_token(request, booked.id, booked.end + TOKEN_LIFETIME)
    return web.json_response({"appointment": serialize.appointment(booked),
                              "replayed": result.replayed, "token": token},
                             status=200 if result.replayed else 201)


async def list_appointments(request: web.Request) -> web.Response:
    require_admin(request)
    statuses = tuple(_status(s) for s in request.query.get("status", "").split(",") if s)
    staff, service = query_id(request, "staff_id"), query_id(request, "service_id")
    channel, place = request.query.get("channel"), query_id(request, "location_id")
    filters = Filters(await context.business_id(request),
                      query_when(request, "from", window=HISTORY),
                      query_when(request, "until", window=HISTORY), statuses,
                      (staff,) if staff else (),
                      (service,) if service else (), query_id(request, "customer_id"),
                      (channel,) if channel else (),
                      (place,) if place else ())
    limit = query_int(request, "limit", 50, 1, 200)
    page = await reads(request).listing(filters, limit, request.query.get("cursor"))
    return web.json_response({"items": [serialize.appointment(a) for a in page.items],
                              "next_cursor": page.next_cursor})


def _status(value: str) -> Status:
    try:
        return Status(value)
    except ValueError:
        raise invalid("status", f"unknown status {value!r}") from None


async def _own(request: web.Request, caller: Caller, verb: str) -> Appointment:
    """The appointment in the path, if this caller may `verb` it; NotFound otherwise."""
    appointment_id = path_id(request, "appointment_id")
    async with context.uow(request) as work:
        found = await work.appointments.get(appointment_id)
    if caller.admin:
        return found
    if caller.action == "customer" and caller.subject is not None:
        async with context.uow(request) as work:
            mine = customers.holds(await work.catalog.get_customer(caller.subject), found)
    else:
        mine = caller.subject == found.id and caller.action in ("manage", verb)
    if not mine:
        raise NotFound("appointment", appointment_id)
    return found


async def get_appointment(request: web.Request) -> web.Response:
    found = await _own(request, admin_or_customer(request), "manage")
    return web.json_response(serialize.appointment(found))


async def appointment_status(request: web.Request) -> web.Response:
    found = await _own(request, admin_or_customer(request), "manage")
    async with context.uow(request) as work:
        history = await work.appointments.history(found.id)
    return web.json_response({"id": str(found.id), "status": found.status.value,
                              "history": [serialize.audit(e) for e in history]})


async def cancel_appointment(request: web.Request) -> web.Response:
    caller = admin_or_customer(request)
    found = await _own(request, caller, "cancel")
    reason = text(await body(request), "reason", 500)
    by = Actor.OWNER if caller.admin else Actor.CUSTOMER
    result = await changes.cancel(CancelAppointment(found.id, by, reason), context.uow(request),
                                  context.now())
    return web.json_response({"appointment": serialize.appointment(result.appointment),
                              "fee": str(result.fee), "refund": str(result.refund)})


async def reschedule_appointment(request: web.Request) -> web.Response:
    caller = admin_or_customer(request)
    found = await _own(request, caller, "reschedule")
    data = await body(request)
    command = RescheduleAppointment(
        found.id, when_of(data.get("start"), "start"),
        Actor.OWNER if caller.admin else Actor.CUSTOMER, optional_id(data, "staff_id"),
        reason=text(data, "reason", 500))
    try:
        result = await changes.reschedule(command, context.uow(request), context.now())
    except SlotUnavailable:
        request.app[METRICS].conflicts.inc(channel="api")
        raise
    return web.json_response({"old": serialize.appointment(result.old),
                              "new": serialize.appointment(result.new)})


async def check_in(request: web.Request) -> web.Response:
    require_admin(request)
    appointment_id = path_id(request, "appointment_id")
    result = await attendance.check_in(appointment_id, context.uow(request),
                                       datetime.now(UTC))
    return web.json_response(serialize.appointment(result.appointment))


def _q(name: str, schema: dict[str, object], text: str = "") -> Param:
    return Param(name, "query", schema, False, text)


UUID_Q, WHEN_Q = {"type": "string", "format": "uuid"}, {"type": "string", "format": "date-time"}
BASE = "/api/v1/appointments"
OPS = [
    Op("POST", BASE, create_appointment, "Book an appointment (the customer is registered by "
       "phone or e-mail); needs an Idempotency-Key header", "Booked", status=201,
       body="BookRequest", replay=True,
       extra={409: "The slot is taken; `alternatives` lists the nearest.",
              403: "A booking policy refuses it; `policy` names it."},
       params=(Param("Idempotency-Key", "header", {"type": "string", "pattern": KEY.pattern},
                     True),)),
    Op("GET", BASE, list_appointments, "Appointments by filters, paged by cursor",
       "AppointmentPage", auth="admin",
       params=(_q("status", {"type": "string"}, "comma-separated statuses"),
               _q("staff_id", UUID_Q), _q("service_id", UUID_Q), _q("customer_id", UUID_Q),
               _q("channel", {"type": "string"}), _q("location_id", UUID_Q), _q("from", WHEN_Q),
               _q("until", WHEN_Q),
               _q("limit", {"type": "integer", "minimum": 1, "maximum": 200}),
               _q("cursor", {"type": "string"}))),
    Op("GET", BASE + "/{appointment_id}", get_appointment, "One appointment", "Appointment",
       auth="either", params=(ID,)),
    Op("GET", BASE + "/{appointment_id}/status", appointment_status,
       "Current status and the audit trail", "AppointmentStatus", auth="either", params=(ID,)),
    Op("POST", BASE + "/{appointment_id}/cancel", cancel_appointment,
       "Cancel under the cancellation policy (the fee, if any, is returned)", "Cancelled",
       auth="either", params=(ID,), body="CancelRequest"),
    Op("POST", BASE + "/{appointment_id}/reschedule", reschedule_appointment,
       "Move to another time (and optionally another staff member)", "Rescheduled",
       auth="either", params=(ID,), body="RescheduleRequest",
       extra={409: "The new slot is taken; `alternatives` lists the nearest."}),
    Op("POST", BASE + "/{appointment_id}/check-in", check_in,
       "Record the customer's arrival (from an hour before the start)", "Appointment",
       auth="admin", params=(ID,)),
]
