"""The invitation e-mail, handed to the same e-mail sender the outbox dispatcher uses
(SendGrid when configured, else the local sender that only logs it).

It is sent at once rather than through the outbox: the link's token must not be stored
anywhere (the database keeps its sha256 only), and the owner who clicked "Invite" learns right
away whether it went. With the local sender nothing reaches the invitee, so the page shows the
owner the link to pass on themselves.
"""

from __future__ import annotations

import asyncio
import html
from dataclasses import dataclass

from aiohttp import web

from assistant.gateway.resources import SETTINGS
from assistant.notifications.runtime import DISPATCHER
from assistant.notifications.senders import Email, EmailSender, SendError
from scheduling import formats
from scheduling.accounts import STAFF, Invitation
from scheduling.catalog import Business
from scheduling.persistence.admin_sessions import token_hash


@dataclass(frozen=True, slots=True)
class Sent:
    """What became of the e-mail: `link` is set when the owner must pass it on (not sent)."""

    notice: str
    link: str | None = None


def invitation_link(request: web.Request, token: str) -> str:
    return f"{request.app[SETTINGS].gateway_url.rstrip('/')}/admin/invite/{token}"


def invitation_email(invitation: Invitation, business: Business, link: str, key: str
                     ) -> Email:
    until = formats.day_and_time(invitation.expires_at, business.zone)
    what = ("see and manage your own appointments" if invitation.role == STAFF
            else "run the booking dashboard as an owner")
    subject = f"You are invited to {business.name}'s booking dashboard"
    text = (f"Hello,\n\n{invitation.invited_by or 'The owner'} invites "
            f"you to {business.name}'s "
            f"booking dashboard, where you can {what}.\n\nChoose your password here (the link "
            f"works once, until {until}):\n{link}\n\nIf you did not expect this, ignore it.\n")
    markup = (f"<p>Hello,</p><p>{html.escape(invitation.invited_by or 'The owner')} invites "
              f"you to {html.escape(business.name)}'s booking dashboard, where you can {what}.</p>"
              f'<p><a href="{html.escape(link)}">Choose your password</a> (the link works '
              f"once, until {until}).</p><p>If you did not expect this, ignore it.</p>")
    return Email(invitation.email, "", subject, text, markup, key)


async def send_invitation(request: web.Request, invitation: Invitation, business: Business,
                          token: str) -> Sent:
    sender: EmailSender = request.app[DISPATCHER].senders["email"]  # type: ignore[assignment]
    link = invitation_link(request, token)
    key = f"invitation:{invitation.id}:{token_hash(token)[:16]}"  # a resend is a new e-mail
    email = invitation_email(invitation, business, link, key)
    try:
        await asyncio.to_thread(sender.send, email)
    except SendError as error:
        return Sent(f"The invitation to {invitation.email} is saved, but the e-mail could not "
                    f"be sent ({error}). Try Resend, or pass on this link yourself.", link)
    if sender.provider == "local":
        return Sent(f"No e-mail service is set up (SENDGRID_API_KEY), so nothing was sent. "
                    f"Pass this link to {invitation.email} yourself; it works once.", link)
    return Sent(f"Invitation e-mailed to {invitation.email}.")
