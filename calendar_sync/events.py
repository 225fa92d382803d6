"""Booking changes into Google events: the handler of the outbox's `calendar_event` rows.

Each call is idempotent, because the outbox delivers at least once: inserts use a fixed event
id (a 409 means it is already there), an update with no event creates it, a delete of a missing
event is done. Rows may also arrive late or out of order after Google was down, so a create for
an appointment that is no longer active does nothing. Errors that retrying can fix
(`GoogleUnavailable`) are raised for the worker to reschedule the row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from calendar_sync.connections import Connection, ConnectionStore
from calendar_sync.errors import EventGone, GoogleRejected
from calendar_sync.event_body import event_body, event_id, meet_link, new_event, send_updates
from calendar_sync.event_links import AppointmentFacts, EventLink, EventLinks

log = logging.getLogger(__name__)
Links = Callable[[UUID], Mapping[str, str]]


def no_links(appointment_id: UUID) -> Mapping[str, str]:
    return {}


@dataclass(frozen=True)
class EventContext:
    """What the handler needs; `links` gives the customer's reschedule/cancel URLs."""

    store: ConnectionStore
    links: EventLinks
    manage_links: Links = no_links


async def handle_calendar_outbox(
    row_payload: Mapping[str, Any], ctx: EventContext, now: datetime
) -> str:
    """Apply one `calendar_event` outbox row (`op` create/update/delete); says what it did."""
    appointment_id = UUID(row_payload["appointment_id"])
    if row_payload.get("op") == "delete":
        return await _delete(ctx, appointment_id)
    link = await ctx.links.get(appointment_id)
    previous = row_payload.get("previous_appointment_id")
    if link is None and previous:
        link = await ctx.links.get(UUID(previous))
    facts = await ctx.links.facts(appointment_id)
    if facts is None or not facts.active:
        return "skipped: appointment no longer active"
    if link is None:
        return await _create(ctx, row_payload, facts, now)
    return await _update(ctx, row_payload, facts, link, now)


async def _create(
    ctx: EventContext, payload: Mapping[str, Any], facts: AppointmentFacts, now: datetime
) -> str:
    found = await ctx.store.for_staff([facts.staff_id])
    if not found:
        return "skipped: no calendar connected"
    connection = found[0]
    appointment_id = UUID(payload["appointment_id"])
    body = new_event(payload, facts, ctx.manage_links(appointment_id))
    event = await ctx.store.use(connection, lambda api: _insert(api, connection, body,
                                                                send_updates(facts)))
    await ctx.links.save(EventLink(
        appointment_id, connection.id, connection.event_calendar_id, event["id"],
        _when(payload["start"]), _when(payload["end"]), meet_link(event),
    ), now)
    return "created"


def _insert(api: Any, connection: Connection, body: dict[str, Any], updates: str) -> Any:
    """Insert, or fetch the event an earlier try already inserted under the same id."""
    calendar_id = connection.event_calendar_id
    try:
        return api.insert_event(calendar_id, body, updates)
    except GoogleRejected as error:
        if error.status != 409:
            raise
        return api.get_event(calendar_id, body["id"])


async def _update(
    ctx: EventContext, payload: Mapping[str, Any], facts: AppointmentFacts, link: EventLink,
    now: datetime,
) -> str:
    appointment_id = UUID(payload["appointment_id"])
    connection = await ctx.store.get(link.connection_id)
    if connection.staff_id != facts.staff_id:
        await _delete(ctx, link.appointment_id)
        return await _create(ctx, payload, facts, now)
    body = event_body(payload, facts, ctx.manage_links(appointment_id))
    try:
        await ctx.store.use(connection, lambda api: api.patch_event(
            link.calendar_id, link.event_id, body, send_updates(facts)))
    except EventGone:
        log.info("event of appointment %s was deleted in Google", appointment_id)
        await ctx.links.drop(link.appointment_id)
        return "skipped: event deleted in Google"
    await ctx.links.move(link, appointment_id, _when(payload["start"]), _when(payload["end"]),
                         now)
    return "updated"


async def _delete(ctx: EventContext, appointment_id: UUID) -> str:
    link = await ctx.links.get(appointment_id)
    if link is None:
        return "skipped: no event"
    connection = await ctx.store.get(link.connection_id)
    try:
        await ctx.store.use(connection, lambda api: api.delete_event(
            link.calendar_id, link.event_id, "all"))
    except EventGone:
        log.info("event %s was already gone", link.event_id)
    await ctx.links.drop(appointment_id)
    return "deleted"


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


__all__ = ["EventContext", "event_id", "handle_calendar_outbox"]
