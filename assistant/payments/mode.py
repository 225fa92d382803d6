"""Whether a business takes its deposits online now: Stripe configured and the business's
rule (`BookingRules.deposits_online`) on. The pages say so before the customer books."""

from __future__ import annotations

from uuid import UUID

from aiohttp import web

from assistant.gateway.api import context
from assistant.payments import PROVIDER


async def takes_online(app: web.Application, business_id: UUID) -> bool:
    if app.get(PROVIDER) is None:
        return False
    async with context.uow(app) as work:
        return (await work.appointments.rules(business_id)).deposits_online
