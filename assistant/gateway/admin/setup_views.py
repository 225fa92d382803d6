"""The first-run wizard, /admin/setup: the owner's business in a few steps, replacing the demo.

Each step is a form of its own: a valid answer is kept in the draft (setup_draft) and the
browser is sent on to the next step (POST-redirect-GET); a wrong one comes back with a message
beside each wrong field and what was typed still in place. The last step saves the whole
catalog at once through `replace_catalog`; from then on every channel serves the new business.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any
from urllib.parse import quote

from aiohttp import web

from assistant.gateway.admin import session, setup_draft
from assistant.gateway.admin import setup_form as steps
from assistant.gateway.admin.catalog_views import after_change
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.api import context
from assistant.gateway.resources import ENGINE
from scheduling.demo import demo_id
from scheduling.desk.setup.replace import ReplaceCatalog, replace_catalog
from scheduling.desk.setup.values import Changed
from scheduling.errors import DomainError
from scheduling.hours import WEEKDAYS
from scheduling.persistence.catalog_replace import CatalogReplaceUnitOfWork
from scheduling.persistence.database import make_session_factory

routes = web.RouteTableDef()
FINISHING = web.AppKey("setup_finishing", asyncio.Lock)
"""One replacement at a time in this gateway: a double click on the last step would run two
in place updates of the same business at once, and the second's inserts collide."""
DEMO = demo_id("business/shear-delight")
TOO_LONG = ("These answers are too long together to carry to the next step: shorten some "
            "names, or add more services and staff on the catalog screens afterwards.")
NAMES = "{step:business|hours|services|staff|review}"


@routes.get("/admin/setup")
@owner_page
async def start(request: web.Request, admin: session.AdminSession) -> web.Response:
    """The first step still unanswered (the review once all are)."""
    draft = setup_draft.read(request, admin)
    first = steps.missing(draft) or steps.STEPS[-1]
    return await _step(request, admin, first.name, draft, _typed(first.name, draft), {})


@routes.get(f"/admin/setup/{NAMES}")
@owner_page
async def show(request: web.Request, admin: session.AdminSession) -> web.Response:
    draft, name = setup_draft.read(request, admin), request.match_info["step"]
    earlier = steps.missing(draft)
    if earlier is not None and _index(earlier.name) < _index(name):
        raise web.HTTPSeeOther(f"/admin/setup/{earlier.name}")
    return await _step(request, admin, name, draft, _typed(name, draft), {})


@routes.post(f"/admin/setup/{NAMES}")
@owner_page
async def answer(request: web.Request, admin: session.AdminSession) -> web.Response:
    draft, name = setup_draft.read(request, admin), request.match_info["step"]
    if name == "review":
        return await _finish(request, admin, draft)
    form = await request.post()
    services = len(draft.get("services", {}).get("rows", []))
    readers: dict[str, Callable[[steps.Form], tuple[steps.Draft, steps.Problems]]] = {
        "business": steps.read_business, "hours": steps.read_hours,
        "services": steps.read_services, "staff": partial(steps.read_staff, services=services)}
    value, problems = readers[name](form)
    if problems:
        return await _step(request, admin, name, draft, form, problems, status=422)
    draft[name] = value
    if name == "services":
        draft.pop("staff", None)  # the ticks pointed at the old rows
    kept = setup_draft.encoded(request, admin, draft)
    if kept is None:
        first = next((field for field in form if field != "csrf"), "name")
        return await _step(request, admin, name, draft, form, {first: TOO_LONG}, status=422)
    following = steps.missing(draft) or steps.STEPS[-1]
    response = web.HTTPSeeOther(f"/admin/setup/{following.name}")
    setup_draft.keep(request, response, kept)
    raise response


async def _finish(request: web.Request, admin: session.AdminSession,
                  draft: steps.Draft) -> web.Response:
    """Replace the served business by the draft's. The demo's trial bookings go with it; a
    business of the owner's own that has bookings is never swapped away from here."""
    earlier = steps.missing(draft)
    if earlier is not None:
        raise web.HTTPSeeOther(f"/admin/setup/{earlier.name}")
    try:
        async with request.app[FINISHING]:
            served = await context.business_id(request)
            done = await replace_catalog(
                ReplaceCatalog(steps.catalog(draft), discard_bookings=served == DEMO),
                CatalogReplaceUnitOfWork(make_session_factory(request.app[ENGINE])),
                context.now())
    except DomainError as error:
        return await _step(request, admin, "review", draft, {}, {"review": str(error)},
                           status=409)
    welcome = f"{done.catalog.business.name} is set up: chat, /book and the API serve it now."
    if done.stranded:  # set up again, with hours that leave bookings outside them
        shown = after_change(request, admin, Changed(done.catalog, done.stranded), welcome)
        setup_draft.drop(shown)
        return shown
    response = web.HTTPSeeOther("/admin/catalog?notice=" + quote(welcome))
    setup_draft.drop(response)
    raise response


async def _step(request: web.Request, admin: session.AdminSession, name: str,
                draft: steps.Draft, typed: Any, problems: steps.Problems,
                status: int = 200) -> web.Response:
    served = await context.catalog(request)
    values = steps.typed_values(typed)
    return page(request, admin, f"setup_{name}.html", status=status, step=name,
                steps=steps.STEPS, draft=draft, problems=problems,
                value=lambda field: (values.get(field) or [""])[0],
                ticked=lambda field, choice: str(choice) in values.get(field, []),
                weekdays=WEEKDAYS, zones=steps.zones(), demo=served.business.id == DEMO,
                service_rows=steps.SERVICE_ROWS, staff_rows=steps.STAFF_ROWS)


def _index(name: str) -> int:
    return next(i for i, s in enumerate(steps.STEPS) if s.name == name)


def _typed(name: str, draft: steps.Draft) -> dict[str, Any]:
    """The step's form fields as the draft last answered them, so going back shows them."""
    answer = draft.get(name)
    if answer is None:
        return {}
    if name == "business":
        return dict(answer)
    if name == "hours":
        return {f"{day}_{end}": clock for day, span in answer.items()
                for end, clock in zip(("opens", "closes"), span.split("-"), strict=True)}
    if name in ("services", "staff"):
        return {f"{name.removesuffix('s')}{i}_{key}": value
                for i, row in enumerate(answer["rows"]) for key, value in row.items()}
    return {}
