"""Abuse limits on what anyone may do without proving who they are.

- Anonymous bookings and waitlist entries (no admin key or session, no customer token): each
  one holds a slot or a place and queues messages to a contact nobody proved, so they are
  capped per client address and per contact given, per day. Admins and customers who proved
  who they are with a one-time code are not capped. An appointment's own link token does not
  count: every anonymous booking is answered with one.
- Web chat: turns per conversation and per client address, and conversations opened per
  client address per hour, since the sender id is the client's to choose: without the last
  cap one client could open any number of conversations (each a tracker in Rasa's store).

Every bucket is shared by all gateway processes (`ratelimit`).
"""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web

from assistant.gateway import ratelimit
from assistant.gateway.api import auth, context
from assistant.gateway.resources import ENGINE
from scheduling.persistence import receipts
from scheduling.persistence.database import make_session_factory

BOOKINGS_CAPPED = ("too many bookings without signing in today from this address or for this "
                   "contact; sign in with a one-time code (/api/v1/auth/code) or contact the "
                   "business")
NEW_CONVERSATIONS_CAPPED = ("too many new conversations from this address; continue an open "
                            "one or try again later")
CONVERSATION_MEMORY = timedelta(days=30)
"""How long a sender id counts as seen (a conversation older than this counts as new)."""


async def anonymous_booking(request: web.Request, phone: str | None, email: str | None) -> None:
    """429 when an unidentified caller is over its daily cap of bookings (per address and per
    contact given); nothing for admins and customers with a token from a one-time code."""
    if _identified(request):
        return
    await ratelimit.check(request, "booking-address", ratelimit.client_network(request),
                          BOOKINGS_CAPPED)
    for contact in (phone, email.lower() if email else None):
        if contact:
            await ratelimit.check(request, "booking-contact", contact, BOOKINGS_CAPPED)


def _identified(request: web.Request) -> bool:
    """An admin, or a customer with a token from a one-time code (401 for a token that does
    not verify, as the booking itself would answer)."""
    who = auth.proof(request)
    return who.owner or who.customer_id is not None


async def chat_turn(request: web.Request, sender: str) -> None:
    """429 when this conversation or this client address sends turns too fast."""
    await ratelimit.check(request, "chat", sender)
    await ratelimit.check(request, "chat-address", ratelimit.client_network(request))


async def new_conversation(request: web.Request, sender: str) -> None:
    """429 when `sender` was never seen and this address opened too many conversations lately.

    A known sender costs one read. A new one is recorded as seen in the transaction that spends
    the token, and not at all when refused: a refused id stays new, so retrying each id twice
    gains nothing.
    """
    async with request.app[ENGINE].connect() as connection:
        await connection.execution_options(isolation_level="AUTOCOMMIT")
        if await receipts.seen(connection, "chat-sender", sender):
            return
    async with make_session_factory(request.app[ENGINE])() as session:
        if not await receipts.first(session, "chat-sender", sender, context.now(),
                                    CONVERSATION_MEMORY):
            return
        await ratelimit.check(request, "chat-new", ratelimit.client_network(request),
                              NEW_CONVERSATIONS_CAPPED)
        await session.commit()
