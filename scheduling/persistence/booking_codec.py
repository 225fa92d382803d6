"""Appointments to column values and back; the only place that knows both shapes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from scheduling.booking.model import (
    Actor,
    Appointment,
    Cancellation,
    Channel,
    Contact,
    Participant,
    Payment,
    PaymentStatus,
    Status,
)
from scheduling.booking.policies import BookingRules
from scheduling.catalog import LocationType
from scheduling.persistence.booking_tables import AppointmentRow, BookingRulesRow

GROUP_SESSIONS = UUID("3f0f7b1e-6a52-4d8e-9d0c-5b0c1de0a7a1")


def session_id(appointment: Appointment, capacity: int) -> UUID:
    """Rows sharing this id may overlap: one per appointment, or one per group session."""
    if capacity <= 1:
        return appointment.id
    key = f"{appointment.staff_id}/{appointment.service_id}/{appointment.start.isoformat()}"
    return uuid5(GROUP_SESSIONS, key)


def values(appointment: Appointment, capacity: int) -> dict[str, Any]:
    a, payment, cancel = appointment, appointment.payment, appointment.cancellation
    return {
        "id": a.id, "business_id": a.business_id, "customer_id": a.customer_id,
        "service_id": a.service_id, "staff_id": a.staff_id, "location_id": a.location_id,
        "session_id": session_id(a, capacity), "starts_at": a.start, "ends_at": a.end,
        "blocked_start": a.blocked_start, "blocked_end": a.blocked_end,
        "customer_time_zone": a.customer_time_zone, "status": a.status.value,
        "channel": a.channel.value, "price": a.price, "seats": a.seats,
        "participants": [
            {"name": p.name, "customer_id": str(p.customer_id) if p.customer_id else None}
            for p in a.participants
        ],
        "notes": a.notes, "location_type": a.location_type.value, "address": a.address,
        "meeting_link": a.meeting_link, "payment_required": payment.required,
        "payment_amount": payment.amount, "payment_status": payment.status.value,
        "payment_reference": payment.reference, "idempotency_key": a.idempotency_key,
        "hold_expires_at": a.hold_expires_at, "series_id": a.series_id,
        "rescheduled_from": a.rescheduled_from, "rescheduled_to": a.rescheduled_to,
        "cancelled_by": cancel.by.value if cancel else None,
        "cancel_reason": cancel.reason if cancel else None,
        "cancel_fee": cancel.fee if cancel else None,
        "refund_amount": cancel.refund if cancel else None,
        "cancelled_at": cancel.at if cancel else None, "checked_in_at": a.checked_in_at,
        "created_at": a.created_at, "confirmed_at": a.confirmed_at,
        "completed_at": a.completed_at, "updated_at": a.updated_at,
        "contact_name": a.contact.name if a.contact else None,
        "contact_phone": a.contact.phone if a.contact else None,
        "contact_email": a.contact.email if a.contact else None,
    }


def appointment(row: AppointmentRow) -> Appointment:
    return Appointment(
        id=row.id, business_id=row.business_id, customer_id=row.customer_id,
        service_id=row.service_id, staff_id=row.staff_id, location_id=row.location_id,
        start=row.starts_at, end=row.ends_at, buffer_before=row.starts_at - row.blocked_start,
        buffer_after=row.blocked_end - row.ends_at, customer_time_zone=row.customer_time_zone,
        status=Status(row.status), channel=Channel(row.channel), created_at=row.created_at,
        updated_at=row.updated_at, price=row.price, seats=row.seats,
        participants=tuple(
            Participant(p["name"], UUID(p["customer_id"]) if p["customer_id"] else None)
            for p in row.participants
        ),
        notes=row.notes, location_type=LocationType(row.location_type), address=row.address,
        meeting_link=row.meeting_link,
        payment=Payment(row.payment_required, row.payment_amount,
                        PaymentStatus(row.payment_status), row.payment_reference),
        idempotency_key=row.idempotency_key, hold_expires_at=row.hold_expires_at,
        series_id=row.series_id, rescheduled_from=row.rescheduled_from,
        rescheduled_to=row.rescheduled_to, cancellation=_cancellation(row),
        checked_in_at=row.checked_in_at, confirmed_at=row.confirmed_at,
        completed_at=row.completed_at, contact=_contact(row),
    )


def _contact(row: AppointmentRow) -> Contact | None:
    if row.contact_name is None and row.contact_phone is None and row.contact_email is None:
        return None
    return Contact(row.contact_name or "", row.contact_phone, row.contact_email)


def _cancellation(row: AppointmentRow) -> Cancellation | None:
    if row.cancelled_by is None:
        return None
    return Cancellation(
        Actor(row.cancelled_by), row.cancel_reason or "", row.cancel_fee or Decimal("0"),
        row.refund_amount or Decimal("0"), row.cancelled_at,
    )


def rules_of(row: BookingRulesRow | None) -> BookingRules:
    """A business with no row has the defaults."""
    if row is None:
        return BookingRules()
    minutes = timedelta(minutes=1)
    return BookingRules(
        row.max_active_per_customer, row.require_approval, row.hold_minutes * minutes,
        row.claim_window_minutes * minutes, row.no_show_grace_minutes * minutes,
        row.payment_window_minutes * minutes, row.max_per_contact_day, row.max_per_contact_week,
        row.max_live_holds_per_customer, row.deposits_online,
    )
