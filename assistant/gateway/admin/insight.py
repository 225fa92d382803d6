"""Admin pages that look back (analytics is `analytics_views`): the message log with
failures, calendar connections, the waitlist, conversation transcripts, and the bot's models."""

from __future__ import annotations

import asyncio
import importlib.util
from typing import Any

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from assistant.gateway.reads import reads
from assistant.gateway.resources import SETTINGS
from assistant.settings import PROJECT_ROOT

TRAINING = web.AppKey("training", dict[str, Any])
routes = web.RouteTableDef()


@routes.get("/admin/messages")
@owner_page
async def messages(request: web.Request, admin: session.AdminSession) -> web.Response:
    failed_only = request.query.get("failed") == "1"
    rows = await reads(request).attempts(failed_only)
    alerts = await reads(request).open_alerts()
    return page(request, admin, "messages.html", rows=rows, alerts=alerts,
                failed_only=failed_only, times=await _times(request))


@routes.get("/admin/calendars")
@owner_page
async def calendars(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    rows = await reads(request).calendars()
    google = bool(request.app[SETTINGS].google_client_id)
    return page(request, admin, "calendars.html", rows=rows, staff=catalog.staff, google=google,
                times=Times(catalog.business.zone))


@routes.get("/admin/waitlist")
@owner_page
async def waitlist(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    rows = await reads(request).waitlist(catalog.business.id)
    return page(request, admin, "waitlist.html", rows=rows,
                services={s.id: s.name for s in catalog.services},
                staff={m.id: m.name for m in catalog.staff}, times=Times(catalog.business.zone))


@routes.get("/admin/conversations")
@owner_page
async def conversations(request: web.Request, admin: session.AdminSession) -> web.Response:
    sender = request.query.get("sender")
    listed = await reads(request).conversations()
    events = await reads(request).transcript(sender) if sender else []
    return page(request, admin, "conversations.html", listed=listed, sender=sender,
                events=events, times=await _times(request))


async def _times(request: web.Request) -> Times:
    """The business's clock, for pages that read nothing else of the catalog."""
    return Times((await context.catalog(request)).business.zone)


def _retrain_available() -> bool:
    return importlib.util.find_spec("assistant.retrain") is not None


@routes.get("/admin/bot")
@owner_page
async def bot(request: web.Request, admin: session.AdminSession) -> web.Response:
    models = sorted((PROJECT_ROOT / "models").glob("*.tar.gz"),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    return page(request, admin, "bot.html", models=models, training=request.app[TRAINING],
                can_retrain=_retrain_available())


@routes.post("/admin/bot/retrain")
@owner_page
async def retrain(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Run `assistant.retrain` in a thread; the page shows its progress lines."""
    state = request.app[TRAINING]
    if _retrain_available() and not state.get("running"):
        state.update(running=True, lines=[], result=None)
        request.app[TRAINING]["task"] = asyncio.create_task(_train(request.app))
    raise web.HTTPSeeOther("/admin/bot")


async def _train(app: web.Application) -> None:
    from assistant import retrain as training

    state = app[TRAINING]
    try:
        outcome = await asyncio.to_thread(training.retrain, app[SETTINGS],
                                          lambda line: state["lines"].append(str(line)))
        state["result"] = str(outcome)
    except Exception as error:  # shown on the page: a failed training is an admin's to read
        state["result"] = f"failed: {error}"
    finally:
        state["running"] = False
