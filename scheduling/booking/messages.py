"""The outbox messages each booking change produces (see `persistence.outbox` for the contract).

Pure: an appointment and what it needs to be described in, message values out. Dedupe keys name
the appointment, the kind and what makes the message distinct, so a retried command cannot
send twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from scheduling.booking.model import Actor, Appointment, PaymentStatus, Status
from scheduling.catalog import Catalog

Json = dict[str, Any]
REMINDER_KINDS = ("reminder", "pending_payment")


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    kind: str
    dedupe_key: str
    due_at: datetime
    payload: Json = field(default_factory=dict)
    appointment_id: UUID | None = None


def describe(appointment: Appointment, catalog: Catalog) -> Json:
    """Everything a sender needs, so the dispatcher never reads the appointment back."""
    service = catalog.service(appointment.service_id)
    staff = catalog.staff_member(appointment.staff_id)
    local = appointment.start.astimezone(catalog.location(appointment.location_id).zone)
    return {
        "appointment_id": str(appointment.id),
        "business_id": str(appointment.business_id),
        "customer_id": str(appointment.customer_id) if appointment.customer_id else None,
        "service": service.name,
        "staff": staff.name,
        "staff_calendar_id": staff.google_calendar_id,
        "start": appointment.start.isoformat(),
        "end": appointment.end.isoformat(),
        "local_start": local.isoformat(),
        "customer_time_zone": appointment.customer_time_zone,
        "location_type": appointment.location_type.value,
        "address": appointment.address,
        "location_id": str(appointment.location_id),
        "meeting_link": appointment.meeting_link,
        "status": appointment.status.value,
        "seats": appointment.seats,
        "deposit": str(appointment.payment.amount) if appointment.payment.required else None,
        "deposit_status": appointment.payment.status.value,
    }


def _message(kind: str, appointment: Appointment, now: datetime, payload: Json,
             tag: str = "") -> OutboxMessage:
    key = f"{kind}:{appointment.id}:{tag or appointment.status.value}"
    return OutboxMessage(kind, key, now, payload, appointment.id)


def booked(appointment: Appointment, catalog: Catalog, now: datetime, online: bool
           ) -> list[OutboxMessage]:
    """Confirmation, owner notice, calendar event (or, when deposits are paid `online`, a
    payment request); the services add the reminders, whose lead times are read from the
    database (`notifications.reminders`). A booking pending for the owner's approval at a
    salon taking its deposits in person gets its confirmation (which says so), no pay link."""
    payload = describe(appointment, catalog)
    out = [
        _message("owner_notice", appointment, now, payload | {"event": "booked"}),
        _message("calendar_event", appointment, now, payload | {"op": "create"}, "create"),
    ]
    waits = appointment.payment.required or card_to_save(appointment)
    if online and waits and appointment.confirmed_at is None:
        # the pay link (or the link saving the card) instead: the confirmation goes out once
        # the deposit is paid or the card saved
        out.append(_pay_link(appointment, now, payload))
    else:
        out.insert(0, _message("confirmation", appointment, now, payload))
    return out


def card_to_save(appointment: Appointment) -> bool:
    """Pending until the customer saves a card (no-show protection, no deposit)."""
    return (appointment.payment.status is PaymentStatus.CARD_PENDING
            and appointment.status is Status.PENDING)


def _pay_link(appointment: Appointment, now: datetime, payload: Json) -> OutboxMessage:
    return _message("pending_payment", appointment, now,
                    payload | {"amount": str(appointment.payment.amount)})


def confirmed(appointment: Appointment, catalog: Catalog, now: datetime) -> list[OutboxMessage]:
    payload = describe(appointment, catalog)
    return [
        _message("confirmation", appointment, now, payload),
        _message("calendar_event", appointment, now, payload | {"op": "update"}, "confirm"),
    ]


def cancelled(
    appointment: Appointment, catalog: Catalog, now: datetime, offer_new_times: bool
) -> list[OutboxMessage]:
    """Tell both sides; the owner cancelling flags the customer message to offer new times."""
    cancellation = appointment.cancellation
    payload = describe(appointment, catalog) | {
        "by": cancellation.by.value if cancellation else Actor.SYSTEM.value,
        "reason": cancellation.reason if cancellation else "",
        "fee": str(cancellation.fee) if cancellation else "0",
        "refund": str(cancellation.refund) if cancellation else "0",
        "offer_new_times": offer_new_times,
    }
    out = [
        _message("cancellation", appointment, now, payload),
        _message("owner_notice", appointment, now, payload | {"event": "cancelled"}),
        _message("calendar_event", appointment, now, payload | {"op": "delete"}, "delete"),
    ]
    if cancellation and cancellation.refund > 0:
        out.append(_message("refund", appointment, now, payload | {
            "amount": str(cancellation.refund), "reference": appointment.payment.reference,
        }))
    return out


def rescheduled(
    old: Appointment, new: Appointment, catalog: Catalog, now: datetime, online: bool
) -> list[OutboxMessage]:
    """The move's news; the services add reminders at the new time. A booking still waiting
    for its deposit paid `online` gets a pay link for the new appointment (the old one's was
    withdrawn, and its checkout now pays for a booking that moved on: that money goes back)."""
    payload = describe(new, catalog) | {
        "previous_start": old.start.isoformat(), "previous_appointment_id": str(old.id),
    }
    out = [
        _message("reschedule", new, now, payload),
        _message("owner_notice", new, now, payload | {"event": "rescheduled"}, "rescheduled"),
        _message("calendar_event", new, now, payload | {"op": "update"}, "move"),
    ]
    unpaid = (new.payment.required and new.payment.status is PaymentStatus.PENDING
              or card_to_save(new))
    if online and unpaid and new.status is Status.PENDING and new.confirmed_at is None:
        out.append(_pay_link(new, now, payload))
    return out


def no_show(appointment: Appointment, catalog: Catalog, now: datetime) -> list[OutboxMessage]:
    """"We missed you", with the business's no-show fee when it charges one."""
    fee = catalog.business.policies.no_show_fee
    payload = describe(appointment, catalog) | ({"fee": str(fee)} if fee > 0 else {})
    return [_message("no_show", appointment, now, payload)]
