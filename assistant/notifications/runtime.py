"""Running the dispatcher inside the gateway: senders chosen from the settings, an APScheduler
job draining the outbox every few seconds, started and stopped with the aiohttp app (a drain
in flight at shutdown is finished first: `assistant.interval`).

Every process that runs jobs (`assistant.ticks.runs_jobs`) runs the timer; each 5-second tick is
claimed by one of them (`assistant.ticks`), and the outbox leases would keep them from sending
twice anyway. With no
SendGrid key or Twilio account the local senders log each message and the dispatcher records
it as an attempt with provider "local", so `make run` needs no account.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from aiohttp import web

from assistant.gateway import resources
from assistant.interval import every
from assistant.notifications import links
from assistant.notifications.dispatcher import Dispatcher
from assistant.notifications.render import Renderer
from assistant.notifications.senders import EmailSender, LocalEmail, LocalSms, SmsSender
from assistant.notifications.sendgrid_email import SendGridEmail
from assistant.notifications.twilio_sms import TwilioSms
from assistant.settings import Settings
from assistant.ticks import once_per_tick, runs_jobs
from scheduling.persistence.database import make_session_factory

log = logging.getLogger(__name__)

DISPATCHER = web.AppKey("dispatcher", Dispatcher)
INTERVAL_SECONDS = 5


def email_sender(settings: Settings) -> EmailSender:
    if settings.sendgrid_api_key and settings.sendgrid_from_email:
        return SendGridEmail(settings.sendgrid_api_key.get_secret_value(),
                             settings.sendgrid_from_email)
    return LocalEmail()


def sms_sender(settings: Settings) -> SmsSender:
    sid, token, number = (settings.twilio_account_sid, settings.twilio_auth_token,
                          settings.twilio_from_number)
    if sid and token and number:
        return TwilioSms(sid, token.get_secret_value(), number)
    return LocalSms()


async def notifications(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: needs `resources.database` before it (the engine)."""
    settings = app[resources.SETTINGS]
    dispatcher = Dispatcher(
        make_session_factory(app[resources.ENGINE]),
        Renderer(links.link_key(settings), settings.gateway_url),
        email_sender(settings), sms_sender(settings),
    )
    app[DISPATCHER] = dispatcher
    if not runs_jobs(app):
        yield
        return
    log.info("outbox dispatcher running every %ss (e-mail: %s, SMS: %s)", INTERVAL_SECONDS,
             dispatcher.senders["email"].provider, dispatcher.senders["sms"].provider)
    drain = once_per_tick(dispatcher.factory, "outbox dispatcher", INTERVAL_SECONDS,
                          dispatcher.run_once)
    async with every(INTERVAL_SECONDS, drain, "outbox-dispatcher"):
        yield
