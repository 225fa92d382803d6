"""Link tokens: what the holder of one may do, and why a link that fails cannot be used.

A token names one appointment (or, for `claim`, one waitlist offer) and one action, signed
(`notifications.links`). The action decides the verbs: a `cancel` link only cancels, a
`reschedule` link only moves, `confirm` accepts the owner's change or picks another time,
`manage` does all of it; every appointment link shows its appointment. The page of an
appointment that was moved points to the new one with a token for the same action, so a link
keeps its rights, no more, along the chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode
from uuid import UUID

from aiohttp import web

from assistant.gateway.api.appointment_routes import TOKEN_LIFETIME, customer_token
from assistant.gateway.appointment_pages.problems import Problem, Way, book_again
from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from scheduling.booking.model import Appointment

VERBS: dict[str, frozenset[str]] = {
    "manage": frozenset({"cancel", "reschedule", "accept"}),
    "cancel": frozenset({"cancel"}),
    "reschedule": frozenset({"reschedule"}),
    "confirm": frozenset({"accept", "reschedule"}),
    "claim": frozenset({"claim"}),
}
DOING = {"cancel": "cancel it", "reschedule": "move it", "accept": "accept the change",
         "claim": "claim it"}
TOKEN = re.compile(r"^[A-Za-z0-9_.-]{1,300}$")
"""What `links.sign` makes; anything else is refused before the HMAC (which compares ASCII)."""
EPOCH = datetime(1970, 1, 2, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Access:
    """A verified link: its action, the token itself (carried on in forms) and its subject."""

    action: str
    token: str
    subject: UUID

    def may(self, verb: str) -> bool:
        return verb in VERBS[self.action]

    def require(self, verb: str) -> None:
        if not self.may(verb):
            raise Problem(403, "This link cannot do that",
                          f"This link does not let you {DOING.get(verb, verb)}. Use the link "
                          "in your message that says what you want to do.",
                          (Way(self.url(), "See the appointment"),))

    def url(self, **params: str) -> str:
        return page_url(self.action, self.token, **params)


def page_url(action: str, token: str, **params: str) -> str:
    return f"/appointments/{action}?{urlencode({'token': token, **params})}"


def verified(request: web.Request, action: str, token: str | None, now: datetime) -> Access:
    """The access `token` gives for `action`; a `Problem` saying why not otherwise."""
    key = links.link_key(request.app[SETTINGS])
    if token is None or not TOKEN.match(token):
        raise Problem(400, "This link is incomplete",
                      "Part of the link is missing. Open it again from your message, or copy "
                      "all of it.", (book_again(),))
    try:
        return Access(action, token, links.verify(key, token, action, now))
    except links.InvalidLink:
        raise refusal(key, token, action) from None


def _genuine(key: str, token: str, action: str) -> bool:
    try:
        links.verify(key, token, action, EPOCH)
    except links.InvalidLink:
        return False
    return True


def refusal(key: str, token: str, action: str) -> Problem:
    """Expired, meant for another page, or not one of ours (changed or cut short)."""
    if _genuine(key, token, action):
        return Problem(410, "This link has expired",
                       "Links in our messages work for a limited time. Book a new time, or "
                       "call us about an appointment you have.", (book_again(),))
    meant = token.split(".")[1] if token.count(".") == 3 else ""
    if meant in VERBS and _genuine(key, token, meant):
        return Problem(403, "This link is for another page",
                       "Open the link exactly as it is in your message.",
                       (Way(page_url(meant, token), "Open the page this link is for"),))
    return Problem(400, "This link is not valid",
                   "The link was changed or cut short. Open it again from your message.",
                   (book_again(),))


def passed_on(request: web.Request, access: Access, appointment: Appointment,
              **params: str) -> str:
    """The same page, for the same action, about `appointment` (the next in a chain)."""
    token = customer_token(request, appointment.id, appointment.end + TOKEN_LIFETIME,
                           access.action)
    return page_url(access.action, token, **params)
