"""Holding and booking slots: one transaction and one commit per command.

`book` loads the part of the catalog it needs (the service, the candidate staff, the
locations), the customer and the candidate staff's bookings around the slot inside its
transaction, re-runs the availability engine on them, and inserts; the exclusion constraint
turns the race the engine cannot see into `SlotUnavailable`, which is re-raised with fresh
alternatives.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TypeVar
from uuid import UUID, uuid4

from scheduling.booking import messages, notice
from scheduling.booking.commands import BookAppointment, HoldSlot, SlotChoice
from scheduling.booking.messages import OutboxMessage
from scheduling.booking.model import (
    Actor,
    Appointment,
    AuditEntry,
    Channel,
    Contact,
    Payment,
    PaymentStatus,
    Status,
    created,
)
from scheduling.booking.openings import window
from scheduling.booking.placement import Placement, place, unavailable
from scheduling.booking.policies import BookingRules
from scheduling.booking.results import BookingResult, HoldResult
from scheduling.booking.values import BookingContext, DuplicateIdempotencyKey
from scheduling.catalog import Catalog, Customer, Service
from scheduling.deposit_rules import NEW_CUSTOMER, CustomerHistory
from scheduling.errors import InvalidRequest, PolicyViolation, SlotUnavailable
from scheduling.notifications.reminders import reminder_messages
from scheduling.ports import AppointmentsPort, BookingUnitOfWork, OutboxPort, StaffWindow

U = TypeVar("U", bound=BookingUnitOfWork)
SECOND = timedelta(seconds=1)
RACE_LOST = "that time was taken a moment ago"
"""The message when the database, not the engine, refused the slot (a concurrent booking)."""


async def hold(cmd: HoldSlot, uow: BookingUnitOfWork, now: datetime) -> HoldResult:
    """Reserve a slot while the customer decides; it frees itself at `expires_at`."""
    async with uow:
        repo = uow.appointments
        catalog = await uow.catalog.get(cmd.slot.business_id)
        rules = await repo.rules(cmd.slot.business_id)
        ttl = cmd.ttl or rules.hold_ttl
        if cmd.customer_id is not None:
            live = await repo.count_live_holds(cmd.customer_id, now)
            if live >= rules.max_live_holds_per_customer:
                raise PolicyViolation(
                    "live_holds", f"at most {rules.max_live_holds_per_customer} times can be "
                    "held at once; book or let one go first",
                    limit=rules.max_live_holds_per_customer)
        placement = await secure(repo, catalog, cmd.slot, cmd.seats, now,
                                 customer_id=cmd.customer_id)
        held = draft(placement, catalog, cmd.customer_id, None, now)
        held = replace(held, status=Status.HELD, hold_expires_at=now + ttl, seats=cmd.seats)
        await store(repo, catalog, cmd.slot, held, now)
        await repo.record([created(held, Actor.CUSTOMER, "hold")])
        await uow.commit()
    return HoldResult(held.id, held.staff_id, held.location_id, held.start, held.end, now + ttl)


async def book(
    cmd: BookAppointment, uow: U, now: datetime,
    identify: Callable[[U], Awaitable[UUID]] | None = None,
) -> BookingResult:
    """Book once per idempotency key; a lost race raises `SlotUnavailable` with alternatives.

    `identify`, when given, names the customer inside the same transaction (after a replayed
    key is ruled out), so registering the customer and booking commit or fail together."""
    try:
        async with uow:
            if identify is not None:
                found = await uow.appointments.by_key(cmd.slot.business_id, cmd.idempotency_key)
                if found is not None:
                    return BookingResult(same_request(found, cmd), replayed=True)
                cmd = replace(cmd, customer_id=await identify(uow))
            result = await book_in(uow, cmd, now)
            await uow.commit()
            return result
    except DuplicateIdempotencyKey:
        async with uow:
            found = await uow.appointments.by_key(cmd.slot.business_id, cmd.idempotency_key)
        if found is None:
            raise
        return BookingResult(same_request(found, cmd), replayed=True)


async def book_in(
    uow: BookingUnitOfWork, cmd: BookAppointment, now: datetime
) -> BookingResult:
    """The body of `book`, inside a transaction the caller owns (a waitlist claim)."""
    if cmd.customer_id is None:
        raise InvalidRequest("a booking needs a customer", field="customer_id")
    repo = uow.appointments
    named = None if cmd.hold_id else cmd.slot.staff_id  # a hold names its own staff member
    context = await repo.context(cmd.slot.business_id, cmd.slot.service_id, named,
                                 cmd.customer_id, cmd.idempotency_key, lock_staff=True,
                                 ahead=(now, cmd.slot.start))
    if isinstance(context, Appointment):
        return BookingResult(same_request(context, cmd), replayed=True)
    catalog, rules, customer = context.catalog, context.rules, context.customer
    if cmd.waive_notice:
        catalog = notice.waived(catalog, cmd.slot.service_id)
    held = await _hold(repo, cmd, now) if cmd.hold_id else None
    if cmd.channel is not Channel.ADMIN:
        await within_contact_caps(repo, cmd.slot.business_id, cmd.contact or context.customer,
                                  rules, now)
    ahead = None if named is None else _reach(named, catalog, cmd.slot)
    await admit(repo, context, now, then_read=ahead)
    # `named`'s lock came with the context (after the customer's row lock); a hold's staff
    # member or the one "anyone" places with is locked by `secure`, after the hold's row.
    placement = await secure(repo, catalog, cmd.slot, cmd.seats, now, held, locked=named,
                             customer_id=cmd.customer_id)
    base = draft(placement, catalog, cmd.customer_id, customer, now)
    history = await _history(repo, placement.service, context)
    appointment = _booked(cmd, base, catalog.deposit_owed(placement.service, history), rules,
                          held, placement.service.card_required)
    reason = "booked from hold" if held else "booked"
    from_status = Status.HELD.value if held else None
    news = messages.booked(appointment, catalog, now, rules.deposits_online)
    news += await reminders(repo, appointment, catalog, now)
    await store(repo, catalog, cmd.slot, appointment, now, held, audit=[AuditEntry(
        appointment.id, now, Actor.CUSTOMER, from_status, appointment.status.value, reason)],
        news=news, outbox=uow.outbox)
    return BookingResult(appointment)


async def reminders(
    repo: AppointmentsPort, appointment: Appointment, catalog: Catalog, now: datetime
) -> list[OutboxMessage]:
    """At the service's lead times, else the business's, else 24 h and 1 h before; none for a
    moment already past. Channels (e-mail, SMS unless opted out) are chosen at send time."""
    offsets = await repo.reminder_offsets(appointment.business_id, appointment.service_id)
    payload = messages.describe(appointment, catalog)
    return reminder_messages(appointment.id, appointment.start, payload, offsets, now)


def _reach(staff_id: UUID, catalog: Catalog, choice: SlotChoice) -> StaffWindow:
    """The window placement reads of `staff_id` for `choice` (`openings.window`, as
    `occupancy` asks it for the one start). Only a hint: a read outside it goes to the
    repository."""
    start, end = window(catalog, choice.service_id, (staff_id,), choice.start,
                        choice.start + SECOND)
    return (staff_id, start, end)


def same_request(found: Appointment, cmd: BookAppointment) -> Appointment:
    """A replayed key must carry the same request (the same customer, or when the customer is
    not yet known, the same contact); reusing it for another is a client bug."""
    same_customer = (found.customer_id == cmd.customer_id if cmd.customer_id is not None
                     else found.contact == cmd.contact)
    if not same_customer or found.service_id != cmd.slot.service_id:
        raise InvalidRequest("idempotency key reused for a different booking",
                             field="idempotency_key")
    return found


async def admit(
    repo: AppointmentsPort, context: BookingContext, now: datetime,
    then_read: StaffWindow | None = None,
) -> None:
    """Blocklist and the per-customer maximum, counted under the customer's row lock (taken
    when the context was read); `then_read`: the locked staff member's time placement will
    read next, read with the count (`AppointmentsPort.count_active`)."""
    if context.blocked:
        raise PolicyViolation("customer_blocked", "bookings for this customer are not accepted")
    limit = context.rules.max_active_per_customer
    active = await repo.count_active(context.customer.id, now, then_read)
    if active >= limit:
        raise PolicyViolation(
            "max_active_bookings", f"a customer can hold at most {limit} upcoming bookings",
            limit=limit, active=active,
        )


async def within_contact_caps(
    repo: AppointmentsPort, business_id: UUID, contact: Contact | Customer, rules: BookingRules,
    now: datetime,
) -> None:
    """The owner's caps on new bookings per phone or e-mail per day and per week, and the
    blocklist by phone or e-mail (the profile's own block is `admit`'s)."""
    caps = ((timedelta(days=1), rules.max_per_contact_day, "day"),
            (timedelta(days=7), rules.max_per_contact_week, "week"))
    record = await repo.contact_record(business_id, contact.phone, contact.email,
                                       [now - window for window, _, _ in caps])
    if record.blocked:
        raise PolicyViolation("customer_blocked", "bookings for this customer are not accepted")
    for (_, limit, label), made in zip(caps, record.counts, strict=True):
        if made >= limit:
            raise PolicyViolation(
                "bookings_per_contact", f"at most {limit} bookings a {label} can be made with "
                "one phone number or e-mail; please call us to book more", limit=limit,
                per=label)


async def _hold(repo: AppointmentsPort, cmd: BookAppointment, now: datetime) -> Appointment:
    if cmd.hold_id is None:
        raise InvalidRequest("no hold given", field="hold_id")
    return check_hold(await repo.get(cmd.hold_id, lock=True), cmd.slot, cmd.customer_id, now)


def check_hold(
    held: Appointment, choice: SlotChoice, customer_id: UUID | None, now: datetime
) -> Appointment:
    """A hold can be used once, before it expires, for its own slot and customer."""
    expires = held.hold_expires_at
    if held.status is not Status.HELD or expires is None or expires <= now:
        raise SlotUnavailable("the hold on that time has expired")
    if held.start != choice.start or held.service_id != choice.service_id:
        raise InvalidRequest("the hold is for another slot", field="hold_id")
    if held.customer_id not in (None, customer_id):
        raise InvalidRequest("the hold belongs to another customer", field="hold_id")
    return held


async def secure(
    repo: AppointmentsPort, catalog: Catalog, choice: SlotChoice, seats: int, now: datetime,
    held: Appointment | None = None, exclude: tuple[UUID, ...] = (),
    locked: UUID | None = None, customer_id: UUID | None = None,
) -> Placement:
    """Place the booking under its staff member's lock, on data read after taking it, with
    the release rules as they bind `customer_id` and the choice's access code (read once).

    Bookings of one staff member queue on the lock, so the engine sees every committed
    neighbour and the daily maximum is counted exactly; without it, conflicting inserts wait on
    each other's exclusion checks and deadlock. "Anyone" picks a person first, then re-checks.
    """
    skip = exclude + ((held.id,) if held else ())
    access = await repo.release_access(choice.business_id, customer_id, choice.codes)
    if held is not None:
        choice = replace(choice, staff_id=held.staff_id, location_id=held.location_id)
    staff_id = choice.staff_id
    if staff_id is None:
        first = await place(repo, catalog, choice, seats, now, skip, access)
        staff_id = first.staff_id
        choice = replace(choice, staff_id=staff_id, location_id=first.location_id)
    if staff_id != locked:  # `locked`: this staff member's lock is already held
        await repo.lock_staff(staff_id)
    return await place(repo, catalog, choice, seats, now, skip, access)


def draft(
    placement: Placement, catalog: Catalog, customer_id: UUID | None,
    customer: Customer | None, now: datetime,
) -> Appointment:
    service, location = placement.service, catalog.location(placement.location_id)
    zone = (customer.time_zone if customer else None) or location.time_zone
    return Appointment(
        id=uuid4(), business_id=catalog.business.id, customer_id=customer_id,
        service_id=service.id, staff_id=placement.staff_id, location_id=location.id,
        start=placement.start, end=placement.end, buffer_before=service.buffer_before,
        buffer_after=service.buffer_after, customer_time_zone=zone, status=Status.PENDING,
        channel=Channel.WEB, created_at=now, updated_at=now, price=service.price,
        location_type=service.location_type, address=location.address,
        contact=Contact(customer.name, customer.phone, customer.email) if customer else None,
    )


def _booked(
    cmd: BookAppointment, base: Appointment, deposit: Decimal, rules: BookingRules,
    held: Appointment | None, card_required: bool = False,
) -> Appointment:
    """Pending while a deposit is unpaid, a card is to be saved (`card_required` with
    payments online, and no deposit asked) or the owner approves each booking, else
    confirmed."""
    payment = _payment(deposit, cmd.payment_reference, card_required and rules.deposits_online)
    waiting = (payment.required and payment.status is not PaymentStatus.PAID
               and rules.deposits_online  # else the deposit is paid at the salon
               or payment.status is PaymentStatus.CARD_PENDING)
    status = Status.PENDING if waiting or rules.require_approval else Status.CONFIRMED
    return replace(
        base, id=held.id if held else base.id, status=status, channel=cmd.channel,
        customer_time_zone=cmd.customer_time_zone or base.customer_time_zone,
        notes=cmd.notes, participants=cmd.participants, seats=cmd.seats,
        meeting_link=cmd.meeting_link, payment=payment, idempotency_key=cmd.idempotency_key,
        confirmed_at=base.created_at if status is Status.CONFIRMED else None,
        contact=cmd.contact or base.contact, series_id=cmd.series_id,
    )


async def _history(repo: AppointmentsPort, service: Service, context: BookingContext
                   ) -> CustomerHistory:
    """What the deposit rule reads of the customer: their past appointments (under their row
    lock, taken with the context), only when the rule depends on them."""
    rule = service.deposit
    if not rule or rule.for_everyone:
        return NEW_CUSTOMER
    return await repo.customer_history(context.catalog.business.id, context.customer.id)


def _payment(deposit: Decimal, reference: str | None, card: bool = False) -> Payment:
    """A deposit is required when the service's rule asks this customer for one; a provider
    reference means paid. With none asked, `card`: a card is to be saved to confirm."""
    if deposit <= 0:
        return Payment(status=PaymentStatus.CARD_PENDING) if card else Payment()
    status = PaymentStatus.PAID if reference else PaymentStatus.PENDING
    return Payment(True, deposit, status, reference)


async def store(
    repo: AppointmentsPort, catalog: Catalog, choice: SlotChoice, appointment: Appointment,
    now: datetime, held: Appointment | None = None, audit: Sequence[AuditEntry] = (),
    news: Sequence[OutboxMessage] = (), outbox: OutboxPort | None = None,
) -> None:
    """Write the row (or turn the hold into it), its `audit` entries and the `news` it
    queues (on `outbox` when a hold is turned; a new row takes them with it, in one
    statement on PostgreSQL); a lost race becomes alternatives."""
    capacity = catalog.service(appointment.service_id).capacity
    try:
        if capacity > 1 and appointment.status is not Status.HELD:
            await repo.take_seats(appointment, capacity, appointment.seats)
        if held is not None:
            await repo.purge_expired_holds(now, appointment.staff_id,
                                           appointment.blocked_start, appointment.blocked_end)
            await repo.update(appointment, capacity)
            await repo.record(audit)
            if news and outbox is not None:
                await outbox.add(news, now)
        else:
            await repo.add(appointment, capacity, now, audit, news)
    except SlotUnavailable:
        raise await unavailable(repo, catalog, choice, appointment.seats, now,
                                message=RACE_LOST) from None
