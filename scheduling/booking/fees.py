"""Late-cancel and no-show fees that are really charged.

When an appointment becomes a no-show, or is cancelled late under a policy with a fee, and the
business takes its payments online, a `fee_charge` message is queued in the same transaction
(`queue`): the fee worker charges the card the customer agreed at checkout to keep for these
fees, or sends a pay link for it (no card saved, or the card was declined or needs the
customer). At the salon nothing is queued: the detail page shows the fee as owed there.

A fee paid through its pay link is recorded from the provider's event (`settle`), once: the
event id is inserted in the same transaction, so a replay changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from scheduling.booking.messages import Json, OutboxMessage, describe
from scheduling.booking.model import Actor, Appointment, AuditEntry, PaymentStatus, Status
from scheduling.booking.online_payments import PaymentUnitOfWork, ProviderEvent
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest
from scheduling.formats import money
from scheduling.ports import BookingUnitOfWork

CHARGE_KIND = "fee_charge"
PAY_LINK_KIND = "fee_due"
FEE_PURPOSE = "fee:"
"""A checkout's purpose for a fee is `fee:<kind>` (a deposit's is "deposit")."""


class FeeKind(StrEnum):
    NO_SHOW = "no_show"
    LATE_CANCEL = "late_cancel"


class FeeStatus(StrEnum):
    RETRYING = "retrying"
    CHARGED = "charged"
    DECLINED = "declined"
    """The saved card was declined or needs the customer: a pay link was sent."""
    REQUESTED = "requested"
    """No card was saved: a pay link was sent."""
    PAID = "paid"
    FAILED = "failed"


KEPT = frozenset({PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED})
"""A deposit paid and not (wholly) given back: it counts toward a fee."""
PAYABLE = frozenset({FeeStatus.DECLINED, FeeStatus.REQUESTED})
"""A fee the customer may still pay through its link."""


@dataclass(frozen=True, slots=True)
class SavedCard:
    """The provider's customer and the payment method kept for fees."""

    customer: str
    payment_method: str


@dataclass(frozen=True, slots=True)
class Fee:
    id: UUID
    appointment_id: UUID
    kind: FeeKind
    amount: Decimal
    status: FeeStatus
    provider_id: str | None = None
    last_error: str | None = None


class FeeOutcome(StrEnum):
    DUPLICATE = "duplicate"
    IGNORED = "ignored"
    PAID = "fee_paid"
    ALREADY_PAID = "fee_already_paid"
    REFUNDING = "fee_refunding"
    """Paid through the link after it was paid another way (at the desk): the money goes
    back through a queued refund."""


class FeesPort(Protocol):
    async def fee(self, appointment_id: UUID, kind: FeeKind, lock: bool = False
                  ) -> Fee | None: ...

    async def fee_paid(self, fee: Fee, reference: str, now: datetime) -> None: ...

    async def paid_in_person(self, appointment_id: UUID, kind: FeeKind, amount: Decimal,
                             reference: str, now: datetime) -> None:
        """A fee nobody charged online, recorded paid at the desk."""
        ...


class FeeUnitOfWork(PaymentUnitOfWork, Protocol):
    @property
    def fees(self) -> FeesPort: ...


def due(appointment: Appointment, catalog: Catalog) -> tuple[FeeKind, Decimal] | None:
    """The fee an appointment's outcome still costs under the business's terms, if any: the
    deposit it paid (and kept) counts toward it, as it counts toward the price."""
    cancelled = appointment.cancellation
    if appointment.status is Status.NO_SHOW:
        kind, fee = FeeKind.NO_SHOW, catalog.business.policies.no_show_fee
    elif appointment.status is Status.LATE_CANCEL and cancelled is not None:
        kind, fee = FeeKind.LATE_CANCEL, cancelled.fee
    else:
        return None
    payment = appointment.payment
    paid = payment.amount if payment.status in KEPT else Decimal("0")
    left = fee - max(paid - (cancelled.refund if cancelled else Decimal("0")), Decimal("0"))
    return (kind, left) if left > 0 else None


def costs(catalog: Catalog, service_id: UUID) -> list[str]:
    """The fees a card kept for `service_id` may be charged, in words ("$40 if you do not
    come"); none when the terms charge no fee or the service is no longer offered."""
    service = next((s for s in catalog.services if s.id == service_id), None)
    if service is None:
        return []
    policy = catalog.cancellation_policy(service)
    currency = catalog.business.policies.currency
    late, no_show = policy.late_cancel_fee, catalog.business.policies.no_show_fee
    return ([f"{money(late, currency)} if you cancel later than "
             f"{policy.free_cancellation_hours} hours before the appointment"] if late > 0
            else []) + ([f"{money(no_show, currency)} if you do not come"] if no_show > 0
                        else [])


def consent(catalog: Catalog, service_id: UUID, by: str = "paying") -> str | None:
    """What the customer agrees to when paying a deposit (or, `by` "saving it", saving a
    card with no deposit) with their card saved for fees, in words shown before they do;
    None when the business's terms charge no fee (nothing to save the card for), or the
    service is no longer offered."""
    found = costs(catalog, service_id)
    if not found:
        return None
    return (f"{catalog.business.name} will keep this card on file and may charge it "
            f"{' or '.join(found)}, as its cancellation terms say. By {by} you agree.")


async def queue(uow: BookingUnitOfWork, appointment: Appointment, catalog: Catalog,
                now: datetime) -> None:
    """Inside the caller's transaction: the fee's charge queued once (its dedupe key names the
    appointment and the kind), only when the business takes payments online."""
    found = due(appointment, catalog)
    if found is None or not (await uow.appointments.rules(appointment.business_id)
                             ).deposits_online:
        return
    kind, amount = found
    payload = describe(appointment, catalog) | {"fee_kind": kind.value, "fee": str(amount)}
    await uow.outbox.add([OutboxMessage(CHARGE_KIND, f"{CHARGE_KIND}:{appointment.id}:{kind}",
                                        now, payload, appointment.id)], now)


def pay_link(appointment_id: UUID, charge: Json, declined: bool, now: datetime
             ) -> OutboxMessage:
    """The customer's message asking them to pay the fee a `fee_charge` payload was for
    (`declined`: their saved card could not be charged, which the message says)."""
    kind = charge["fee_kind"]
    return OutboxMessage(PAY_LINK_KIND, f"{PAY_LINK_KIND}:{appointment_id}:{kind}", now,
                         charge | {"card_declined": declined}, appointment_id)


def fee_kind_of(event: ProviderEvent) -> FeeKind | None:
    """The fee a provider's payment is for (None: a deposit or not ours)."""
    if not event.purpose.startswith(FEE_PURPOSE):
        return None
    try:
        return FeeKind(event.purpose.removeprefix(FEE_PURPOSE))
    except ValueError:
        return None


async def mark_paid(appointment_id: UUID, paid_in: str, by: str, uow: FeeUnitOfWork,
                    now: datetime) -> bool:
    """The owner records the fee paid at the desk (cash or card), once, with an audit entry
    under their name; False when it was paid already. Refused while the fee is being charged
    online (the saved card's charge is queued, or went through)."""
    async with uow:
        current = await uow.appointments.get(appointment_id, lock=True)
        catalog = await uow.catalog.get(current.business_id)
        found = due(current, catalog)
        if found is None:
            raise InvalidRequest("this appointment owes no fee", field="appointment")
        kind, amount = found
        fee = await uow.fees.fee(appointment_id, kind, lock=True)
        if fee is not None and fee.status in (FeeStatus.PAID, FeeStatus.CHARGED):
            return False
        online = (await uow.appointments.rules(current.business_id)).deposits_online
        if fee is None and online or fee is not None and fee.status not in PAYABLE:
            raise InvalidRequest("the fee is being charged to the customer's saved card",
                                 field="appointment")
        reference = f"in person ({paid_in})"
        if fee is None:
            await uow.fees.paid_in_person(appointment_id, kind, amount, reference, now)
        else:
            await uow.fees.fee_paid(fee, reference, now)
        status = current.status.value
        await uow.appointments.record([AuditEntry(
            current.id, now, Actor.OWNER, status, status,
            f"{kind.value.replace('_', '-')} fee paid at the salon ({paid_in})",
            data={"reference": reference, "by": by, "amount": str(amount)})])
        await uow.commit()
    return True


async def _apply(event: ProviderEvent, fee: Fee, uow: FeeUnitOfWork, now: datetime
                 ) -> FeeOutcome:
    if fee.status in PAYABLE:
        await uow.fees.fee_paid(fee, str(event.reference), now)
        return FeeOutcome.PAID
    if fee.provider_id == event.reference:
        return FeeOutcome.ALREADY_PAID
    business = (await uow.appointments.get(fee.appointment_id)).business_id
    payload = {"appointment_id": str(fee.appointment_id), "amount": str(event.amount),
               "business_id": str(business), "reference": event.reference,
               "reason": "the fee was already paid"}
    await uow.outbox.add([OutboxMessage("refund", f"refund:{fee.appointment_id}:fee:"
                                        f"{event.reference}", now, payload,
                                        fee.appointment_id)], now)
    return FeeOutcome.REFUNDING


async def settle(event: ProviderEvent, uow: FeeUnitOfWork, now: datetime) -> FeeOutcome:
    """A fee paid through its pay link, recorded once with the provider's payment id."""
    kind = fee_kind_of(event)
    async with uow:
        if not await uow.payments.first_time(event, now):
            return FeeOutcome.DUPLICATE
        outcome = FeeOutcome.IGNORED
        fee = None
        if kind is not None and event.appointment_id and event.reference and event.amount:
            fee = await uow.fees.fee(event.appointment_id, kind, lock=True)
        if fee is not None and event.amount is not None and event.amount >= fee.amount:
            outcome = await _apply(event, fee, uow, now)
        await uow.payments.settled(event.id, outcome.value,
                                   fee.appointment_id if fee else None)
        await uow.commit()
    return outcome
