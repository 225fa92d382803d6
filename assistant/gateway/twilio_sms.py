"""Twilio SMS: the sender's number is the conversation (`sms:+E164`); replies are TwiML
`<Message>`s. STOP/START/HELP are answered here (opt-outs are recorded through
`scheduling.persistence.optouts_store`, which every later send consults), never sent to Rasa.

A turn that takes longer than the SMS timeout is answered "one moment" with a `<Redirect>` to
`/twilio/sms/continue?token=...`, where the pending reply is collected.
"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
from twilio.twiml.messaging_response import MessagingResponse

from assistant.gateway import ratelimit, replays
from assistant.gateway.api import context
from assistant.gateway.conversation import TIMEOUTS, Reply, forward, within
from assistant.gateway.errors import ApiError
from assistant.gateway.resources import ENGINE
from assistant.gateway.twilio_auth import TWIML, pending_turn, twiml, verified_form
from scheduling.catalog import E164
from scheduling.persistence import optouts_store as optouts
from scheduling.persistence.database import make_session_factory

STOP = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT",
                  "REVOKE"})
START = frozenset({"START", "YES", "UNSTOP", "OPTIN"})
ANSWERS = frozenset({"YES"})
"""Opt-in words that are also answers ("yes" confirms a booking): opt-in only when opted out."""
HELP = frozenset({"HELP", "INFO"})
STOPPED = ("You have successfully been unsubscribed. You will not receive any more messages "
           "from this number. Reply START to resubscribe.")
STARTED = ("You have successfully been re-subscribed to messages from this number. "
           "Reply HELP for help. Reply STOP to unsubscribe.")
ONE_MOMENT = "One moment, I'm checking that for you."
UNAVAILABLE = "Sorry, I can't answer right now. Please try again in a few minutes."
RECEIVED = replays.Source("twilio-sms", TWIML)
"""Messages by MessageSid: Twilio's retry of one gets the first answer, not a second turn."""
routes = web.RouteTableDef()


def sms_text(replies: list[Reply]) -> str:
    """All replies as one message; buttons as a numbered list the customer answers by number."""
    parts = []
    for reply in replies:
        if reply.get("text"):
            parts.append(reply["text"])
        buttons = reply.get("buttons") or []
        parts += [f"{n}. {b.get('title', '')}" for n, b in enumerate(buttons, start=1)]
    return "\n".join(parts)


def _message(text: str, redirect: str | None = None) -> web.Response:
    response = MessagingResponse()
    if text:
        response.message(text)
    if redirect:
        response.redirect(redirect, method="POST")
    return twiml(response)


async def _keyword(request: web.Request, phone: str, word: str) -> web.Response | None:
    factory = make_session_factory(request.app[ENGINE])
    if word in STOP:
        await optouts.opt_out(factory, phone, context.now())
        return _message(STOPPED)
    if word in START and (word not in ANSWERS or await optouts.is_opted_out(factory, phone)):
        await optouts.opt_in(factory, phone)
        return _message(STARTED)
    if word in HELP:
        business = (await context.catalog(request)).business
        call = f" or call {business.contact.phone}" if business.contact.phone else ""
        return _message(f"{business.name}: text us to book, move or cancel an appointment"
                        f"{call}. Reply STOP to unsubscribe.")
    return None


async def _answer(request: web.Request, task: asyncio.Task[list[Reply]]) -> web.Response:
    try:
        replies, token = await within(request.app, task, request.app[TIMEOUTS].sms)
    except (aiohttp.ClientError, TimeoutError):
        return _message(UNAVAILABLE)
    if token is not None:
        return _message(ONE_MOMENT, f"/twilio/sms/continue?token={token}")
    return _message(sms_text(replies or []))


@routes.post("/twilio/sms")
async def incoming(request: web.Request) -> web.Response:
    form = await verified_form(request)
    phone, text = form.get("From", ""), form.get("Body", "").strip()
    if not E164.match(phone):
        raise ApiError(422, "invalid_sender", "From must be an E.164 number")
    await ratelimit.check(request, "twilio", phone)
    return await replays.once(request, RECEIVED, form.get("MessageSid", ""),
                              lambda: _reply(request, phone, text), _nothing)


async def _reply(request: web.Request, phone: str, text: str) -> web.Response:
    handled = await _keyword(request, phone, text.upper().strip(" .!"))
    if handled is not None:
        return handled
    metadata = {"channel": "sms", "phone": phone}
    task = asyncio.ensure_future(
        forward(request.app, f"sms:{phone}", text[:1000] or "hi", metadata, "sms"))
    return await _answer(request, task)


async def _nothing() -> web.Response:
    return _message("")


@routes.post("/twilio/sms/continue")
async def continuation(request: web.Request) -> web.Response:
    task = await pending_turn(request)
    if task is None:
        return _message("")
    return await _answer(request, task)
