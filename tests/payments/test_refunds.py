"""Refunds through the Stripe fake with the real library: a free cancellation of a deposit
paid online is refunded once and recorded with the provider's refund id; 429, 5xx and
timeouts are tried again later (the same idempotency key), a refusal fails the message and
e-mails the owner; a deposit paid in person is left for the desk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from assistant.payments.refunds import IN_PERSON, RefundWorker
from assistant.payments.stripe_api import StripeApi
from scheduling.booking import changes
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor
from scheduling.persistence.booking_uow import BookingUnitOfWork
from tests.fakes.stripe import SECRET_KEY, WEBHOOK_SECRET
from tests.gateway.booking_flow import execute, rows
from tests.payments.stripe_desk import Desk, book_deposit, deliver, to_checkout

pytestmark = pytest.mark.db


async def _paid_and_cancelled(desk: Desk) -> UUID:
    appointment_id, went = await book_deposit(desk)
    delivery = desk.stripe.pay(await to_checkout(desk, went))
    assert delivery is not None and (await deliver(desk, *delivery))[0] == 200
    cancel = CancelAppointment(appointment_id, Actor.CUSTOMER, "cannot come")
    result = await changes.cancel(cancel, BookingUnitOfWork(desk.factory), datetime.now(UTC))
    assert result.refund > 0
    return appointment_id


async def _refund_state(desk: Desk) -> tuple[Any, ...]:
    [row] = await rows(desk.factory, "SELECT o.status, o.attempts, r.status, r.provider_id "
                       "FROM outbox o LEFT JOIN payment_refunds r ON r.outbox_id = o.id "
                       "WHERE o.kind = 'refund'")
    return tuple(row)


@pytest.fixture
async def apis(desk: Desk) -> AsyncIterator[dict[float, StripeApi]]:
    """Clients of the fake without the library's own retries, by timeout; closed after."""
    made = {t: StripeApi(SECRET_KEY, WEBHOOK_SECRET, desk.stripe_url, timeout=t, retries=0)
            for t in (0.3, 10.0)}
    yield made
    for api in made.values():
        await api.close()


def _worker(desk: Desk, apis: dict[float, StripeApi], at: datetime, timeout: float = 10.0
            ) -> RefundWorker:
    return RefundWorker(desk.factory, apis[timeout], clock=lambda: at)


async def test_a_busy_stripe_is_tried_again_and_the_refund_made_once(
    desk: Desk, apis: dict[float, StripeApi],
) -> None:
    await _paid_and_cancelled(desk)
    now = datetime.now(UTC) + timedelta(seconds=1)
    desk.stripe.ledger.fail_next(429)
    assert await _worker(desk, apis, now).run_once() == 1
    assert await _refund_state(desk) == ("pending", 1, "retrying", None)
    assert await _worker(desk, apis, now).run_once() == 0  # not due yet: backing off
    desk.stripe.ledger.hang_seconds = 1.0
    desk.stripe.ledger.fail_next("timeout")
    later = now + timedelta(minutes=2)
    assert await _worker(desk, apis, later, timeout=0.3).run_once() == 1
    assert await _refund_state(desk) == ("pending", 2, "retrying", None)
    desk.stripe.ledger.fail_next(503)
    assert await _worker(desk, apis, later + timedelta(minutes=3)).run_once() == 1
    assert await _worker(desk, apis, later + timedelta(minutes=10)).run_once() == 1
    [refund] = desk.stripe.refunds.values()
    assert refund["amount"] == 3000
    assert await _refund_state(desk) == ("sent", 4, "succeeded", refund["id"])
    assert await _worker(desk, apis, later + timedelta(hours=1)).run_once() == 0


async def test_a_refused_refund_fails_and_the_owner_is_told(
    desk: Desk, apis: dict[float, StripeApi],
) -> None:
    appointment_id = await _paid_and_cancelled(desk)
    await execute(desk.factory, "UPDATE outbox SET payload = payload || "
                  "'{\"reference\": \"pi_unknown\"}'::jsonb WHERE kind = 'refund'")
    assert await _worker(desk, apis, datetime.now(UTC) + timedelta(seconds=1)).run_once() == 1
    state = await _refund_state(desk)
    assert state[0] == "failed" and state[2] == "failed"
    [(payload,)] = await rows(desk.factory, "SELECT payload FROM outbox WHERE kind = "
                              "'owner_alert' AND appointment_id = :a", a=appointment_id)
    assert payload["failed_kind"] == "refund" and "No such payment_intent" in payload["error"]
    assert desk.stripe.refunds == {}


async def test_a_deposit_paid_in_person_is_left_for_the_desk(
    desk: Desk, apis: dict[float, StripeApi],
) -> None:
    appointment_id = await _paid_and_cancelled(desk)
    await execute(desk.factory, "UPDATE outbox SET payload = payload || "
                  "'{\"reference\": \"in person (cash)\"}'::jsonb WHERE kind = 'refund'")
    assert await _worker(desk, apis, datetime.now(UTC) + timedelta(seconds=1)).run_once() == 1
    [(status, error)] = await rows(desk.factory, "SELECT status, last_error FROM outbox WHERE "
                                   "kind = 'refund' AND appointment_id = :a", a=appointment_id)
    assert (status, error) == ("cancelled", IN_PERSON) and desk.stripe.refunds == {}
