"""Customers prove who they are with a one-time code, then see their bookings; the waitlist.

The code request answers the same whether or not the contact is known, so the endpoint cannot
be used to find out who is a customer.
"""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from assistant.gateway import limits, ratelimit
from assistant.gateway.api import context, serialize
from assistant.gateway.api.appointment_routes import customer_token
from assistant.gateway.api.auth import customer, is_admin, proof, require_admin
from assistant.gateway.api.params import (
    body,
    contact,
    invalid,
    optional_id,
    path_id,
    text,
    uuid_of,
    when_of,
)
from assistant.gateway.api.spec import Op, Param
from assistant.gateway.errors import ApiError
from assistant.gateway.reads import reads
from scheduling import releases_reminders
from scheduling.booking import waitlist
from scheduling.booking.model import Channel, Contact
from scheduling.desk import customers, verification
from scheduling.errors import NotFound

CUSTOMER_TOKEN_LIFETIME = timedelta(days=1)


def _contact(data: dict[str, object]) -> tuple[str | None, str | None]:
    value = text(data, "contact", 320, required=True)
    return (None, value) if "@" in value else (value, None)


async def request_code(request: web.Request) -> web.Response:
    await ratelimit.check(request, "login", ratelimit.client_ip(request))
    data = await body(request)
    phone, email = _contact(data)
    found = await customers.find(context.uow(request), await context.business_id(request),
                                 phone=phone, email=email)
    if found is not None:
        await verification.issue_code(context.uow(request), found.id, phone or email or "",
                                      context.now())
    return web.json_response({"status": "if the contact is known, a code is on its way"},
                             status=202)


async def exchange_code(request: web.Request) -> web.Response:
    await ratelimit.check(request, "login", ratelimit.client_ip(request))
    data = await body(request)
    phone, email = _contact(data)
    code = text(data, "code", 6, required=True)
    found = await customers.find(context.uow(request), await context.business_id(request),
                                 phone=phone, email=email)
    now = context.now()
    if found is None or not await verification.check_code(context.uow(request), found.id,
                                                           code, now):
        raise ApiError(401, "invalid_code", "that code does not match")
    until = now + CUSTOMER_TOKEN_LIFETIME
    return web.json_response({"token": customer_token(request, found.id, until, "customer"),
                              "customer_id": str(found.id), "expires_at": until.isoformat()})


async def my_appointments(request: web.Request) -> web.Response:
    caller = customer(request)
    if caller.subject is None or caller.action != "customer":
        raise ApiError(403, "forbidden", "this token is not a customer token")
    found = await customers.upcoming(context.uow(request), caller.subject, context.now())
    return web.json_response({"items": [serialize.appointment(a) for a in found]})


async def remind_at_release(request: web.Request) -> web.Response:
    """Queue a message for when the service's next release opens to this customer (a token
    proves who they are: the reminder goes to their verified contact)."""
    caller = customer(request)
    if caller.subject is None or caller.action != "customer":
        raise ApiError(403, "forbidden", "this token is not a customer token")
    data = await body(request)
    service_id = uuid_of(data.get("service_id"), "service_id")
    opens = await releases_reminders.remind_at_release(
        context.uow(request), await context.business_id(request), service_id, caller.subject,
        context.now())
    return web.json_response({"opens_at": opens.isoformat()}, status=201)


async def join_waitlist(request: web.Request) -> web.Response:
    await ratelimit.check(request, "api", ratelimit.client_ip(request))
    data = await body(request)
    name, phone, email = contact(data)
    await limits.anonymous_booking(request, phone, email)
    windows = data.get("windows")
    if not isinstance(windows, list) or not 1 <= len(windows) <= 10:
        raise invalid("windows", "1 to 10 {start, end} objects")
    spans = tuple((when_of(_field(w, "start"), "windows.start"),
                   when_of(_field(w, "end"), "windows.end")) for w in windows)
    service_id = uuid_of(data.get("service_id"), "service_id")
    business_id = await context.business_id(request)
    person = await customers.register(context.uow(request), business_id,
                                      Contact(name, phone, email), proof(request), context.now())
    entry = await waitlist.join(waitlist.JoinWaitlist(business_id, person.id, service_id, spans,
                                                      optional_id(data, "staff_id")),
                                context.uow(request), context.now())
    return web.json_response(serialize.waitlist_entry(entry), status=201)


def _field(window: object, name: str) -> object:
    if not isinstance(window, dict):
        raise invalid("windows", "each window is an object with start and end")
    return window.get(name)


async def list_waitlist(request: web.Request) -> web.Response:
    require_admin(request)
    business_id = await context.business_id(request)
    entries = await reads(request).waitlist(business_id, live_only=True, limit=500)
    return web.json_response({"items": [serialize.waitlist_entry(e) for e in entries]})


async def claim_offer(request: web.Request) -> web.Response:
    offer_id = path_id(request, "offer_id")
    if not is_admin(request):
        caller = customer(request)
        if caller.subject != offer_id or caller.action != "claim":
            raise NotFound("waitlist offer", offer_id)
    result = await waitlist.claim(offer_id, f"claim:{offer_id}", context.uow(request),
                                  context.now(), channel=Channel.WEB)
    booked = result.appointment
    return web.json_response({"appointment": serialize.appointment(booked),
                              "replayed": result.replayed,
                              "token": customer_token(request, booked.id,
                                                      booked.end + timedelta(days=30))})


OPS = [
    Op("POST", "/api/v1/auth/code", request_code, "Send a one-time code to a customer's phone "
       "or e-mail (the same answer whether or not it is known)", "Accepted", status=202,
       body="CodeRequest"),
    Op("POST", "/api/v1/auth/token", exchange_code, "Exchange a one-time code for a customer "
       "token", "CustomerToken", body="TokenRequest",
       extra={401: "The code does not match.", 403: "No usable code: ask for a new one."}),
    Op("GET", "/api/v1/me/appointments", my_appointments, "The customer's upcoming appointments",
       "Appointments", auth="customer"),
    Op("POST", "/api/v1/me/release-reminders", remind_at_release, "Be told when the service's "
       "next timed release opens", "ReleaseReminder", status=201, auth="customer",
       body="ReleaseReminderRequest"),
    Op("POST", "/api/v1/waitlist", join_waitlist, "Join the waitlist for a service", 
       "WaitlistEntry", status=201, body="WaitlistRequest"),
    Op("GET", "/api/v1/waitlist", list_waitlist, "Waiting and offered entries", "Waitlist",
       auth="admin"),
    Op("POST", "/api/v1/waitlist/offers/{offer_id}/claim", claim_offer,
       "Book the slot a waitlist offer holds (with the offer's claim link token)", "Booked",
       auth="either", extra={409: "The offer has expired."},
       params=(Param("offer_id", "path", {"type": "string", "format": "uuid"}, True),)),
]
