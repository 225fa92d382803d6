"""Services: what is booked, for how long, at what price, and what the bot calls it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from scheduling.catalog import Catalog, Service, normalise
from scheduling.desk.setup.change import apply, offered, unchanged, unique_name, upsert
from scheduling.desk.setup.checks import known
from scheduling.desk.setup.values import Changed
from scheduling.errors import InvalidRequest
from scheduling.ports import SetupUnitOfWork

MAX_OFFSETS = 5


@dataclass(frozen=True, slots=True)
class SaveService:
    """Create (a new id) or replace a service; `was`: the value the edit started from."""

    business_id: UUID
    service: Service
    was: Service | None = None


@dataclass(frozen=True, slots=True)
class SetReminders:
    """Reminder lead times of the business (`scope_id` is its id) or of one service."""

    business_id: UUID
    scope_id: UUID
    offsets: tuple[timedelta, ...]


async def save_service(cmd: SaveService, uow: SetupUnitOfWork, now: datetime) -> Changed:
    service = cmd.service
    if not service.name.strip():
        raise InvalidRequest("name: must not be empty", field="name")

    def edit(catalog: Catalog) -> Catalog:
        offered(catalog.archived.services, service.id, lambda x: x.id, "service")
        unchanged(catalog.services, cmd.was, lambda x: x.id, "service")
        others = [s for s in catalog.services if s.id != service.id]
        unique_name([(s.id, s.name) for s in others], service.id, service.name, "service")
        _distinct_words(others, service)
        known(service.location_ids, [loc.id for loc in catalog.business.locations],
              "location_ids")
        return replace(catalog, services=upsert(catalog.services, service, lambda s: s.id))
    return await apply(uow, cmd.business_id, edit, now)


def _distinct_words(others: list[Service], service: Service) -> None:
    """The bot finds a service by its name or an alias; one word naming two is ambiguous."""
    for word in (service.name, *service.aliases):
        clash = next((s for s in others if s.answers_to(word)), None)
        if clash is not None or not normalise(word):
            why = f"already names {clash.name!r}" if clash else "has no letters or digits"
            raise InvalidRequest(f"aliases: {word!r} {why}", field="aliases")


async def set_reminders(cmd: SetReminders, uow: SetupUnitOfWork) -> tuple[timedelta, ...]:
    if len(cmd.offsets) > MAX_OFFSETS or any(o <= timedelta(0) for o in cmd.offsets):
        raise InvalidRequest(f"reminder_offsets: at most {MAX_OFFSETS}, each positive",
                             field="reminder_offsets")
    async with uow:
        catalog = await uow.catalog.get(cmd.business_id)
        if cmd.scope_id != cmd.business_id:
            catalog.service(cmd.scope_id)
        await uow.setup.set_reminders(cmd.business_id, cmd.scope_id, cmd.offsets)
        await uow.commit()
    return tuple(sorted(set(cmd.offsets), reverse=True))


async def reminders_of(business_id: UUID, scope_id: UUID, uow: SetupUnitOfWork
                       ) -> tuple[timedelta, ...]:
    """A service's lead times (else the business's, else the defaults), or the business's."""
    async with uow:
        catalog = await uow.catalog.get(business_id)
        if scope_id != business_id:
            catalog.service(scope_id)
        return await uow.appointments.reminder_offsets(business_id, scope_id)
