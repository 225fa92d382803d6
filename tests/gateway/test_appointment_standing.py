"""Where an appointment stands as its page opens, by status and by the clock (no database):
the moments the page tests cannot wait for (during the appointment, after it unclosed), and
the terms the cancel step states, from the same policy code the use case runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest

from assistant.gateway.appointment_pages.standing import Standing
from scheduling.booking.model import Actor, Appointment, Cancellation, Channel, Status
from scheduling.demo import demo_catalog, demo_id

START = datetime(2027, 3, 12, 15, 0, tzinfo=UTC)
CATALOG = demo_catalog()


def appointment(status: Status = Status.CONFIRMED, **changes: Any) -> Appointment:
    service = CATALOG.service(demo_id("service/Men's cut"))
    made = Appointment(uuid4(), CATALOG.business.id, uuid4(), service.id,
                       demo_id("staff/ana"), CATALOG.business.locations[0].id, START,
                       START + service.duration, timedelta(0), timedelta(0),
                       "America/New_York", status, Channel.WEB, START, START,
                       price=service.price)
    return replace(made, **changes)


def standing(made: Appointment, now: datetime) -> Standing:
    return Standing(CATALOG, made, (), None, now)


@pytest.mark.parametrize(("status", "now", "state"), [
    (Status.CONFIRMED, START - timedelta(days=2), "upcoming"),
    (Status.PENDING, START - timedelta(days=2), "upcoming"),
    (Status.CONFIRMED, START + timedelta(minutes=10), "now"),
    (Status.CONFIRMED, START + timedelta(hours=2), "past"),
    (Status.COMPLETED, START + timedelta(hours=2), "past"),
    (Status.NO_SHOW, START + timedelta(hours=2), "no_show"),
    (Status.CANCELLED, START - timedelta(days=2), "cancelled"),
    (Status.LATE_CANCEL, START - timedelta(hours=2), "cancelled"),
    (Status.RESCHEDULED, START - timedelta(days=2), "moved"),
    (Status.HELD, START - timedelta(days=2), "held"),
])
def test_state_follows_status_then_clock(status: Status, now: datetime, state: str) -> None:
    assert standing(appointment(status), now).state == state


def test_terms_state_the_fee_the_cancel_would_charge() -> None:
    early = standing(appointment(), START - timedelta(days=2))
    assert early.terms("cancel").allowed and early.terms("cancel").fee == 0
    late = standing(appointment(), START - timedelta(hours=3))
    assert late.terms("cancel").fee == Decimal("25.00")
    refused = late.terms("reschedule")
    assert not refused.allowed and refused.refused.startswith("Appointments can only be moved")
    during = standing(appointment(), START + timedelta(minutes=5))
    assert not during.terms("cancel").allowed


def test_only_an_owner_cancellation_can_be_answered_with_a_new_time() -> None:
    now = START - timedelta(days=2)
    by_owner = appointment(Status.CANCELLED, cancellation=Cancellation(Actor.OWNER, "ill"))
    by_customer = appointment(Status.CANCELLED, cancellation=Cancellation(Actor.CUSTOMER, ""))
    assert standing(by_owner, now).rebookable and standing(by_owner, now).by_owner
    assert not standing(by_customer, now).rebookable
    answered = Standing(CATALOG, by_owner, (), appointment(), now)
    assert not answered.rebookable
