"""E-mail through SendGrid's v3 Mail Send API, with the `sendgrid` library.

The idempotency key travels as an `Idempotency-Key` request header and as a `custom_args`
entry (which SendGrid echoes in its event webhook), so a repeated send can be matched to the
first. SendGrid answers 202 with the message id in `X-Message-Id`.
"""

from __future__ import annotations

import base64
from urllib.error import URLError

from python_http_client.exceptions import HTTPError
from sendgrid import SendGridAPIClient
from sendgrid.helpers.mail import (
    Attachment,
    ContentId,
    CustomArg,
    Disposition,
    FileContent,
    FileName,
    FileType,
    From,
    Mail,
    ReplyTo,
    To,
)

from assistant.notifications.senders import Email, SendError

SENDGRID_HOST = "https://api.sendgrid.com"


class SendGridEmail:
    provider = "sendgrid"

    def __init__(self, api_key: str, from_email: str, from_name: str = "",
                 host: str = SENDGRID_HOST, timeout: float = 10.0) -> None:
        self.api_key, self.host, self.timeout = api_key, host, timeout
        self.sender = From(from_email, from_name or None)

    def _client(self) -> SendGridAPIClient:
        """A client for one request. python_http_client merges each call's headers into a dict
        shared by every request of a client, so concurrent sends through one client would swap
        their Idempotency-Key headers (seen: two messages sent under one key). Building a
        client does no I/O."""
        client = SendGridAPIClient(self.api_key, host=self.host)
        client.client.timeout = self.timeout
        return client

    def mail(self, email: Email) -> Mail:
        mail = Mail(self.sender, To(email.to, email.to_name or None), email.subject,
                    email.text, email.html)
        mail.custom_arg = CustomArg("idempotency_key", email.idempotency_key)
        if email.reply_to:
            mail.reply_to = ReplyTo(email.reply_to)
        for item in email.attachments:
            mail.add_attachment(Attachment(
                FileContent(base64.b64encode(item.content).decode()), FileName(item.filename),
                FileType(item.mime_type), Disposition("attachment"), ContentId(item.filename),
            ))
        return mail

    def send(self, email: Email) -> str:
        try:
            response = self._client().client.mail.send.post(
                request_body=self.mail(email).get(),
                request_headers={"Idempotency-Key": email.idempotency_key},
            )
        except HTTPError as error:
            status = int(error.status_code)
            raise SendError(f"SendGrid {status}: {error.body!r}"[:500],
                            retryable=status == 429 or status >= 500, status=status) from error
        except (URLError, TimeoutError, ConnectionError) as error:
            raise SendError(f"SendGrid unreachable: {error}", retryable=True) from error
        return str(response.headers.get("X-Message-Id") or "")
