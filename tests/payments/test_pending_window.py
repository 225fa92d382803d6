"""No booking is left pending past its payment window without the customer having been told.

Random timelines on PostgreSQL of a salon taking its deposits online: bookings made, paid
(the provider's event, possibly after the booking was released), moved while still unpaid,
the owner switching to deposits at the salon, and the release job run at random moments.
After every run of the job: nothing is pending for its deposit past its window; each booking
it released is cancelled "payment not received" with its cancellation message, written in one
transaction (the job killed at its commit leaves neither); every booking still waiting for
its deposit online has a pay link queued or sent (a moved one too); one left waiting when the owner
switched to the salon is confirmed with its confirmation; and every payment either confirmed
its booking or is queued to be refunded in full (paid after the release, for a booking since
moved, or twice).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from backends import Postgres
from booking_builders import NOW, Salon, build_salon, ny
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking import attendance, changes, online_payments, payments, services
from scheduling.booking.commands import RescheduleAppointment
from scheduling.booking.online_payments import EventOutcome, ProviderEvent
from scheduling.booking.payments import MarkPaid, PaidIn
from scheduling.booking.policies import BookingRules
from scheduling.persistence.payment_store import PaymentUnitOfWork

pytestmark = pytest.mark.db
Factory = async_sessionmaker[AsyncSession]
STEP = st.tuples(st.integers(0, 240), st.sampled_from(["book", "pay", "release", "move",
                                                        "at_salon"]), st.integers(0, 9))


class Timeline:
    """One salon's bookings as the steps make and change them."""

    def __init__(self, factory: Factory, salon: Salon) -> None:
        self.factory, self.salon = factory, salon
        self.uow = PaymentUnitOfWork(factory)
        self.booked: list[UUID] = []
        self.moved: list[UUID] = []
        self.paid: list[tuple[UUID, str, EventOutcome]] = []
        self.moves = 0
        self.at_salon_since = False

    def _slot(self, n: int, first_day: int) -> tuple[datetime, str]:
        """Ana's and Ben's 9 AM and 2 PM, day by day: never two bookings in one place."""
        return ny(3, first_day + n // 4, 9 if n // 2 % 2 == 0 else 14), ("Ana", "Ben")[n % 2]

    async def book(self, now: datetime, pick: int) -> None:
        start, staff = self._slot(len(self.booked), 15)
        cmd = self.salon.booking("Colour", start, customer=pick % 4, staff=staff)
        self.booked.append((await services.book(cmd, self.uow, now)).appointment.id)

    async def pay(self, now: datetime, pick: int) -> None:
        """A checkout paid: for a booking as it is now, or one since moved (its old checkout
        paid in a tab left open), maybe paid already."""
        payable = self.booked + self.moved
        if not payable:
            return
        target, reference = payable[pick % len(payable)], f"pi_{uuid4().hex[:12]}"
        event = ProviderEvent(f"evt_{uuid4().hex}", "checkout.session.completed", target,
                              reference, Decimal("30.00"))
        self.paid.append((target, reference,
                          await online_payments.settle(event, self.uow, now)))

    async def move(self, now: datetime, pick: int) -> None:
        """A pending booking moved by its customer (its successor is the booking now)."""
        waiting = [i for i, a in enumerate(self.booked) if await self.status(a) == "pending"]
        if not waiting:
            return
        index = waiting[pick % len(waiting)]
        start, staff = self._slot(self.moves, 22)
        self.moves += 1
        staff_id = self.salon.staff(staff).id
        moved = await changes.reschedule(RescheduleAppointment(self.booked[index], start,
                                                               staff_id=staff_id),
                                         self.uow, now)
        self.moved.append(self.booked[index])
        self.booked[index] = moved.new.id

    async def at_salon(self) -> None:
        """The owner now takes deposits in person: what is still waiting is confirmed at its
        window's end, no pay link is sent for it any more."""
        self.at_salon_since = True
        await self.sql("UPDATE booking_rules SET deposits_online = false WHERE business_id = :b",
                       b=self.salon.id)

    async def sql(self, query: str, **params: object) -> list[tuple[object, ...]]:
        async with self.factory() as session:
            result = await session.execute(text(query), params)
            found = [tuple(row) for row in result] if result.returns_rows else []
            await session.commit()
        return found

    async def status(self, appointment_id: UUID) -> str:
        [(status,)] = await self.sql("SELECT status FROM appointments WHERE id = :a",
                                     a=appointment_id)
        return str(status)


class CrashBeforeCommit(PaymentUnitOfWork):
    """The release job's unit of work dying at its commit (the process killed there)."""

    async def commit(self) -> None:
        await self.session.flush()
        raise ConnectionResetError("killed before the commit")


async def _released_and_told(timeline: Timeline, now: datetime, window: timedelta) -> None:
    """The job run once killed at its commit (all or nothing: nothing released, nothing
    said), then for real."""
    told = "SELECT a.id, a.status, count(o.id) FROM appointments a LEFT JOIN outbox o ON " \
           "o.appointment_id = a.id AND o.kind = 'cancellation' WHERE a.business_id = :b " \
           "GROUP BY a.id, a.status ORDER BY a.id"
    before = await timeline.sql(told, b=timeline.salon.id)
    with pytest.raises(ConnectionResetError):
        await attendance.expire_unpaid(CrashBeforeCommit(timeline.factory), now)
    assert await timeline.sql(told, b=timeline.salon.id) == before
    swept = await attendance.expire_unpaid(timeline.uow, now)
    late = await timeline.sql(
        "SELECT id FROM appointments WHERE business_id = :b AND status = 'pending' AND "
        "payment_required AND payment_status = 'pending' AND created_at + :w <= :now",
        b=timeline.salon.id, w=window, now=now)
    assert late == [], f"pending past the window at {now}"
    for appointment_id in swept.expired:
        [(reason, messages)] = await timeline.sql(
            "SELECT a.cancel_reason, count(o.id) FROM appointments a JOIN outbox o ON "
            "o.appointment_id = a.id AND o.kind = 'cancellation' WHERE a.id = :a "
            "GROUP BY a.cancel_reason", a=appointment_id)
        assert (reason, messages) == (attendance.PAYMENT_NOT_RECEIVED, 1)
    for appointment_id in swept.at_salon:
        confirmed = await timeline.sql(
            "SELECT a.status, a.payment_status FROM appointments a JOIN outbox o ON "
            "o.appointment_id = a.id AND o.kind = 'confirmation' WHERE a.id = :a",
            a=appointment_id)
        assert confirmed == [("confirmed", "pending")]


async def _told_how_to_pay(timeline: Timeline) -> None:
    untold = await timeline.sql(
        "SELECT a.id FROM appointments a WHERE a.business_id = :b AND a.status = 'pending' "
        "AND a.payment_required AND a.payment_status = 'pending' AND NOT EXISTS (SELECT 1 "
        "FROM outbox o WHERE o.appointment_id = a.id AND o.kind = 'pending_payment' AND "
        "o.status IN ('pending', 'sent'))", b=timeline.salon.id)
    assert untold == [], "waiting for a deposit with no pay link queued"


async def _no_money_kept(timeline: Timeline) -> None:
    """Each payment confirmed its booking, or is queued to go back in full."""
    for appointment_id, reference, outcome in timeline.paid:
        if outcome is EventOutcome.PAID:
            [(paid,)] = await timeline.sql("SELECT payment_reference FROM appointments WHERE "
                                           "id = :a", a=appointment_id)
            assert paid == reference
            continue
        assert outcome is EventOutcome.REFUNDING, outcome
        [(amount,)] = await timeline.sql(
            "SELECT payload->>'amount' FROM outbox WHERE kind = 'refund' AND dedupe_key = :k",
            k=f"refund:{appointment_id}:late:{reference}")
        assert Decimal(str(amount)) == Decimal("30.00")


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(minutes=st.sampled_from([15, 30, 45]), steps=st.lists(STEP, min_size=1, max_size=12))
async def test_after_every_release_nothing_is_pending_past_its_window_untold(
    session_factory: Factory, clean_tables: None, minutes: int,
    steps: list[tuple[int, str, int]],
) -> None:
    salon, window = build_salon(), timedelta(minutes=minutes)
    postgres = Postgres(session_factory)
    await postgres.seed(salon)
    await postgres.set_rules(salon.id, BookingRules(
        deposits_online=True, payment_window=window, max_active_per_customer=50,
        max_per_contact_day=50, max_per_contact_week=50))
    timeline = Timeline(session_factory, salon)
    for offset, kind, pick in sorted(steps) + [(600, "release", 0)]:
        now = NOW + timedelta(minutes=offset)
        if kind == "release":
            await _released_and_told(timeline, now, window)
        elif kind == "at_salon":
            await timeline.at_salon()
        else:
            await getattr(timeline, kind)(now, pick)
        if not timeline.at_salon_since:
            await _told_how_to_pay(timeline)
    await _no_money_kept(timeline)


async def _online_salon(session_factory: Factory) -> Timeline:
    salon = build_salon()
    postgres = Postgres(session_factory)
    await postgres.seed(salon)
    await postgres.set_rules(salon.id, BookingRules(deposits_online=True))
    timeline = Timeline(session_factory, salon)
    await timeline.book(NOW, 0)
    return timeline


async def _queued(timeline: Timeline, appointment_id: UUID) -> dict[str, str]:
    found = await timeline.sql("SELECT kind, status FROM outbox WHERE appointment_id = :a",
                               a=appointment_id)
    return {str(kind): str(status) for kind, status in found}


async def test_a_moved_unpaid_booking_gets_a_new_pay_link_and_the_old_checkout_is_refunded(
    session_factory: Factory, clean_tables: None,
) -> None:
    timeline = await _online_salon(session_factory)
    [old] = timeline.booked
    await timeline.move(NOW + timedelta(minutes=10), 0)
    [new] = timeline.booked
    assert (await _queued(timeline, old))["pending_payment"] == "cancelled"
    assert (await _queued(timeline, new))["pending_payment"] == "pending"
    await timeline.pay(NOW + timedelta(minutes=12), 1)  # the old booking's checkout
    assert [(a, o) for a, _, o in timeline.paid] == [(old, EventOutcome.REFUNDING)]
    assert await timeline.status(new) == "pending"
    await _no_money_kept(timeline)


async def test_waiting_when_the_owner_switched_to_the_salon_it_is_confirmed_not_released(
    session_factory: Factory, clean_tables: None,
) -> None:
    timeline = await _online_salon(session_factory)
    [booked] = timeline.booked
    await timeline.at_salon()
    swept = await attendance.expire_unpaid(timeline.uow, NOW + timedelta(minutes=31))
    assert (swept.expired, swept.at_salon) == ((), (booked,))
    queued = await _queued(timeline, booked)
    assert (queued["confirmation"], queued["pending_payment"]) == ("pending", "cancelled")
    assert "cancellation" not in queued


async def test_a_deposit_paid_at_the_desk_and_then_online_is_refunded_once(
    session_factory: Factory, clean_tables: None,
) -> None:
    timeline = await _online_salon(session_factory)
    [booked] = timeline.booked
    await payments.mark_paid(MarkPaid(booked, PaidIn.CASH), timeline.uow, NOW)
    await timeline.pay(NOW + timedelta(minutes=5), 0)
    [(_, reference, outcome)] = timeline.paid
    assert outcome is EventOutcome.REFUNDING
    [(reason,)] = await timeline.sql("SELECT payload->>'reason' FROM outbox WHERE kind = "
                                     "'refund' AND dedupe_key = :k",
                                     k=f"refund:{booked}:late:{reference}")
    assert reason == online_payments.PAID_TWICE
    [(paid_with,)] = await timeline.sql("SELECT payment_reference FROM appointments WHERE "
                                        "id = :a", a=booked)
    assert paid_with == "in person (cash)"


async def test_moved_while_pending_for_approval_at_the_salon_no_pay_link(
    session_factory: Factory, clean_tables: None,
) -> None:
    salon = build_salon()
    postgres = Postgres(session_factory)
    await postgres.seed(salon)
    await postgres.set_rules(salon.id, BookingRules(require_approval=True))
    timeline = Timeline(session_factory, salon)
    await timeline.book(NOW, 0)
    await timeline.move(NOW + timedelta(minutes=10), 0)
    [moved] = timeline.booked
    assert await timeline.status(moved) == "pending"
    assert "pending_payment" not in await _queued(timeline, moved)
