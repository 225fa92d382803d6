"""SMS through Twilio's Messages API, with the `twilio` library.

`TargetedHttpClient` sends the library's requests to another base URL (the local fake in tests,
a regional edge in production) and adds the current message's `Idempotency-Key` header: the
library's `messages.create` has no header argument, so the key travels in a context variable
set in the worker thread that makes the call.
"""

from __future__ import annotations

import contextvars

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from assistant.notifications.senders import SendError, Sms

TWILIO_BASE = "https://api.twilio.com"
UNSUBSCRIBED = 21610
"""Twilio's error for a recipient who replied STOP."""

_idempotency_key: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "twilio_idempotency_key", default=None
)


class RecipientOptedOut(SendError):
    """Twilio refuses: the number texted STOP to our sender; record the opt-out."""


class TargetedHttpClient(TwilioHttpClient):
    def __init__(self, base_url: str = TWILIO_BASE, timeout: float = 10.0) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, params: dict[str, object] | None = None,
                data: dict[str, object] | None = None, headers: dict[str, str] | None = None,
                auth: tuple[str, str] | None = None, timeout: float | None = None,
                allow_redirects: bool = False) -> Response:
        if url.startswith(TWILIO_BASE):
            url = self.base_url + url[len(TWILIO_BASE):]
        key = _idempotency_key.get()
        if key:
            headers = {**(headers or {}), "Idempotency-Key": key}
        return super().request(method, url, params, data, headers, auth, timeout,
                               allow_redirects)


class TwilioSms:
    provider = "twilio"

    def __init__(self, account_sid: str, auth_token: str, from_number: str,
                 base_url: str = TWILIO_BASE, timeout: float = 10.0) -> None:
        self.client = Client(account_sid, auth_token,
                             http_client=TargetedHttpClient(base_url, timeout))
        self.from_number = from_number

    def send(self, sms: Sms) -> str:
        token = _idempotency_key.set(sms.idempotency_key)
        try:
            message = self.client.messages.create(to=sms.to, from_=self.from_number,
                                                  body=sms.body)
        except TwilioRestException as error:
            raise _refused(error) from error
        except requests.RequestException as error:
            raise SendError(f"Twilio unreachable: {error}", retryable=True) from error
        finally:
            _idempotency_key.reset(token)
        return str(message.sid)


def _refused(error: TwilioRestException) -> SendError:
    text = f"Twilio {error.status} ({error.code}): {error.msg}"[:500]
    if error.code == UNSUBSCRIBED:
        return RecipientOptedOut(text, retryable=False, status=error.status)
    return SendError(text, retryable=error.status == 429 or error.status >= 500,
                     status=error.status)
