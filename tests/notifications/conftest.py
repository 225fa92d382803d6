"""Notification fixtures: the vendor fakes on 127.0.0.1, a salon whose customers have e-mail
addresses, a settable clock, and dispatchers wired to the fakes through the real libraries;
and the gateway of tests/gateway (the demo salon), whose pages the messages' links open."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.notifications.dispatcher import DispatchConfig, Dispatcher
from assistant.notifications.render import Renderer
from assistant.notifications.sendgrid_email import SendGridEmail
from assistant.notifications.twilio_sms import TwilioSms
from scheduling.catalog import Contact, CustomerPreferences
from scheduling.notifications.policy import RetryPolicy
from scheduling.persistence.booking_uow import BookingUnitOfWork
from tests.booking.booking_builders import NOW, Salon, build_salon, save_salon
from tests.fakes.sendgrid import FakeSendGrid
from tests.fakes.server import serve
from tests.fakes.twilio import FakeTwilio
from tests.gateway.conftest import demo, gateway, rasa  # noqa: F401  (fixtures)

SECRET = "test-secret"
BASE_URL = "https://book.example.com"


class Clock:
    """The dispatcher's `now`, moved by the test."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Fakes:
    sendgrid: FakeSendGrid
    twilio: FakeTwilio
    sendgrid_url: str
    twilio_url: str

    def email_sender(self, timeout: float = 10.0) -> SendGridEmail:
        return SendGridEmail(self.sendgrid.api_key, "bookings@salon.example", "Salon",
                             host=self.sendgrid_url, timeout=timeout)

    def sms_sender(self, timeout: float = 10.0) -> TwilioSms:
        return TwilioSms(self.twilio.account_sid, self.twilio.auth_token, "+15550000000",
                         base_url=self.twilio_url, timeout=timeout)


@pytest.fixture
async def fakes() -> AsyncIterator[Fakes]:
    sendgrid, twilio = FakeSendGrid(), FakeTwilio()
    async with serve(sendgrid.app()) as sendgrid_url, serve(twilio.app()) as twilio_url:
        yield Fakes(sendgrid, twilio, sendgrid_url, twilio_url)


def mailable_salon() -> Salon:
    """The booking salon with a contact address and customers who have e-mail addresses."""
    salon = build_salon()
    business = replace(salon.catalog.business, name="Salon Lumière",
                       contact=Contact("+15550001111", "owner@salon.example",
                                       "https://salon.example"))
    customers = tuple(
        replace(c, email=f"customer{i}@example.com",
                preferences=CustomerPreferences(language="en"))
        for i, c in enumerate(salon.customers)
    )
    return Salon(replace(salon.catalog, business=business), customers)


@pytest.fixture
async def salon(
    session_factory: async_sessionmaker[AsyncSession], clean_tables: None
) -> AsyncIterator[Salon]:
    built = mailable_salon()
    await save_salon(session_factory, built)
    yield built


@pytest.fixture
def uow(session_factory: async_sessionmaker[AsyncSession]) -> BookingUnitOfWork:
    return BookingUnitOfWork(session_factory)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(SECRET, BASE_URL)


@pytest.fixture
def make_dispatcher(
    session_factory: async_sessionmaker[AsyncSession], fakes: Fakes, renderer: Renderer,
    clock: Clock,
) -> Callable[..., Dispatcher]:
    def make(**config: object) -> Dispatcher:
        settings = DispatchConfig(**{"retry": RetryPolicy(), **config})  # type: ignore[arg-type]
        return Dispatcher(session_factory, renderer, fakes.email_sender(),
                          fakes.sms_sender(), clock, settings)
    return make
