"""What a sender is, what it raises, and the local senders used when no keys are configured.

Senders are synchronous (the vendor libraries are) and called in a worker thread by the
dispatcher. Each call carries an idempotency key, the same on every retry of one message on
one channel, which the HTTP senders pass to the provider so a send repeated after a crash can
be recognised as a duplicate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol
from uuid import uuid4

from assistant.logcontext import masked

log = logging.getLogger(__name__)


class SendError(Exception):
    """The provider did not take the message; `retryable` says whether trying later may help."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None) -> None:
        self.retryable = retryable
        self.status = status
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    to_name: str
    subject: str
    text: str
    html: str
    idempotency_key: str
    attachments: tuple[Attachment, ...] = field(default=())
    reply_to: str | None = None


@dataclass(frozen=True, slots=True)
class Sms:
    to: str
    body: str
    idempotency_key: str


class EmailSender(Protocol):
    provider: str

    def send(self, email: Email) -> str:
        """Hand the e-mail over; returns the provider's message id; raises SendError."""
        ...


class SmsSender(Protocol):
    provider: str

    def send(self, sms: Sms) -> str:
        """Hand the SMS over; returns the provider's message SID; raises SendError."""
        ...


class LocalEmail:
    """No SendGrid key: the e-mail is noted in the log, and the dispatcher records it as an
    attempt. The log shows a masked address and the length, never the text or the subject (a
    verification e-mail's carries its one-time code): logs are read by more people than mail."""

    provider = "local"

    def send(self, email: Email) -> str:
        log.info("sent e-mail to %s (%d chars; not sent: no SendGrid key)",
                 masked(email.to), len(email.text))
        return f"local-{uuid4().hex}"


class LocalSms:
    """No Twilio account: the SMS is noted in the log (masked number, length, never the body),
    and the dispatcher records it as an attempt."""

    provider = "local"

    def send(self, sms: Sms) -> str:
        log.info("sent SMS to %s (%d chars; not sent: no Twilio account)",
                 masked(sms.to), len(sms.body))
        return f"local-{uuid4().hex}"
