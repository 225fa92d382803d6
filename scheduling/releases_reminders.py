"""A reminder at a release (issue 20): a customer told "next week's slots open Sunday at 6 PM"
asks to be told when they do. The message goes through the outbox, due at the instant the
slots open to that customer (their audience's early opening when they are in one); its dedupe
key names the rule, that instant and the customer, so asking twice queues it once."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from scheduling.booking.messages import OutboxMessage
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork
from scheduling.releases import pending
from scheduling.releases_words import period_words

KIND = "release_reminder"


async def remind_at_release(
    uow: BookingUnitOfWork, business_id: UUID, service_id: UUID, customer_id: UUID,
    now: datetime,
) -> datetime:
    """Queue the reminder of the service's next release for this customer; when it is due."""
    async with uow:
        catalog = await uow.catalog.get(business_id)
        service = catalog.offered_service(service_id)
        access = await uow.appointments.release_access(business_id, customer_id)
        horizon = now + timedelta(days=service.max_advance_days)
        ahead = pending(access, service_id, None, catalog.business.zone, now, horizon, now)
        if not ahead:
            raise InvalidRequest(f"no release of {service.name} is ahead", field="service_id")
        rule, release, opens = ahead[0]
        key = f"{KIND}:{rule.id}:{opens.isoformat()}:{customer_id}"
        await uow.outbox.add([OutboxMessage(KIND, key, opens, {
            "business_id": str(business_id), "customer_id": str(customer_id),
            "service": service.name, "slots": period_words(rule),
            "first_day": release.first_day.isoformat(), "opens_at": opens.isoformat()})], now)
        await uow.commit()
    return opens
