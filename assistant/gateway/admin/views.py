"""Admin login and today's schedule per staff member (the appointments list and its actions
are `appointment_views`)."""

from __future__ import annotations

import logging
import math
import secrets
from dataclasses import replace
from datetime import datetime, time, timedelta

from aiohttp import web

from assistant.gateway import ratelimit
from assistant.gateway.admin import roles, session
from assistant.gateway.admin.guard import admin_page, page
from assistant.gateway.admin.times import Times
from assistant.gateway.admin.users import AdminUsers
from assistant.gateway.api import context
from assistant.gateway.errors import ApiError
from assistant.gateway.pages import render
from assistant.gateway.reads import reads
from scheduling.booking.model import Status
from scheduling.demo import demo_id
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
