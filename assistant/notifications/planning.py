"""Deciding, before anything is sent, what one claimed message becomes: deliveries per
channel, a skip with its reason, or a failure that no retry can fix (a payload that cannot be
rendered, a customer with no address).

Runs on a read-only session; the sends happen after it is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from jinja2 import TemplateError

from assistant.notifications import links
from assistant.notifications.audience import OWNER_KINDS, Audience, AudienceLoader
from assistant.notifications.render import Rendered, Renderer
from assistant.notifications.senders import Attachment, Email, Sms
from scheduling.errors import DomainError
from scheduling.notifications.delivery import Attempt, Claimed
from scheduling.notifications.policy import stale_reason
from scheduling.persistence.short_links import LinkRequest


@dataclass(frozen=True, slots=True)
class Delivery:
    channel: str
    recipient: str
    summary: str
    build: Callable[[str], Email | Sms]
    """Makes the message for the sender, given its idempotency key."""


@dataclass(frozen=True, slots=True)
class Plan:
    deliveries: tuple[Delivery, ...] = ()
    skipped: tuple[Attempt, ...] = ()
    skip_reason: str | None = None
    error: str | None = None


def short_link_request(renderer: Renderer, message: Claimed) -> LinkRequest | None:
    """The short link this message's SMS will carry (`links.SMS_ACTIONS`), if any."""
    action = links.SMS_ACTIONS.get(renderer.template_kind(message.kind, message.payload))
    if action is None:
        return None
    try:
        found = links.target(message.payload, action)
    except (ValueError, TypeError):
        return None  # a malformed payload: rendering it fails, and plan_message says why
    return LinkRequest(found[0], action, found[1]) if found else None


async def plan_message(loader: AudienceLoader, renderer: Renderer, message: Claimed,
                       now: datetime, short_code: str | None = None) -> Plan:
    reason = stale_reason(message.kind, message.payload, now)
    if reason is None and await loader.reads.superseded(message, now):
        reason = "skipped: a closer reminder of the same appointment is due as well"
    if reason:
        return Plan(skip_reason=reason)
    try:
        audience = await loader.load(message.kind, message.payload, message.appointment_id)
        rendered = renderer.render(message.kind, message.payload, audience, now, short_code)
    except (DomainError, KeyError, ValueError, TypeError, TemplateError) as error:
        return Plan(error=f"cannot prepare the {message.kind}: {error!r}"[:500])
    return await _channels(loader, message, audience, rendered)


async def _channels(loader: AudienceLoader, message: Claimed, audience: Audience,
                    rendered: Rendered) -> Plan:
    person = audience.recipient
    deliveries: list[Delivery] = []
    skipped: list[Attempt] = []
    if person.email and person.email_ok and "email" not in message.done_channels:
        deliveries.append(Delivery("email", person.email, rendered.subject,
                                   _email(person.email, person.name, rendered, audience)))
    wants_sms = message.kind not in OWNER_KINDS and rendered.sms and person.sms_ok
    if wants_sms and person.phone and "sms" not in message.done_channels:
        phone, body = person.phone, rendered.sms or ""
        if await loader.reads.opted_out([phone]):
            skipped.append(Attempt("sms", "none", phone, f"{message.id}:sms", "skipped",
                                   error="recipient opted out (STOP)", summary=body))
        else:
            deliveries.append(Delivery("sms", phone, body, lambda key: Sms(phone, body, key)))
    return Plan(tuple(deliveries), tuple(skipped))


def _email(to: str, name: str, rendered: Rendered,
           audience: Audience) -> Callable[[str], Email | Sms]:
    attachments: tuple[Attachment, ...] = ()
    if rendered.ics is not None:
        attachments = (Attachment("appointment.ics", rendered.ics, "text/calendar"),)
    reply_to = audience.catalog.business.contact.email

    def build(key: str) -> Email:
        return Email(to, name, rendered.subject, rendered.text, rendered.html, key,
                     attachments, reply_to)
    return build
