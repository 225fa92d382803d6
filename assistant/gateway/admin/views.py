"""Admin login, today's schedule per staff member, and appointments with filters and actions
(check in, cancel as the owner) — each action one call of a booking service."""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import replace
from datetime import datetime, time, timedelta, tzinfo
from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web

from assistant.gateway import ratelimit
from assistant.gateway.admin import roles, session
from assistant.gateway.admin.guard import admin_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.admin.users import AdminUsers
from assistant.gateway.api import context
from assistant.gateway.api.params import HISTORY
from assistant.gateway.errors import ApiError
from assistant.gateway.pages import render
from assistant.gateway.reads import reads
from scheduling.booking import attendance, changes
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, Status
from scheduling.demo import demo_id
from scheduling.errors import DomainError
from scheduling.persistence.admin_reads import Filters

log = logging.getLogger(__name__)
USERS = web.AppKey("admin_users", AdminUsers)
routes = web.RouteTableDef()


@routes.get("/admin/login")
async def login_form(request: web.Request) -> web.Response:
    token = secrets.token_urlsafe(16)
    response = _login_page(request, 200, None, token, request.query.get("next", "/admin"))
    response.set_cookie("login_csrf", token, httponly=True, samesite="Strict", path="/admin")
    return response


def _login_page(request: web.Request, status: int, error: str | None, login_csrf: object,
                target: object) -> web.Response:
    return render(request, "admin/login.html", status=status, error=error,
                  login_csrf=login_csrf, next=target)


@routes.post("/admin/login")
async def login(request: web.Request) -> web.Response:
    """Limited per client address and per account (guessing one admin's password from many
    addresses, or many admins' from one, is slowed either way); failures are logged."""
    form = await request.post()
    if not secrets.compare_digest(str(form.get("login_csrf", "")),
                                  request.cookies.get("login_csrf", "-")):
        raise web.HTTPForbidden(text="missing or wrong CSRF token; reload the login page")
    email = _address(form.get("email"))
    password, client = str(form.get("password", "")), ratelimit.client_ip(request)
    again = (form.get("login_csrf"), form.get("next", "/admin"))
    try:
        await ratelimit.check(request, "login", client)
        await ratelimit.check(request, "login-account", email)
    except ApiError as refused:
        log.warning("admin login refused, too many attempts: %r from %s", email, client)
        wait = math.ceil(refused.details.get("retry_after_seconds", 1))
        page = _login_page(request, 429, f"Too many login attempts; try again in {wait} "
                           "seconds.", *again)
        page.headers["Retry-After"] = str(wait)
        return page
    if not await request.app[USERS].check(email, password):
        log.warning("admin login failed: %r from %s", email, client)
        return _login_page(request, 401, "Wrong e-mail or password.", *again)
    response = web.HTTPSeeOther(_back_to(form.get("next")))
    await session.start(request, response, email)
    log.info("admin %s signed in from %s", email, client)
    raise response


def _address(typed: object) -> str:
    """The e-mail as accounts are keyed; "" (no account) for what cannot be one, such as a
    value with a NUL byte, which PostgreSQL would refuse to compare."""
    email = str(typed or "").strip().lower()
    return "" if "\x00" in email or len(email) > 320 else email


def _back_to(target: object) -> str:
    """Where the login form returns to: a dashboard page of ours, never another site (an open
    redirect) nor a path a client cannot follow."""
    path = str(target or "")
    ours = path == "/admin" or path.startswith(("/admin/", "/admin?"))
    return path if ours and len(path) <= 2000 else "/admin"


@routes.post("/admin/logout")
@admin_page
async def logout(request: web.Request, admin: session.AdminSession) -> web.Response:
    response = web.HTTPSeeOther("/admin/login")
    await session.end(request, response, admin)
    raise response


@routes.get("/admin")
@admin_page
async def dashboard(request: web.Request, admin: session.AdminSession) -> web.Response:
    """Every staff member's day for an owner; a staff account's own column only, without the
    business's alerts and message counts (the owner's to act on)."""
    catalog = await context.catalog(request)
    scope = roles.staff_scope(admin)
    if scope is not None:
        catalog = replace(catalog, staff=tuple(m for m in catalog.staff if m.id == scope))
    zone = catalog.business.zone
    today = datetime.now(zone).date()
    start = datetime.combine(today, time(0), zone)
    filters = Filters(catalog.business.id, start, start + timedelta(days=1),
                      statuses=(Status.PENDING, Status.CONFIRMED, Status.COMPLETED,
                                Status.NO_SHOW), staff_ids=() if scope is None else (scope,))
    day = await reads(request).listing(filters, limit=500)
    owner = scope is None
    alerts = await reads(request).open_alerts(catalog.business.id) if owner else []
    counts = await reads(request).message_counts() if owner else {}
    by_staff = {m.id: [a for a in day.items if a.staff_id == m.id] for m in catalog.staff}
    return page(request, admin, "dashboard.html", catalog=catalog, times=Times(zone), today=start,
                by_staff=by_staff, alerts=alerts, counts=counts,
                services={s.id: s.name for s in catalog.services},
                demo=catalog.business.id == demo_id("business/shear-delight"))


@routes.get("/admin/appointments")
@admin_page
async def appointments(request: web.Request, admin: session.AdminSession) -> web.Response:
    catalog = await context.catalog(request)
    q = request.query
    status = tuple(Status(s) for s in q.getall("status", []) if s in Status.__members__.values())
    staff = tuple(UUID(s) for s in q.getall("staff_id", []) if _is_uuid(s))
    zone = catalog.business.zone
    start = _day(q.get("from"), zone, "from") or datetime.now(zone) - timedelta(days=1)
    until = _day(q.get("until"), zone, "until")
    filters = Filters(catalog.business.id, start, until, status, staff)
    found = await reads(request).listing(filters, limit=50, cursor=q.get("cursor") or None)
    return page(request, admin, "appointments.html", catalog=catalog, times=Times(zone), page=found,
                query=q, statuses=list(Status), notice=q.get("notice"),
                staff={m.id: m.name for m in catalog.staff},
                services={s.id: s.name for s in catalog.services})


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


def _day(value: str | None, zone: tzinfo, field: str) -> datetime | None:
    """Midnight of a YYYY-MM-DD day in the business's zone, within the listing's window (a
    year-9999 day overflows once moved to UTC); anything else is a 400 naming the field."""
    if not value:
        return None
    try:
        day = datetime.combine(datetime.strptime(value, "%Y-%m-%d").date(), time(0), zone)
        return HISTORY.check(day, field, context.now())
    except ValueError:
        raise web.HTTPBadRequest(text=f"{field}: not a day like 2026-12-01") from None
    except ApiError as error:
        raise web.HTTPBadRequest(text=str(error)) from None


@routes.post("/admin/appointments/{appointment_id}/{action:check-in|cancel}")
@admin_page
async def act(request: web.Request, admin: session.AdminSession) -> web.Response:
    if not _is_uuid(request.match_info["appointment_id"]):
        raise web.HTTPNotFound(text="no such appointment")
    appointment_id = UUID(request.match_info["appointment_id"])
    try:
        if request.match_info["action"] == "check-in":
            await attendance.check_in(appointment_id, context.uow(request), context.now())
        else:
            command = CancelAppointment(appointment_id, Actor.OWNER, f"by {admin.email}")
            await changes.cancel(command, context.uow(request), context.now())
        notice = "Done."
    except DomainError as error:
        notice = f"Not done: {error}"
    raise web.HTTPSeeOther("/admin/appointments?" + urlencode({"notice": notice}))
