"""The invitee's side of a staff invitation: `/admin/invite/<token>` (no login) asks for a
password twice, makes the account with the invitation's role and staff member, uses the
invitation up and signs the new account in.

A link that is forged, revoked, replaced by a newer one, used or expired gets a page saying so
and what to do (404 or 410), never a form and never a 500. The form carries a token that must
match a cookie set with it (as the login form does), so another site cannot post a known
invitation in a visitor's browser and sign them into an account of its choosing.
"""

from __future__ import annotations

import asyncio
import hmac
import re
import secrets

from aiohttp import web

from assistant.gateway.admin import session
from assistant.gateway.admin.users import hash_password
from assistant.gateway.api import context
from assistant.gateway.pages import render
from scheduling.accounts import Invitation
from scheduling.errors import DomainError, InvalidRequest, PolicyViolation
from scheduling.persistence import staff_accounts as store
from scheduling.persistence.admin_sessions import token_hash

routes = web.RouteTableDef()
TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
"""What `secrets.token_urlsafe(32)` makes; anything else is not looked up."""
MIN_PASSWORD = 10
"""As `python -m assistant admin` asks."""
MAX_PASSWORD = 200
CSRF_COOKIE = "invite_csrf"
CLOSED = {
    "not_found": (404, "This invitation link is not valid",
                  "It may have been revoked, or replaced by a newer invitation. Ask the owner "
                  "to send you a new one."),
    "invitation_used": (410, "This invitation was already used",
                        "Its account exists: sign in with the password chosen then."),
    "invitation_expired": (410, "This invitation has expired",
                           "Invitations work for a week. Ask the owner to send it again."),
    "account_exists": (409, "This account already exists",
                       "Sign in with its password, or ask the owner."),
    "staff_gone": (410, "This invitation is out of date",
                   "The staff member it was for is no longer listed. Ask the owner to send "
                   "a new one."),
}


def _closed(request: web.Request, reason: str) -> web.Response:
    status, title, advice = CLOSED[reason]
    return render(request, "admin/invite_closed.html", status=status, title=title,
                  advice=advice)


def _reason(error: DomainError) -> str:
    if isinstance(error, PolicyViolation) and error.policy in CLOSED:
        return error.policy
    return "staff_gone" if isinstance(error, InvalidRequest) else "not_found"


async def _usable(request: web.Request) -> tuple[str, Invitation | web.Response]:
    token = request.match_info["token"]
    if not TOKEN.fullmatch(token):
        return token, _closed(request, "not_found")
    try:
        found = await store.usable_invitation(request.app[session.STORE].sessions,
                                              token_hash(token), context.now())
    except DomainError as error:
        return token, _closed(request, _reason(error))
    return token, found


async def _form(request: web.Request, invitation: Invitation, status: int = 200,
                error: str | None = None, csrf: str | None = None) -> web.Response:
    csrf = csrf or secrets.token_urlsafe(16)
    catalog = await context.catalog(request)
    member = next((m.name for m in catalog.staff if m.id == invitation.staff_id), None)
    response = render(request, "admin/invite.html", status=status, invitation=invitation,
                      business=catalog.business.name, member=member, error=error,
                      invite_csrf=csrf, min_password=MIN_PASSWORD)
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="Strict",
                        path="/admin/invite")
    return response


@routes.get("/admin/invite/{token}")
async def invite_form(request: web.Request) -> web.Response:
    _, found = await _usable(request)
    return found if isinstance(found, web.Response) else await _form(request, found)


def _password_problem(password: str, again: str) -> str | None:
    if password != again:
        return "The two passwords differ; type the same one twice."
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return f"Use {MIN_PASSWORD} to {MAX_PASSWORD} characters."
    return None


@routes.post("/admin/invite/{token}")
async def accept(request: web.Request) -> web.Response:
    form = await request.post()
    typed = str(form.get("invite_csrf", ""))
    if not hmac.compare_digest(typed.encode(), request.cookies.get(CSRF_COOKIE, "-").encode()):
        raise web.HTTPForbidden(text="missing or wrong CSRF token; open the invitation again")
    token, found = await _usable(request)
    if isinstance(found, web.Response):
        return found
    password, again = str(form.get("password", "")), str(form.get("again", ""))
    problem = _password_problem(password, again)
    if problem:
        return await _form(request, found, 422, problem, typed)
    hashed = await asyncio.to_thread(hash_password, password)
    try:
        account = await store.accept(request.app[session.STORE].sessions, token_hash(token),
                                     hashed, context.now())
    except DomainError as error:
        return _closed(request, _reason(error))
    response = web.HTTPSeeOther("/admin")
    response.del_cookie(CSRF_COOKIE, path="/admin/invite")
    await session.start(request, response, account.email)
    raise response
