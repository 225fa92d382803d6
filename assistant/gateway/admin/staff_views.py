"""Staff accounts, the owner's page: who has an account and with which role and staff member,
invitations by e-mail (send, send again, revoke), a role changed, an account removed. A staff
account sees only its own schedule (`roles`); the invitee's side is `invite_views`.

Anything that ends access (revoking an invitation, removing an account) asks first on a page
of its own. Refusals (the last owner, one's own account, an unknown staff member) come back on
the page as a sentence with a 4xx status, never a 500.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Mapping
from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web

from assistant.gateway.admin import invite_views, session
from assistant.gateway.admin.guard import owner_page, page
from assistant.gateway.admin.invite_mail import Sent, send_invitation
from assistant.gateway.admin.times import Times
from assistant.gateway.api import context
from scheduling import accounts as rules
from scheduling.accounts import Invitation
from scheduling.errors import DomainError, InvalidRequest, NotFound, PolicyViolation
from scheduling.persistence import staff_accounts as store
from scheduling.persistence.admin_sessions import token_hash
from scheduling.persistence.database import SessionFactory

routes = invite_views.routes
"""One route table for the staff area: the invitee's page and the owner's."""

DONE = {"role": "Role changed.", "removed": "Account removed.",
        "revoked": "Invitation revoked; its link no longer works."}
STATUS = {InvalidRequest: 422, PolicyViolation: 409, NotFound: 404}


def _factory(request: web.Request) -> SessionFactory:
    return request.app[session.STORE].sessions


def _account_key(value: object) -> str:
    """An account's e-mail as typed into a form or URL; one that cannot be a key (a NUL
    byte, which PostgreSQL refuses to compare, or too long) names no account."""
    email = str(value or "").strip().lower()
    if "\x00" in email or len(email) > rules.EMAIL_CHARS:
        raise NotFound("account", email[:40])
    return email


async def _render(request: web.Request, admin: session.AdminSession, status: int = 200,
                  notice: str | None = None, link: str | None = None,
                  form: Mapping[str, str] | None = None) -> web.Response:
    catalog = await context.catalog(request)
    every = (*catalog.staff, *catalog.archived.staff)
    response = page(request, admin, "staff.html", catalog=catalog,
                    names={m.id: m.name for m in every},
                    accounts=await store.accounts(_factory(request)),
                    invitations=await store.open_invitations(_factory(request)),
                    now=context.now(), notice=notice, link=link, form=form or {},
                    roles=rules.ROLES, times=Times(catalog.business.zone))
    response.set_status(status)
    return response


async def _refused(request: web.Request, admin: session.AdminSession, error: DomainError,
                   form: Mapping[str, str] | None = None) -> web.Response:
    status = next((code for kind, code in STATUS.items() if isinstance(error, kind)), 409)
    return await _render(request, admin, status, f"Not done: {error}", form=form)


async def _done(request: web.Request, admin: session.AdminSession, done: str,
                work: Callable[[], Awaitable[object]]) -> web.Response:
    """Run one change; back to the page saying it is done (303), or why not (4xx)."""
    try:
        await work()
    except DomainError as error:
        return await _refused(request, admin, error)
    raise web.HTTPSeeOther(f"/admin/staff?done={done}")


def _uuid(value: str, field: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise InvalidRequest(f"{field}: not an id", field=field) from None


def _staff_id(form: Mapping[str, object]) -> UUID | None:
    chosen = str(form.get("staff_id") or "")
    return _uuid(chosen, "staff_id") if chosen else None


def _invitation_id(request: web.Request) -> UUID:
    try:
        return UUID(request.match_info["invitation_id"])
    except ValueError:
        raise web.HTTPNotFound(text="no such invitation") from None


async def _sent_page(request: web.Request, admin: session.AdminSession, sent: Sent
                     ) -> web.Response:
    """After a send: back to the page (303) when it was e-mailed; the page itself, with the
    link, when the owner must pass it on (the link never goes into a URL or a log)."""
    if sent.link is None:
        raise web.HTTPSeeOther("/admin/staff?" + urlencode({"notice": sent.notice}))
    return await _render(request, admin, notice=sent.notice, link=sent.link)


async def _send(request: web.Request, admin: session.AdminSession, invitation: Invitation,
                token: str) -> web.Response:
    business = (await context.catalog(request)).business
    return await _sent_page(request, admin,
                            await send_invitation(request, invitation, business, token))


@routes.get("/admin/staff")
@owner_page
async def staff_page(request: web.Request, admin: session.AdminSession) -> web.Response:
    notice = request.query.get("notice")
    return await _render(request, admin, notice=DONE.get(request.query.get("done", ""), notice))


@routes.post("/admin/staff/invite")
@owner_page
async def invite(request: web.Request, admin: session.AdminSession) -> web.Response:
    form = await request.post()
    typed = {key: str(form.get(key, "")) for key in ("email", "role", "staff_id")}
    token = secrets.token_urlsafe(32)
    try:
        email = rules.address(typed["email"])
        invitation = await store.invite(_factory(request), email, typed["role"],
                                        _staff_id(form), admin.email, token_hash(token),
                                        context.now())
    except DomainError as error:
        return await _refused(request, admin, error, typed)
    return await _send(request, admin, invitation, token)


@routes.post("/admin/staff/invitations/{invitation_id}/resend")
@owner_page
async def resend(request: web.Request, admin: session.AdminSession) -> web.Response:
    token = secrets.token_urlsafe(32)
    try:
        invitation = await store.reissue(_factory(request), _invitation_id(request),
                                         token_hash(token), context.now())
    except DomainError as error:
        return await _refused(request, admin, error)
    return await _send(request, admin, invitation, token)


@routes.get("/admin/staff/invitations/{invitation_id}/revoke")
@owner_page
async def revoke_confirm(request: web.Request, admin: session.AdminSession) -> web.Response:
    try:
        found = await store.invitation(_factory(request), _invitation_id(request))
    except NotFound:
        raise web.HTTPNotFound(text="no such invitation (already used or revoked?)") from None
    return page(request, admin, "staff_confirm.html", action=request.path, button="Revoke",
                email=None,
                question=f"Revoke the invitation to {found.email}? Its link stops working.")


@routes.post("/admin/staff/invitations/{invitation_id}/revoke")
@owner_page
async def revoke(request: web.Request, admin: session.AdminSession) -> web.Response:
    return await _done(request, admin, "revoked",
                       lambda: store.revoke(_factory(request), _invitation_id(request)))


@routes.post("/admin/staff/role")
@owner_page
async def change_role(request: web.Request, admin: session.AdminSession) -> web.Response:
    form = await request.post()
    return await _done(request, admin, "role", lambda: store.change_role(
        _factory(request), admin.email, _account_key(form.get("email")),
        str(form.get("role", "")), _staff_id(form), context.now()))


@routes.get("/admin/staff/remove/{email}")
@owner_page
async def remove_confirm(request: web.Request, admin: session.AdminSession) -> web.Response:
    try:
        found = await store.account(_factory(request), _account_key(request.match_info["email"]))
    except DomainError as error:
        return await _refused(request, admin, error)
    return page(request, admin, "staff_confirm.html", action="/admin/staff/remove",
                button="Remove account", email=found.email,
                question=f"Remove the account {found.email}? They are signed out at once and "
                         "can no longer sign in.")


@routes.post("/admin/staff/remove")
@owner_page
async def remove(request: web.Request, admin: session.AdminSession) -> web.Response:
    form = await request.post()
    return await _done(request, admin, "removed", lambda: store.remove(
        _factory(request), admin.email, _account_key(form.get("email"))))
