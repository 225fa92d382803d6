"""The owner's actions on a customer: block or unblock (the existing blocklist use case, by the
customer's phone when they have one), download everything held about them (JSON), and erase
their personal data. Block and erase each go through a confirmation page that says what will
happen; the POST it sends is what acts."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin.customer_access import done, uow, visible
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.api import context
from scheduling.catalog import Catalog
from scheduling.desk import customer_records as records
from scheduling.desk.customer_values import CustomerProfile
from scheduling.desk.setup import rules
from scheduling.desk.setup.values import Block
from scheduling.errors import InvalidRequest, NotFound

REASON_CHARS = 500


def _confirm(request: web.Request, admin: session.AdminSession, found: CustomerProfile,
             what: str, problems: dict[str, str] | None = None, status: int = 200,
             **extra: Any) -> web.Response:
    return page(request, admin, "customer_confirm.html", status=status, customer=found,
                what=what, problems=problems or {}, **extra)


def _living(found: CustomerProfile) -> None:
    if found.erased_at is not None:
        raise web.HTTPConflict(text="this customer's data was erased; there is nothing to do")


@owner_page
async def confirm_block(request: web.Request, admin: session.AdminSession) -> web.Response:
    _, found = await visible(request, admin)
    _living(found)
    return _confirm(request, admin, found, "unblock" if found.blocked else "block")


@owner_page
async def block(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Blocking twice, or unblocking someone not blocked, changes nothing (a replayed form)."""
    catalog, found = await visible(request, admin)
    _living(found)
    form = await request.post()
    reason = str(form.get("reason", "")).strip()
    if len(reason) > REASON_CHARS:
        return _confirm(request, admin, found, "block",
                        {"reason": f"Keep the reason under {REASON_CHARS} characters."}, 422)
    if form.get("action") == "unblock":
        await rules.unblock(catalog.business.id, found.id, uow(request))
        raise done(found.id, "unblocked")
    await _block(request, catalog, found, reason)
    raise done(found.id, "blocked")


async def _block(request: web.Request, catalog: Catalog, found: CustomerProfile, reason: str
                 ) -> None:
    """By their phone, as the blocklist screen blocks (the booking with that number is the one
    refused); a customer known only by e-mail, by their record."""
    work, now = uow(request), context.now()
    if found.phone:
        await rules.block_contact(rules.BlockContact(catalog.business.id, found.phone, None,
                                                     reason, now), work)
    else:
        await rules.block(rules.BlockCustomer(catalog.business.id,
                                              Block(found.id, reason, now)), work)


@owner_page
async def export(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog, found = await visible(request, admin)
    try:
        document = await records.export(catalog.business.id, found.id, uow(request))
    except NotFound:
        raise web.HTTPNotFound(text="no such customer") from None
    body = json.dumps({"exported_at": context.now().isoformat(), "customer_id": str(found.id),
                       **document}, indent=2, ensure_ascii=False, default=str)
    return web.Response(text=body, content_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="customer-{found.id}.json"',
        "Cache-Control": "no-store"})


@owner_page
async def confirm_erase(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog, found = await visible(request, admin)
    if found.erased_at is not None:
        raise done(found.id, "already")
    upcoming = await records.upcoming_count(catalog.business.id, found.id, uow(request),
                                            context.now())
    return _confirm(request, admin, found, "erase", upcoming=upcoming)


@owner_page
async def erase(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog, found = await visible(request, admin)
    form = await request.post()
    command = records.EraseCustomer(catalog.business.id, found.id, admin.email,
                                    form.get("cancel_upcoming") == "yes")
    try:
        erasure = await records.erase(command, uow(request), context.now())
    except InvalidRequest as error:
        upcoming = await records.upcoming_count(catalog.business.id, found.id, uow(request),
                                                context.now())
        return _confirm(request, admin, found, "erase", {
            "cancel_upcoming": f"{str(error).split(': ', 1)[-1]}: tick the box to cancel them."},
            422, upcoming=upcoming)
    if erasure.already:
        raise done(found.id, "already")
    raise done(found.id, "erased", erasure.cancelled)
