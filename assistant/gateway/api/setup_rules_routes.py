"""Admin REST for the business profile, booking rules, reminder lead times, the blocklist and
the business's own parts of messages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from aiohttp import web

from assistant.gateway.api import context
from assistant.gateway.api.auth import require_admin
from assistant.gateway.api.params import email_of, invalid, path_id, phone_of, text, uuid_of
from assistant.gateway.api.setup_answers import admin_body, changed, notify_flag
from assistant.gateway.api.setup_resources import PARTS, PROFILE, RULES, Profile
from assistant.gateway.api.setup_routes import ID
from assistant.gateway.api.spec import Op, Param
from scheduling.catalog import Catalog
from scheduling.desk.setup import rules
from scheduling.desk.setup.business import EditBusiness, edit_business
from scheduling.desk.setup.services import MAX_OFFSETS, SetReminders, reminders_of, set_reminders
from scheduling.desk.setup.values import Block

WHO = ("customer_id", "phone", "email")
BLOCK_FIELDS = frozenset({*WHO, "reason"})
CUSTOMER = Param("customer_id", "path", {"type": "string", "format": "uuid"})


def _profile(catalog: Catalog) -> dict[str, Any]:
    return {"id": str(catalog.business.id)} | PROFILE.to_json(Profile.of(catalog.business))


async def get_admin_business(request: web.Request) -> web.Response:
    require_admin(request)
    return web.json_response(_profile(await context.catalog(request)))


async def edit_admin_business(request: web.Request) -> web.Response:
    """A new zone or shorter cancellation terms apply from now on; the answer lists the
    appointments the change strands (none for a profile, kept for one shape of answer)."""
    data = await admin_body(request)
    rebook = notify_flag(data)
    catalog = await context.catalog(request)
    profile = PROFILE.read(data, Profile.of(catalog.business))
    command = EditBusiness(catalog.business.id, profile.name, profile.time_zone, profile.contact,
                           profile.policies, catalog.business)
    done = await edit_business(command, context.uow(request), context.now())
    return await changed(request, done, _profile(done.catalog), rebook)


async def get_booking_rules(request: web.Request) -> web.Response:
    require_admin(request)
    found = await rules.rules_of(await context.business_id(request), context.uow(request))
    return web.json_response(RULES.to_json(found))


async def edit_booking_rules(request: web.Request) -> web.Response:
    data = await admin_body(request)
    business_id = await context.business_id(request)
    current = await rules.rules_of(business_id, context.uow(request))
    updated = RULES.read(data, current)
    await rules.set_rules(business_id, updated, context.uow(request), current)
    return web.json_response(RULES.to_json(updated))


async def get_messages(request: web.Request) -> web.Response:
    require_admin(request)
    parts = await rules.message_parts_of(await context.business_id(request),
                                         context.uow(request))
    return web.json_response(PARTS.to_json(parts))


async def edit_messages(request: web.Request) -> web.Response:
    data = await admin_body(request)
    business_id = await context.business_id(request)
    current = await rules.message_parts_of(business_id, context.uow(request))
    parts = PARTS.read(data, current)
    await rules.set_message_parts(business_id, parts, context.uow(request), current)
    return web.json_response(PARTS.to_json(parts))


def _offsets_json(offsets: tuple[timedelta, ...]) -> dict[str, Any]:
    return {"offsets_minutes": [int(o.total_seconds() // 60) for o in offsets]}


def _offsets_of(data: dict[str, Any]) -> tuple[timedelta, ...]:
    listed = data.get("offsets_minutes")
    if (set(data) != {"offsets_minutes"} or not isinstance(listed, list)
            or len(listed) > MAX_OFFSETS
            or not all(type(m) is int and 1 <= m <= 60 * 24 * 30 for m in listed)):
        raise invalid("offsets_minutes", f"must be at most {MAX_OFFSETS} whole minutes, "
                                         "each from 1 to 43200")
    return tuple(timedelta(minutes=m) for m in listed)


async def _scope(request: web.Request) -> tuple[UUID, UUID]:
    business_id = await context.business_id(request)
    return business_id, (path_id(request, "id") if "id" in request.match_info else business_id)


async def get_reminders(request: web.Request) -> web.Response:
    require_admin(request)
    business_id, scope = await _scope(request)
    return web.json_response(_offsets_json(await reminders_of(business_id, scope,
                                                              context.uow(request))))


async def edit_reminders(request: web.Request) -> web.Response:
    offsets = _offsets_of(await admin_body(request))
    business_id, scope = await _scope(request)
    saved = await set_reminders(SetReminders(business_id, scope, offsets), context.uow(request))
    return web.json_response(_offsets_json(saved))


async def get_service_reminders(request: web.Request) -> web.Response:
    return await get_reminders(request)


async def edit_service_reminders(request: web.Request) -> web.Response:
    return await edit_reminders(request)


async def _blocklist(request: web.Request) -> web.Response:
    found = await rules.blocked(await context.business_id(request), context.uow(request))
    return web.json_response({"items": [{
        "customer_id": str(b.customer_id), "name": b.name, "reason": b.reason,
        "created_at": None if b.created_at is None else b.created_at.isoformat(),
    } for b in found]})


async def get_blocklist(request: web.Request) -> web.Response:
    require_admin(request)
    return await _blocklist(request)


async def add_block(request: web.Request) -> web.Response:
    """By customer id, or by the phone or e-mail a customer booked with (found as a booking
    with it finds them); a contact no one booked with is a 404."""
    data = await admin_body(request)
    if set(data) - BLOCK_FIELDS:
        raise invalid(sorted(set(data) - BLOCK_FIELDS)[0], "is not a field")
    if sum(data.get(name) is not None for name in WHO) != 1:
        raise invalid("customer_id", "name the customer by one of customer_id, phone or email")
    reason, business_id = text(data, "reason", 500), await context.business_id(request)
    if data.get("customer_id") is not None:
        block = Block(uuid_of(data["customer_id"], "customer_id"), reason, context.now())
        await rules.block(rules.BlockCustomer(business_id, block), context.uow(request))
    else:
        command = rules.BlockContact(business_id, phone_of(data, "phone", "phone"),
                                     email_of(data, "email", "email"), reason, context.now())
        await rules.block_contact(command, context.uow(request))
    return await _blocklist(request)


async def remove_block(request: web.Request) -> web.Response:
    require_admin(request)
    business_id = await context.business_id(request)
    await rules.unblock(business_id, path_id(request, "customer_id"), context.uow(request))
    return await _blocklist(request)


ADMIN = "/api/v1/admin"
OPS = [
    Op("GET", f"{ADMIN}/business", get_admin_business, "The business profile and policies",
       "AdminBusiness", auth="admin"),
    Op("PATCH", f"{ADMIN}/business", edit_admin_business, "Edit the business profile",
       "AdminBusinessChanged", auth="admin", body="AdminBusinessEdit"),
    Op("GET", f"{ADMIN}/booking-rules", get_booking_rules, "Booking rules", "AdminRules",
       auth="admin"),
    Op("PATCH", f"{ADMIN}/booking-rules", edit_booking_rules, "Edit booking rules",
       "AdminRules", auth="admin", body="AdminRulesEdit"),
    Op("GET", f"{ADMIN}/messages", get_messages, "The business's parts of messages",
       "AdminMessages", auth="admin"),
    Op("PATCH", f"{ADMIN}/messages", edit_messages, "Edit the business's parts of messages",
       "AdminMessages", auth="admin", body="AdminMessagesEdit"),
    Op("GET", f"{ADMIN}/reminders", get_reminders, "The business's reminder lead times",
       "AdminReminders", auth="admin"),
    Op("PATCH", f"{ADMIN}/reminders", edit_reminders, "Set the business's reminder lead times",
       "AdminReminders", auth="admin", body="AdminRemindersEdit"),
    Op("GET", f"{ADMIN}/services/{{id}}/reminders", get_service_reminders,
       "A service's reminder lead times", "AdminReminders", auth="admin", params=(ID,)),
    Op("PATCH", f"{ADMIN}/services/{{id}}/reminders", edit_service_reminders,
       "Set a service's reminder lead times", "AdminReminders", auth="admin", params=(ID,),
       body="AdminRemindersEdit"),
    Op("GET", f"{ADMIN}/blocklist", get_blocklist, "Blocked customers", "AdminBlocklist",
       auth="admin"),
    Op("POST", f"{ADMIN}/blocklist", add_block, "Block a customer", "AdminBlocklist",
       auth="admin", body="AdminBlock"),
    Op("DELETE", f"{ADMIN}/blocklist/{{customer_id}}", remove_block, "Unblock a customer",
       "AdminBlocklist", auth="admin", params=(CUSTOMER,)),
]
