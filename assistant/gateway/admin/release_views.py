"""The owner's release screen (issue 20): timed release rules, early-access audiences (their
customers and codes), the waiting room's settings per service, and a report per release.

Each form calls its use case in `scheduling.releases_setup`; wrong input comes back (422) with
the message beside its field, an unknown service, staff member or audience too.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin.catalog_forms import Reader
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.admin.release_forms import rule_of, settings_of
from assistant.gateway.admin.release_report import reports
from assistant.gateway.api import context
from assistant.gateway.resources import ENGINE
from scheduling import formats
from scheduling import releases_setup as setup
from scheduling.catalog import Catalog
from scheduling.errors import DomainError, InvalidRequest, NotFound
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.release_uow import ReleaseUnitOfWork
from scheduling.releases import ReleaseRule, next_release
from scheduling.releases_words import DAYS, rule_words

routes = web.RouteTableDef()
PAGE = "/admin/releases"
FIELD_OF = {"service": "service", "staff": "staff", "audience": "audience"}
"""The form field beside which a missing thing of this kind is reported."""


def _uow(request: web.Request) -> ReleaseUnitOfWork:
    return ReleaseUnitOfWork(make_session_factory(request.app[ENGINE]))


def _done(notice: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"{PAGE}?notice=" + quote(notice))


async def _show(request: web.Request, admin: session.AdminSession, status: int = 200,
                problems: dict[str, str] | None = None, typed: Any = None) -> web.Response:
    catalog, now = await context.catalog(request), context.now()
    async with _uow(request) as uow:
        rules = await uow.releases.rules(catalog.business.id)
        audiences = await uow.releases.audiences(catalog.business.id)
        rooms = {s.id: await uow.releases.waiting_room(s.id) for s in catalog.services}
        found = await reports(uow.releases, catalog, rules, now)
    named = {a.id: a.name for a in audiences}
    words = {rule.id: rule_words(rule, catalog, named) for rule in rules}
    listed = [(rule, words[rule.id], _next(rule, catalog, now)) for rule in rules]
    form = typed or {}
    return page(request, admin, "releases.html", status=status, problems=problems or {},
                value=lambda name: str(form.get(name, "")), rules=listed, audiences=audiences,
                rooms=rooms, catalog=catalog, reports=found, words_of=words, days=DAYS,
                notice=request.query.get("notice", "")[:300])


def _next(rule: ReleaseRule, catalog: Catalog, now: datetime) -> str:
    """When the rule next opens, for everyone, on the business's wall clock."""
    zone = catalog.business.zone
    service = rule.service_id or (catalog.services[0].id if catalog.services else None)
    found = None if service is None else next_release([rule], service, zone, now)
    return "" if found is None else formats.long_when(found.opens_at, zone)


@routes.get(PAGE)
@owner_page
async def releases(request: web.Request, admin: session.AdminSession) -> web.Response:
    return await _show(request, admin)


async def _refused(request: web.Request, admin: session.AdminSession, error: DomainError,
                   fallback: str, form: Any) -> web.Response:
    field = fallback
    if isinstance(error, InvalidRequest) and error.field:
        field = error.field
    elif isinstance(error, NotFound):
        field = FIELD_OF.get(error.kind, fallback)
    return await _show(request, admin, 422, {field: str(error)}, form)


@routes.post(f"{PAGE}/rules")
@owner_page
async def add_rule(request: web.Request, admin: session.AdminSession) -> web.Response:
    form = await request.post()
    read = Reader(form)
    rule = rule_of(read, await context.business_id(request))
    if read.problems or rule is None:
        return await _show(request, admin, 422, read.problems, form)
    try:
        await setup.add_rule(_uow(request), rule, context.now())
    except DomainError as error:
        return await _refused(request, admin, error, "at", form)
    raise _done("Release rule added.")


@routes.post(PAGE + "/rules/{rule_id}/delete")
@owner_page
async def delete_rule(request: web.Request, admin: session.AdminSession) -> web.Response:
    rule_id = _id(request.match_info["rule_id"], "release rule")
    await setup.delete_rule(_uow(request), await context.business_id(request), rule_id)
    raise _done("Release rule removed.")


@routes.post(f"{PAGE}/audiences")
@owner_page
async def add_audience(request: web.Request, admin: session.AdminSession) -> web.Response:
    form = await request.post()
    try:
        await setup.add_audience(_uow(request), await context.business_id(request),
                                 str(form.get("name", "")), context.now())
    except DomainError as error:
        return await _refused(request, admin, error, "name", form)
    raise _done("Audience saved.")


@routes.post(PAGE + "/audiences/{audience_id}/members")
@owner_page
async def add_member(request: web.Request, admin: session.AdminSession) -> web.Response:
    form = await request.post()
    audience_id = _id(request.match_info["audience_id"], "audience")
    try:
        await setup.add_member(_uow(request), await context.business_id(request), audience_id,
                               str(form.get("contact", ""))[:200])
    except NotFound as error:
        if error.kind == "audience":
            raise
        return await _show(request, admin, 422, {
            f"contact-{audience_id}": "No customer has this phone or e-mail."}, form)
    raise _done("Customer added to the audience.")


@routes.post(PAGE + "/audiences/{audience_id}/codes")
@owner_page
async def add_code(request: web.Request, admin: session.AdminSession) -> web.Response:
    form = await request.post()
    audience_id = _id(request.match_info["audience_id"], "audience")
    try:
        await setup.add_code(_uow(request), await context.business_id(request), audience_id,
                             str(form.get("code", ""))[:200], context.now())
    except InvalidRequest as error:
        return await _show(request, admin, 422, {f"code-{audience_id}": str(error)}, form)
    raise _done("Code added: share it with the audience.")


@routes.post(PAGE + "/waiting-room/{service_id}")
@owner_page
async def save_waiting_room(request: web.Request, admin: session.AdminSession
                            ) -> web.Response:
    form = await request.post()
    service_id = _id(request.match_info["service_id"], "service")
    (await context.catalog(request)).offered_service(service_id)  # an unknown one: 404
    read = Reader(form)
    settings = settings_of(read, service_id)
    if read.problems or settings is None:
        return await _show(request, admin, 422, read.problems, form)
    await setup.set_waiting_room(_uow(request), await context.business_id(request),
                                 service_id, settings, context.now())
    raise _done("Waiting room saved.")


def _id(text: str, kind: str) -> UUID:
    try:
        return UUID(text)
    except ValueError:
        raise NotFound(kind, text) from None


