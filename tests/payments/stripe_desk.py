"""A gateway with Stripe on: its API base is the local fake (the real `stripe` library talks
to it over HTTP), the demo salon takes deposits online, and helpers that walk a deposit
booking to Stripe's page and deliver Stripe's signed webhooks."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import pytest
from aiohttp.test_utils import TestServer

from assistant import payments
from scheduling.demo import demo_id
from tests.fakes.server import serve
from tests.fakes.stripe import SECRET_KEY, WEBHOOK_SECRET, FakeStripe
from tests.gateway.booking_flow import Client, Factory, execute, gateway_with, rows, to_confirm
from tests.gateway.conftest import FakeRasa

BUSINESS = demo_id("business/shear-delight")


async def deposits_online(factory: Factory, online: bool = True) -> None:
    await execute(factory, "INSERT INTO booking_rules (business_id, max_active_per_customer,"
                  " require_approval, hold_minutes, claim_window_minutes, no_show_grace_minutes,"
                  " deposits_online) VALUES (:b, 5, false, 5, 120, 15, :on)"
                  " ON CONFLICT (business_id) DO UPDATE SET deposits_online = :on",
                  b=BUSINESS, on=online)


@dataclass
class Desk:
    client: Client
    stripe: FakeStripe
    factory: Factory
    stripe_url: str


@pytest.fixture
async def desk(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],
               demo: None, session_factory: Factory, monkeypatch: pytest.MonkeyPatch
               ) -> AsyncIterator[Desk]:
    """The gateway's own refund worker runs once at start-up and then hourly, so a test
    drives refunds itself (`REFUNDS` or a worker of its own) without a race."""
    monkeypatch.setattr(payments, "REFUND_SECONDS", 3600)
    fake = FakeStripe()
    async with serve(fake.app()) as url:
        await deposits_online(session_factory)
        async with gateway_with(database_url, tmp_path, rasa[1].port,
                                stripe_secret_key=SECRET_KEY,
                                stripe_webhook_secret=WEBHOOK_SECRET,
                                stripe_api_base=url) as client:
            yield Desk(client, fake, session_factory, url)


async def book_deposit(desk: Desk, phone: str = "(212) 555-0142", skip: int = 0,
                       service: str = "colour", says: str = "") -> tuple[UUID, str]:
    """A colour (or another `service`) booked through /book and confirmed, its confirm step
    saying `says`: (its id, where the confirm sent the browser: the pay link)."""
    confirm, _ = await to_confirm(desk.client, desk.factory, phone=phone, service=service,
                                  staff="any", skip=skip)
    assert says in confirm.words, confirm.words
    form, button = confirm.page.form_with("Confirm booking")
    method, url, body = form.submit(button)
    answer = await desk.client.request(method, url, data=body, allow_redirects=False)
    assert answer.status == 303, await answer.text()
    [(appointment_id,)] = await rows(desk.factory, "SELECT id FROM appointments"
                                     " ORDER BY created_at DESC LIMIT 1")
    return appointment_id, answer.headers["Location"]


async def to_checkout(desk: Desk, pay_link: str) -> str:
    """Open the pay link; the Checkout Session it redirects to (at the fake)."""
    answer = await desk.client.get(pay_link, allow_redirects=False)
    assert answer.status == 303, await answer.text()
    return urlsplit(answer.headers["Location"]).path.rsplit("/", 1)[1]


async def deliver(desk: Desk, body: bytes, signature: str | None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    answer = await desk.client.post("/webhooks/stripe", data=body, headers=headers)
    text = await answer.text()
    return answer.status, (await answer.json()) if answer.status == 200 else text
