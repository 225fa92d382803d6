"""Every table filled around the demo salon, so pages and listings are tested with rows in them.

Pages that only ever met empty tables hid a 500 (ORM rows read after their unit of work closed):
`fill` writes at least one row into every mapped table, with text a test can look for on the
page (`Filled.marks`). It writes rows directly rather than through the services, because it
must reach states the services only reach over days (a no-show, a failed confirmation, an
expired offer) and because each row's content must be known to the test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5
from zoneinfo import ZoneInfo

from sqlalchemy import insert, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling import formats
from scheduling.demo import demo_catalog, demo_id, seed_demo_if_empty
from scheduling.persistence import tables
from scheduling.persistence.admin_tables import AdminInvitationRow, AdminSessionRow, AdminUserRow
from scheduling.persistence.booking_tables import (
    AppointmentRow,
    BookingEventRow,
    BookingRulesRow,
    CustomerBlockRow,
    GroupSessionRow,
    SeriesRow,
)
from scheduling.persistence.calendar_tables import (
    CalendarChannelRow,
    CalendarConnectionRow,
    CalendarEventLinkRow,
    CalendarSettingsRow,
    CalendarSyncStateRow,
)
from scheduling.persistence.catalog_tables import (
    BusinessRow,
    CustomerRow,
    ServiceRow,
    StaffTimeOffRow,
)
from scheduling.persistence.customer_tables import CustomerRecordRow
from scheduling.persistence.desk_note_tables import DeskNoteRow
from scheduling.persistence.desk_tables import VerificationCodeRow
from scheduling.persistence.fee_tables import FeeRow, SavedCardRow
from scheduling.persistence.limit_tables import RateLimitRow, ReceiptRow
from scheduling.persistence.notification_tables import (
    DeliveryAttemptRow,
    NotificationAlertRow,
    OutboxDeliveryRow,
    ReminderOffsetsRow,
    SmsOptOutRow,
)
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.payment_tables import CheckoutRow, PaymentEventRow, RefundRow
from scheduling.persistence.release_tables import (
    ReleaseAudienceCodeRow,
    ReleaseAudienceMemberRow,
    ReleaseAudienceRow,
    ReleaseRuleRow,
    WaitingRoomSettingsRow,
)
from scheduling.persistence.replica_tables import JobTickRow, RasaModelRow
from scheduling.persistence.short_link_tables import ShortLinkRow
from scheduling.persistence.waiting_room_tables import (
    WaitingPlaceRow,
    WaitingRoomEventRow,
    WaitingRoomRow,
)
from scheduling.persistence.waitlist_tables import WaitlistEntryRow, WaitlistOfferRow

Row = dict[str, Any]
DESK_KEY = "desk:filledfrontdeskform"
"""The confirmed appointment reads as booked at the front desk (`/admin/bookings/done?key=`)."""
STATUSES = ("held", "pending", "confirmed", "completed", "no_show", "cancelled", "late_cancel",
            "rescheduled")
RASA_EVENTS = """CREATE TABLE IF NOT EXISTS events (
    id serial PRIMARY KEY, sender_id varchar(255) NOT NULL, type_name varchar(255) NOT NULL,
    timestamp double precision, intent_name varchar(255), action_name varchar(255), data text)"""


def fill_id(name: str) -> UUID:
    """A stable id per filled row, so a test can look for it on a page."""
    return uuid5(demo_id("fill"), name)


@dataclass(frozen=True)
class Filled:
    """What was written: ids a test navigates by, and text each page or listing must show."""

    business_id: UUID
    customer_id: UUID
    appointment_ids: dict[str, UUID]
    offer_id: UUID
    admin_email: str
    marks: dict[str, str] = field(default_factory=dict)


def _appointment(status: str, start: datetime, now: datetime, customer: UUID, **extra: Any
                 ) -> Row:
    catalog = demo_catalog()
    service = catalog.services[0]
    staff = catalog.staff[0]
    end = start + service.duration
    row: Row = {
        "id": fill_id(f"appointment/{status}"), "business_id": catalog.business.id,
        "customer_id": customer if status != "held" else None, "service_id": service.id,
        "staff_id": staff.id, "location_id": catalog.business.locations[0].id,
        "session_id": fill_id(f"session/{status}"), "starts_at": start, "ends_at": end,
        "blocked_start": start, "blocked_end": end, "customer_time_zone": "Europe/Lisbon",
        "contact_name": "Fillia Everyrow", "contact_phone": "+15550009001",
        "contact_email": "fillia@example.com", "status": status, "channel": "web",
        "price": Decimal("30.00"), "seats": 1, "participants": [], "notes": f"filled {status}",
        "location_type": "in_person", "address": "1 Main Street", "meeting_link": None,
        "payment_required": False, "payment_amount": Decimal("0"), "payment_status": "not_required",
        "idempotency_key": DESK_KEY if status == "confirmed" else f"fill:{status}",
        "created_at": now - timedelta(days=3), "updated_at": now - timedelta(days=1),
        "hold_expires_at": now + timedelta(minutes=10) if status == "held" else None,
    }
    return row | extra


def _completed_start(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(days=2) \
        + timedelta(hours=2 * STATUSES.index("completed"))


def _waitlist_day(now: datetime) -> datetime:
    return (now + timedelta(days=6)).replace(hour=14, minute=0, second=0, microsecond=0)


def _appointments(now: datetime, customer: UUID) -> list[Row]:
    """One appointment per status; the cancelled ones carry fees, and a rescheduled one points
    at the confirmed appointment that replaced it (a chain of two)."""
    base = now.replace(minute=0, second=0, microsecond=0)
    past = {"completed", "no_show"}
    rows = []
    for i, status in enumerate(STATUSES):
        start = base + (timedelta(days=-2) if status in past else timedelta(days=2)) \
            + timedelta(hours=2 * i)
        extra: Row = {}
        if status in ("cancelled", "late_cancel"):
            extra = {"cancelled_by": "customer", "cancel_reason": "filled cancellation",
                     "cancel_fee": Decimal("15.00"), "refund_amount": Decimal("15.00"),
                     "cancelled_at": now - timedelta(hours=5)}
        if status == "completed":
            extra = {"checked_in_at": start, "completed_at": start + timedelta(hours=1),
                     "confirmed_at": now - timedelta(days=3)}
        if status == "confirmed":
            extra = {"rescheduled_from": fill_id("appointment/rescheduled"),
                     "confirmed_at": now - timedelta(days=1), "confirmation_failed": True}
        if status == "rescheduled":
            extra = {"rescheduled_to": fill_id("appointment/confirmed")}
        if status == "pending":  # its service asks for a card to confirm (no deposit)
            extra = {"payment_status": "card_pending"}
        rows.append(_appointment(status, start, now, customer, **extra))
    return rows


async def _catalog_extras(session: AsyncSession, now: datetime, business: UUID,
                          customer: UUID) -> None:
    catalog = demo_catalog()
    staff, service = catalog.staff[0].id, catalog.services[0].id
    await session.execute(insert(CustomerRow).values(
        id=customer, business_id=business, name="Fillia Everyrow", phone="+15550009001",
        email="fillia@example.com", phone_verified_at=now, time_zone="Europe/Lisbon",
        notifications={}, preferences={}, created_at=now - timedelta(days=30)))
    blocked = fill_id("customer/blocked")
    await session.execute(insert(CustomerRow).values(
        id=blocked, business_id=business, name="Blocked Bob", phone="+15550009002",
        notifications={}, preferences={}, created_at=now - timedelta(days=30)))
    await session.execute(insert(CustomerBlockRow).values(customer_id=blocked,
                                                          reason="filled block"))
    await session.execute(insert(StaffTimeOffRow).values(
        id=fill_id("time-off"), staff_id=staff, starts_at=now + timedelta(days=300),
        ends_at=now + timedelta(days=301), reason="filled holiday"))  # past the desk tests' days
    await session.execute(insert(GroupSessionRow).values(
        id=fill_id("group"), staff_id=staff, service_id=service,
        starts_at=now + timedelta(days=9), capacity=4, seats_taken=1))
    await session.execute(insert(SeriesRow).values(
        id=fill_id("series"), business_id=business, customer_id=customer,
        rule={"every_weeks": 2, "count": 3}, created_at=now - timedelta(days=3)))
    await session.execute(insert(BookingRulesRow).values(
        business_id=business, max_active_per_customer=5, require_approval=False,
        hold_minutes=10, claim_window_minutes=30, no_show_grace_minutes=15))
    await session.execute(insert(ReminderOffsetsRow).values(
        scope_id=business, business_id=business, minutes=[1440, 60]))
    await session.execute(update(BusinessRow).where(BusinessRow.id == business).values(
        message_parts={"signature": "Filled signature", "parking_notes": "Filled parking"}))
    await session.execute(update(ServiceRow).where(ServiceRow.id == service).values(
        card_required=True))  # no-show protection: the pending booking waits for a card


async def _booking(session: AsyncSession, now: datetime, customer: UUID) -> dict[str, UUID]:
    rows = _appointments(now, customer)
    chain = [r for r in rows if r["status"] in ("confirmed", "rescheduled")]
    for row in chain:  # the chain's links are written once both ends exist
        row["held_links"] = (row.pop("rescheduled_from", None), row.pop("rescheduled_to", None))
    for row in rows:
        links = row.pop("held_links", None)
        await session.execute(insert(AppointmentRow).values(**row))
        if links:
            row["links"] = links
    for row in chain:
        await session.execute(AppointmentRow.__table__.update()
                              .where(AppointmentRow.id == row["id"])
                              .values(rescheduled_from=row["links"][0],
                                      rescheduled_to=row["links"][1]))
    await session.execute(insert(BookingEventRow), [
        {"subject": "appointment", "subject_id": r["id"], "at": r["created_at"],
         "actor": "customer", "from_status": None, "to_status": r["status"],
         "reason": "filled event", "data": {"by": "fill"}} for r in rows])
    return {r["status"]: r["id"] for r in rows}


async def _waitlist(session: AsyncSession, now: datetime, business: UUID, customer: UUID,
                    hold: UUID) -> UUID:
    catalog = demo_catalog()
    staff, service = catalog.staff[0].id, catalog.services[0].id
    day = _waitlist_day(now)
    for name, status in (("waiting", "waiting"), ("offered", "offered")):
        await session.execute(insert(WaitlistEntryRow).values(
            id=fill_id(f"waitlist/{name}"), business_id=business, customer_id=customer,
            service_id=service, staff_id=staff if name == "offered" else None,
            windows=[[day.isoformat(), (day + timedelta(hours=3)).isoformat()]],
            status=status, created_at=now - timedelta(hours=2), updated_at=now))
    offer = fill_id("waitlist/offer")
    await session.execute(insert(WaitlistOfferRow).values(
        id=offer, entry_id=fill_id("waitlist/offered"), hold_id=hold, staff_id=staff,
        starts_at=day, offered_at=now - timedelta(minutes=5),
        expires_at=now + timedelta(minutes=25), status="offered", data={"by": "fill"}))
    return offer


async def _messages(session: AsyncSession, now: datetime, business: UUID,
                    appointment: UUID) -> None:
    for kind, status in (("confirmation", "failed"), ("reminder", "sent"),
                         ("reminder", "pending")):
        outbox = fill_id(f"outbox/{kind}/{status}")
        await session.execute(insert(OutboxRow).values(
            id=outbox, kind=kind, payload={"business_id": str(business), "service": "Filled"},
            due_at=now - timedelta(hours=1), status=status, attempts=1,
            last_error="filled bounce" if status == "failed" else None,
            created_at=now - timedelta(hours=2), appointment_id=appointment,
            dedupe_key=f"fill:{kind}:{status}"))
        await session.execute(insert(OutboxDeliveryRow).values(
            outbox_id=outbox, claims=1, next_attempt_at=None))
        if status != "pending":
            await session.execute(insert(DeliveryAttemptRow).values(
                outbox_id=outbox, channel="email", provider="sendgrid",
                recipient=f"fill-{status}@example.com", idempotency_key=f"fill-{outbox}",
                status=status, error="filled bounce" if status == "failed" else None,
                summary="filled", at=now - timedelta(minutes=30)))
    await session.execute(insert(NotificationAlertRow).values(
        id=fill_id("alert"), business_id=business, appointment_id=appointment,
        outbox_id=fill_id("outbox/confirmation/failed"), kind="confirmation_failed",
        message="Filled alert: the confirmation could not be delivered",
        created_at=now - timedelta(minutes=20)))
    await session.execute(insert(SmsOptOutRow).values(phone="+15550009003",
                                                      opted_out_at=now - timedelta(days=1)))
    await session.execute(insert(ShortLinkRow).values(
        code="F1lled00", action="manage", subject_id=appointment, created_at=now,
        expires_at=now + timedelta(days=30)))


async def _calendar(session: AsyncSession, now: datetime, business: UUID,
                    appointment: UUID) -> None:
    connection = fill_id("calendar")
    await session.execute(insert(CalendarConnectionRow).values(
        id=connection, staff_id=demo_catalog().staff[0].id, account_email="fill-cal@example.com",
        calendar_ids=["primary"], event_calendar_id="primary", token_cipher="not-a-token",
        status="error", last_error="filled token revoked", busy_version=2,
        created_at=now - timedelta(days=10), updated_at=now - timedelta(days=1)))
    await session.execute(insert(CalendarChannelRow).values(
        id="fill-channel", connection_id=connection, calendar_id="primary",
        resource_id="fill-resource", token="fill-token", expires_at=now + timedelta(days=6)))
    await session.execute(insert(CalendarSyncStateRow).values(
        connection_id=connection, calendar_id="primary", sync_token="fill-sync",
        synced_at=now - timedelta(hours=1)))
    await session.execute(insert(CalendarEventLinkRow).values(
        appointment_id=appointment, connection_id=connection, calendar_id="primary",
        event_id="fill-event", starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1), meet_link=None, sync_note=None,
        updated_at=now))
    await session.execute(insert(CalendarSettingsRow).values(business_id=business,
                                                             invite_customer=True))


async def _desk_and_limits(session: AsyncSession, now: datetime, customer: UUID,
                           admin_email: str) -> None:
    await session.execute(insert(VerificationCodeRow).values(
        id=fill_id("code"), customer_id=customer, code_hash="0" * 64, sent_to="+15550009001",
        attempts=1, created_at=now - timedelta(minutes=2), expires_at=now + timedelta(minutes=8)))
    await session.execute(insert(CustomerRecordRow).values(
        customer_id=customer, notes="Filled customer note", updated_at=now))
    await session.execute(insert(RateLimitRow).values(key="fill:limit", full_at=now))
    await session.execute(insert(ReceiptRow).values(
        source="twilio", key="fill-receipt", received_at=now,
        expires_at=now + timedelta(days=1), reply="<Response/>"))
    await session.execute(insert(AdminUserRow).values(
        email=admin_email, password_hash="filled", created_at=now, updated_at=now))
    await session.execute(insert(AdminSessionRow).values(
        token_hash="f" * 64, email=admin_email, created_at=now, last_seen_at=now,
        expires_at=now + timedelta(hours=1), revoked_at=None, client_address="127.0.0.1",
        user_agent="fill"))
    await _staff_accounts(session, now, admin_email)


async def _staff_accounts(session: AsyncSession, now: datetime, admin_email: str) -> None:
    """A staff account linked to Ana and an open invitation for another."""
    ana = demo_catalog().staff[0].id
    await session.execute(insert(AdminUserRow).values(
        email="fill-staff@example.com", password_hash="filled", created_at=now, updated_at=now,
        role="staff", staff_id=ana))
    await session.execute(insert(AdminInvitationRow).values(
        id=fill_id("invitation"), token_hash="e" * 64, email="fill-invitee@example.com",
        role="staff", staff_id=ana, invited_by=admin_email, created_at=now,
        expires_at=now + timedelta(days=7), used_at=None))


async def _payments(session: AsyncSession, now: datetime, ids: dict[str, UUID]) -> None:
    """A checkout of the pending booking, a webhook event, a refund of the cancelled one, and
    the no-show's saved card and the fee charged to it."""
    await session.execute(insert(CheckoutRow).values(
        appointment_id=ids["pending"], session_id="cs_test_filled",
        url="https://checkout.stripe.com/c/pay/cs_test_filled", amount=Decimal("30.00"),
        expires_at=now + timedelta(minutes=30), created_at=now))
    await session.execute(insert(PaymentEventRow).values(
        event_id="evt_filled", type="checkout.session.completed",
        appointment_id=ids["pending"], outcome="paid", received_at=now))
    await session.execute(insert(RefundRow).values(
        outbox_id=fill_id("refund"), appointment_id=ids["cancelled"], amount=Decimal("30.00"),
        payment_reference="pi_filled", provider_id="re_filled", status="succeeded",
        attempts=1, last_error=None, created_at=now, updated_at=now))
    await session.execute(insert(SavedCardRow).values(
        appointment_id=ids["no_show"], customer_id=None, provider_customer="cus_filled",
        payment_method="pm_filled", created_at=now))
    await session.execute(insert(FeeRow).values(
        outbox_id=fill_id("fee"), appointment_id=ids["no_show"], kind="no_show",
        amount=Decimal("40.00"), status="charged", provider_id="pi_fee_filled", attempts=1,
        last_error=None, created_at=now, updated_at=now))


async def _waiting_room(session: AsyncSession, now: datetime, business: UUID,
                        customer: UUID) -> None:
    """A Men's cut room tomorrow with the customer waiting in it, and their entry audited."""
    room, place = fill_id("waiting-room"), fill_id("waiting-place")
    service = next(s.id for s in demo_catalog().services if s.name == "Men's cut")
    day = now.astimezone(demo_catalog().business.zone).date() + timedelta(days=1)
    await session.execute(insert(WaitingRoomRow).values(
        id=room, business_id=business, service_id=service, day=day, created_at=now))
    await session.execute(insert(WaitingPlaceRow).values(
        id=place, room_id=room, customer_id=customer, channel="web", state="waiting",
        entered_at=now, last_seen_at=now))
    await session.execute(insert(WaitingRoomEventRow).values(
        room_id=room, place_id=place, customer_id=customer, event="entered", channel="web",
        client="127.0.0.1", at=now))


async def _releases(session: AsyncSession, now: datetime, business: UUID,
                    customer: UUID) -> None:
    """A VIP audience (the customer and a code) let in two hours early to the Men's cut's
    weekly Sunday 18:00 release of the week a year ahead (so it closes nothing the desk tests
    book), and the service's waiting-room settings."""
    audience = fill_id("audience")
    service = next(s.id for s in demo_catalog().services if s.name == "Men's cut")
    await session.execute(insert(ReleaseAudienceRow).values(
        id=audience, business_id=business, name="Filled VIPs", created_at=now))
    await session.execute(insert(ReleaseAudienceMemberRow).values(
        audience_id=audience, customer_id=customer))
    await session.execute(insert(ReleaseAudienceCodeRow).values(
        audience_id=audience, code_hash="c" * 64, created_at=now))
    await session.execute(insert(ReleaseRuleRow).values(
        id=fill_id("release-rule"), business_id=business, service_id=service, staff_id=None,
        period="week", weekday=6, opens_at=time(18), lead=52, audience_id=audience,
        early_minutes=120, created_at=now))
    await session.execute(insert(WaitingRoomSettingsRow).values(
        service_id=service, business_id=business, threshold=20, admit_at_once=5,
        hold_minutes=5, updated_at=now))


async def _replicas(session: AsyncSession, now: datetime) -> None:
    """A claimed job tick and a published model, as replicas leave them."""
    await session.execute(insert(JobTickRow).values(
        job="fill-job", tick=now, claimed_by="fill-host", started_at=now, finished_at=now,
        failed=False))
    await session.execute(insert(RasaModelRow).values(
        digest="d" * 64, name="model-filled.tar.gz", body=b"filled", published_at=now))


async def _conversation(session: AsyncSession, now: datetime) -> None:
    """Rasa's tracker table, which Rasa creates in production; the caller drops it."""
    await session.execute(text(RASA_EVENTS))
    stamp = now.timestamp()
    await session.execute(text(
        "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) VALUES "
        "('fill-sender', 'user', :t, 'book', :u), ('fill-sender', 'bot', :t, NULL, :b)"),
        {"t": stamp, "u": '{"text": "filled hello", "parse_data": {"intent": {"name": "book"}}}',
         "b": '{"text": "filled reply"}'})


async def fill(factory: async_sessionmaker[AsyncSession], now: datetime) -> Filled:
    """Seed the demo salon and write rows into every table; returns what a page must show."""
    await seed_demo_if_empty(factory)
    business, customer, admin = demo_catalog().business.id, fill_id("customer"), \
        "fill-admin@example.com"
    async with factory() as session:
        await _catalog_extras(session, now, business, customer)
        ids = await _booking(session, now, customer)
        offer = await _waitlist(session, now, business, customer, ids["held"])
        await _messages(session, now, business, ids["confirmed"])
        await _calendar(session, now, business, ids["confirmed"])
        await session.execute(insert(DeskNoteRow).values(
            appointment_id=ids["confirmed"], body="Filled desk note", updated_by=admin,
            updated_at=now - timedelta(hours=1)))
        await _desk_and_limits(session, now, customer, admin)
        await _payments(session, now, ids)
        await _waiting_room(session, now, business, customer)
        await _releases(session, now, business, customer)
        await _replicas(session, now)
        await _conversation(session, now)
        await session.commit()
    return Filled(business, customer, ids, offer, admin, marks={
        "alert": "Filled alert: the confirmation could not be delivered",
        "attempt": "fill-failed@example.com", "calendar": "filled token revoked",
        "conversation": "fill-sender", "transcript": "filled hello",
        "invitee": "fill-invitee@example.com", "audience": "Filled VIPs",
        "appointment": str(ids["confirmed"])[:8].upper(), "customer": "Fillia Everyrow",
        "waitlist": formats.short_when(_waitlist_day(now), demo_catalog().business.zone),
        "booked_day": _completed_start(now).astimezone(ZoneInfo(demo_catalog().business.time_zone))
        .date().isoformat(),
    })


async def empty_tables(factory: async_sessionmaker[AsyncSession]) -> list[str]:
    """The mapped tables with no row: what `fill` missed (the test of `fill` asserts none)."""
    async with factory() as session:
        return [t.name for t in tables.metadata.sorted_tables
                if not await session.scalar(text(f'SELECT EXISTS (SELECT FROM "{t.name}")'))]


async def drop_conversations(factory: async_sessionmaker[AsyncSession]) -> None:
    async with factory() as session:
        await session.execute(text("DROP TABLE IF EXISTS events"))
        await session.commit()
