"""Twilio voice: a greeting with the business's name, then `<Gather input="speech dtmf">` turns
with the catalog's service and staff names as speech hints. Speech (or key presses) goes to
Rasa as `voice:+E164` (the call SID when the number is withheld); replies are spoken with
`voice_text`. Silence is reprompted, then the call ends politely; a handoff dials the business.

Twilio hangs up on a webhook that takes more than 15 s, so a turn slower than the voice timeout
is answered "one moment" and a `<Redirect>` to `/twilio/voice/continue?token=...`.

Each `<Gather>` posts to `/twilio/voice/gather?turn=N`, N one more than the turn of the request
that answered with it (the reprompt and continuation URLs carry N along), so CallSid and N name
one step of a call: a step Twilio delivers twice reaches Rasa once and gets the same TwiML both
times, and no later step can be mistaken for a repeat.
"""

from __future__ import annotations

import asyncio

import aiohttp
from aiohttp import web
from twilio.twiml.voice_response import Gather, VoiceResponse

from assistant.gateway import ratelimit, replays
from assistant.gateway.api import context
from assistant.gateway.conversation import TIMEOUTS, Reply, forward, within
from assistant.gateway.twilio_auth import TWIML, pending_turn, twiml, verified_form
from assistant.gateway.voice_text import digits_as_words, voice_text, wants_handoff
from scheduling.catalog import E164, Catalog

VOICE = "Polly.Joanna"
MAX_SILENCES = 2
STEPS = replays.Source("twilio-voice", TWIML)
routes = web.RouteTableDef()


def hints(catalog: Catalog) -> str:
    names = [s.name for s in catalog.services] + [m.name for m in catalog.staff]
    names += [alias for s in catalog.services for alias in s.aliases]
    return ", ".join(dict.fromkeys(names))[:1000]


def _gather(response: VoiceResponse, catalog: Catalog, say: str, turn: int,
            silences: int = 0) -> None:
    gather = Gather(input="speech dtmf", action=f"/twilio/voice/gather?turn={turn}", method="POST",
                    speech_timeout="auto", timeout=6, finish_on_key="#", hints=hints(catalog),
                    language="en-US")
    gather.say(say, voice=VOICE)
    response.append(gather)
    response.redirect(f"/twilio/voice/silence?count={silences + 1}&turn={turn}", method="POST")


def _turn(request: web.Request) -> int:
    """The step number this request carries (0: none, e.g. TwiML from before steps had one)."""
    value = request.query.get("turn", "")
    return int(value) if value.isdigit() and len(value) < 7 else 0


def _caller(form: dict[str, str]) -> tuple[str, dict[str, str]]:
    phone, call = form.get("From", ""), form.get("CallSid", "unknown")
    metadata = {"channel": "voice", "call_sid": call}
    if E164.match(phone):
        return f"voice:{phone}", metadata | {"phone": phone}
    return f"voice:{call}", metadata


@routes.post("/twilio/voice")
async def incoming(request: web.Request) -> web.Response:
    form = await verified_form(request)
    await ratelimit.check(request, "twilio", form.get("From", "") or ratelimit.client_ip(request))
    catalog = await context.catalog(request)
    response = VoiceResponse()
    _gather(response, catalog, f"Thank you for calling {catalog.business.name}. I can book, "
                               "move or cancel an appointment. How can I help?", turn=1)
    return twiml(response)


@routes.post("/twilio/voice/gather")
async def gathered(request: web.Request) -> web.Response:
    form = dict(await verified_form(request))
    turn, call = _turn(request), form.get("CallSid", "")
    step = f"{call}:{turn}" if call and turn else ""
    return await replays.once(request, STEPS, step, lambda: _step(request, form, turn),
                              lambda: _silence(request, 0, turn))


async def _step(request: web.Request, form: dict[str, str], turn: int) -> web.Response:
    text = form.get("SpeechResult", "").strip() or digits_as_words(form.get("Digits", "").strip())
    if not text:
        return await _silence(request, 1, turn)
    sender, metadata = _caller(form)
    task = asyncio.ensure_future(forward(request.app, sender, text[:1000], metadata, "voice"))
    return await _answer(request, task, turn)


@routes.post("/twilio/voice/continue")
async def continuation(request: web.Request) -> web.Response:
    task = await pending_turn(request)
    if task is None:
        return await _silence(request, 0, _turn(request))
    return await _answer(request, task, _turn(request))


@routes.post("/twilio/voice/silence")
async def silence(request: web.Request) -> web.Response:
    await verified_form(request)
    try:
        count = int(request.query.get("count", "1"))
    except ValueError:
        count = MAX_SILENCES
    return await _silence(request, count, _turn(request))


async def _silence(request: web.Request, count: int, turn: int) -> web.Response:
    response = VoiceResponse()
    if count >= MAX_SILENCES:
        response.say("I haven't heard anything, so I'll say goodbye for now. "
                     "Call back any time.", voice=VOICE)
        response.hangup()
        return twiml(response)
    _gather(response, await context.catalog(request),
            "Sorry, I didn't catch that. How can I help?", turn + 1, count)
    return twiml(response)


async def _answer(request: web.Request, task: asyncio.Task[list[Reply]], turn: int
                  ) -> web.Response:
    response = VoiceResponse()
    try:
        replies, token = await within(request.app, task, request.app[TIMEOUTS].voice)
    except (aiohttp.ClientError, TimeoutError):
        response.say("Sorry, I'm having trouble right now. Please call back in a few minutes.",
                     voice=VOICE)
        response.hangup()
        return twiml(response)
    if token is not None:
        response.say("One moment please.", voice=VOICE)
        response.pause(length=1)
        response.redirect(f"/twilio/voice/continue?token={token}&turn={turn}", method="POST")
        return twiml(response)
    return twiml(await _spoken(request, replies or [], response, turn + 1))


async def _spoken(request: web.Request, replies: list[Reply], response: VoiceResponse,
                  turn: int) -> VoiceResponse:
    catalog = await context.catalog(request)
    said = (voice_text(replies, catalog.business.policies.currency)
            or "Sorry, could you say that again?")
    phone = catalog.business.contact.phone
    if wants_handoff(replies) and phone:
        response.say(said, voice=VOICE)
        response.dial(phone)
        return response
    _gather(response, catalog, said, turn)
    return response
