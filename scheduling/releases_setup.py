"""The owner's release use cases (issue 20): rules, audiences (customers by their contact,
access codes) and waiting-room settings, each one transaction.

Rules are checked against the catalog here (a service or staff member the business does not
offer is `NotFound`), values by their own constructors (`ReleaseRule`, `WaitingRoomSettings`).
"""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

from scheduling.errors import InvalidRequest, NotFound
from scheduling.ports import ReleaseUnitOfWork
from scheduling.releases import ReleaseRule
from scheduling.releases_settings import WaitingRoomSettings

CODE = re.compile(r"[A-Za-z0-9-]{4,40}")
NAME_CHARS = 80


async def add_rule(uow: ReleaseUnitOfWork, rule: ReleaseRule, now: datetime) -> None:
    async with uow:
        catalog = await uow.catalog.get(rule.business_id)
        if rule.service_id is not None:
            catalog.offered_service(rule.service_id)
        if rule.staff_id is not None and rule.staff_id not in {s.id for s in catalog.staff}:
            raise NotFound("staff", rule.staff_id)
        if rule.audience_id is not None:
            await _audience(uow, rule.business_id, rule.audience_id)
        await uow.releases.add_rule(rule, now)
        await uow.commit()


async def delete_rule(uow: ReleaseUnitOfWork, business_id: UUID, rule_id: UUID) -> None:
    async with uow:
        await uow.releases.delete_rule(business_id, rule_id)
        await uow.commit()


async def add_audience(
    uow: ReleaseUnitOfWork, business_id: UUID, name: str, now: datetime
) -> UUID:
    plain = " ".join(name.split())
    if not 0 < len(plain) <= NAME_CHARS:
        raise InvalidRequest(f"an audience's name is 1 to {NAME_CHARS} characters",
                             field="name")
    async with uow:
        found = await uow.releases.add_audience(business_id, plain, now)
        await uow.commit()
    return found


async def add_member(
    uow: ReleaseUnitOfWork, business_id: UUID, audience_id: UUID, contact: str
) -> UUID:
    """The customer with this phone (E.164) or e-mail joins the audience; `NotFound` when
    the business has no such customer (a list holds known customers only)."""
    typed = contact.strip()
    async with uow:
        await _audience(uow, business_id, audience_id)
        found = (await uow.desk.customer_id_by_email(business_id, typed) if "@" in typed
                 else await uow.desk.customer_id_by_phone(business_id, typed))
        if found is None:
            raise NotFound("customer", typed)
        await uow.releases.add_member(audience_id, found)
        await uow.commit()
    return found


async def add_code(
    uow: ReleaseUnitOfWork, business_id: UUID, audience_id: UUID, code: str, now: datetime
) -> None:
    """A code opens what the audience's rules open early; one code belongs to one audience."""
    if not CODE.fullmatch(code.strip()):
        raise InvalidRequest("a code is 4 to 40 letters, digits or dashes", field="code")
    async with uow:
        await _audience(uow, business_id, audience_id)
        if await uow.releases.code_taken(business_id, code):
            raise InvalidRequest("that code is already in use", field="code")
        await uow.releases.add_code(audience_id, code, now)
        await uow.commit()


async def set_waiting_room(
    uow: ReleaseUnitOfWork, business_id: UUID, service_id: UUID,
    settings: WaitingRoomSettings, now: datetime,
) -> None:
    async with uow:
        (await uow.catalog.get(business_id)).offered_service(service_id)
        await uow.releases.set_waiting_room(business_id, service_id, settings, now)
        await uow.commit()


async def _audience(uow: ReleaseUnitOfWork, business_id: UUID, audience_id: UUID) -> None:
    if audience_id not in {a.id for a in await uow.releases.audiences(business_id)}:
        raise NotFound("audience", audience_id)
