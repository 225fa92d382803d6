"""The fee rule, pure: what a no-show or a late cancellation still costs once the deposit it
kept is counted (the demo salon: $30 Colour deposit, $25 late-cancel fee, $40 no-show fee), and
the consent words a deposit's checkout shows when the card is kept for fees."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from assistant.notifications.render import Renderer
from scheduling.booking import fees
from scheduling.booking.fees import FeeKind
from scheduling.booking.model import (
    Actor,
    Appointment,
    Cancellation,
    Channel,
    Payment,
    PaymentStatus,
    Status,
)
from scheduling.catalog import BusinessPolicies, CancellationPolicy
from scheduling.demo import demo_catalog, demo_id
from tests.booking.booking_builders import NOW as BOOKED_AT
from tests.booking.booking_builders import ny
from tests.notifications.conftest import BASE_URL, SECRET
from tests.notifications.messages import SALON, audience, payload

RENDERER = Renderer(SECRET, BASE_URL)
CATALOG = demo_catalog()
COLOUR = demo_id("service/Colour")
NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)


def _appointment(status: Status, paid: PaymentStatus = PaymentStatus.PAID,
                 cancellation: Cancellation | None = None) -> Appointment:
    return Appointment(
        uuid4(), CATALOG.business.id, uuid4(), COLOUR, CATALOG.staff[0].id,
        CATALOG.business.locations[0].id, NOW, NOW + timedelta(hours=2), timedelta(0),
        timedelta(0), "America/New_York", status, Channel.WEB, NOW, NOW,
        payment=Payment(True, Decimal("30.00"), paid), cancellation=cancellation)


@pytest.mark.parametrize(("appointment", "expected"), [
    (_appointment(Status.NO_SHOW), (FeeKind.NO_SHOW, Decimal("10.00"))),  # $40 less $30 kept
    (_appointment(Status.NO_SHOW, PaymentStatus.PENDING), (FeeKind.NO_SHOW, Decimal("40.00"))),
    (_appointment(Status.NO_SHOW, PaymentStatus.REFUNDED), (FeeKind.NO_SHOW, Decimal("40.00"))),
    (_appointment(Status.LATE_CANCEL, cancellation=Cancellation(
        Actor.CUSTOMER, "", Decimal("25"), Decimal("5"))), None),  # kept from the deposit
    (_appointment(Status.LATE_CANCEL, PaymentStatus.PENDING, Cancellation(
        Actor.CUSTOMER, "", Decimal("25"))), (FeeKind.LATE_CANCEL, Decimal("25"))),
    (_appointment(Status.CANCELLED, cancellation=Cancellation(Actor.CUSTOMER, "")), None),
    (_appointment(Status.COMPLETED), None),
])
def test_what_an_outcome_still_costs(appointment: Appointment,
                                     expected: tuple[FeeKind, Decimal] | None) -> None:
    assert fees.due(appointment, CATALOG) == expected


def test_a_business_without_a_no_show_fee_charges_none() -> None:
    free = replace(CATALOG, business=replace(CATALOG.business, policies=replace(
        CATALOG.business.policies, no_show_fee=Decimal("0"))))
    assert fees.due(_appointment(Status.NO_SHOW, PaymentStatus.PENDING), free) is None


def test_the_consent_says_what_the_card_may_be_charged() -> None:
    said = fees.consent(CATALOG, COLOUR)
    assert said == ("Shear Delight Salon will keep this card on file and may charge it $25 if "
                    "you cancel later than 24 hours before the appointment or $40 if you do "
                    "not come, as its cancellation terms say. By paying you agree.")
    no_fees = replace(CATALOG, business=replace(CATALOG.business, policies=BusinessPolicies(
        CancellationPolicy(free_cancellation_hours=24), CATALOG.business.policies.currency)))
    assert fees.consent(no_fees, COLOUR) is None


def test_the_pay_link_message_says_the_card_is_kept_for_fees_before_paying() -> None:
    """The e-mail with the deposit's pay link states the fees the card is kept for, in the
    words the checkout shows; a business without fees says nothing of it."""
    waiting = payload(ny(3, 15, 10), status="pending", amount="30.00", deposit="30.00",
                      deposit_status="pending")
    service = SALON.catalog.services[0].id
    told = RENDERER.render("pending_payment", waiting, replace(audience(), service_id=service),
                           BOOKED_AT)
    said = fees.consent(SALON.catalog, service)
    assert said and f"Your card is kept for the business's fees: {said}" in told.text
    free = replace(SALON.catalog, business=replace(SALON.catalog.business, policies=replace(
        SALON.catalog.business.policies, no_show_fee=Decimal("0"), cancellation=replace(
            SALON.catalog.business.policies.cancellation, late_cancel_fee=Decimal("0")))))
    plain = RENDERER.render("pending_payment", waiting,
                            replace(audience(), catalog=free, service_id=service), BOOKED_AT)
    assert "kept for the business's fees" not in plain.text
