"""The public booking page, `/book`, on the demo salon and the test database: every step as a
browser without JavaScript takes it (the forms and links the pages render, followed), the
code read from the message the customer is sent, the booking checked in the database; then
what a person (or a script) could try instead."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.app import create_app
from assistant.notifications.runtime import DISPATCHER
from tests.gateway.conftest import FakeRasa, gateway_settings
from tests.gateway.html_forms import Form, Page

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
PHONE, TYPED_PHONE = "+12125550142", "(212) 555-0142"
SHOP = "https://www.shear-delight.example"


@dataclass
class Answer:
    status: int
    url: str
    html: str

    @property
    def page(self) -> Page:
        return Page.of(self.html)

    @property
    def words(self) -> str:
        """The text a person reads (tags dropped, entities decoded, spaces collapsed)."""
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", self.html)).split())


async def fetch(client: Client, method: str, url: str, data: dict[str, str] | None = None
                ) -> Answer:
    """One request, then the redirects a browser follows (a POST's 303 becomes a GET)."""
    response = await client.request(method, url, data=data, allow_redirects=False)
    while response.status in (301, 302, 303):
        url = response.headers["Location"]
        response = await client.get(url, allow_redirects=False)
    return Answer(response.status, url, await response.text())


async def press(client: Client, page: Page, button: str, **typed: str) -> Answer:
    """Submit the form holding `button` (its text, label or value) as the browser would."""
    form, found = page.form_with(button)
    return await submit(client, form, found, **typed)


async def submit(client: Client, form: Form, button: Any = None, **typed: str) -> Answer:
    method, url, body = form.submit(button, **typed)
    return await fetch(client, method, url, body or None)


async def sent_code(client: Client, factory: async_sessionmaker[AsyncSession],
                    to: str = PHONE) -> str:
    """The code in the last message the dispatcher sent to `to`, as the customer reads it."""
    await client.app[DISPATCHER].run_once()
    async with factory() as session:
        summary = (await session.execute(text(
            "SELECT summary FROM delivery_attempts WHERE recipient = :to AND status = 'sent' "
            "ORDER BY at DESC, id DESC LIMIT 1"), {"to": to})).scalar_one()
    found = re.search(r"\b(\d{6})\b", summary)
    assert found, summary
    return found.group(1)


async def rows(factory: async_sessionmaker[AsyncSession], sql: str, **params: object
               ) -> list[Any]:
    async with factory() as session:
        return list((await session.execute(text(sql), params)).all())


async def to_details(client: Client, service: str = "Women's cut", staff: str = "Ana",
                     query: str = "") -> tuple[Answer, str]:
    """Steps 1-3: the service, the staff member, the first free time; (details page, start)."""
    services = await fetch(client, "get", "/book" + query)
    assert services.status == 200, services.html
    chosen = await press(client, services.page, service)
    assert chosen.status == 200 and urlsplit(chosen.url).path.startswith("/book/")
    week = await press(client, chosen.page, staff)
    assert week.status == 200, week.html
    form, first = next((f, b) for f in week.page.forms for b in f.buttons if b.name == "start")
    details = await submit(client, form, first)
    assert details.status == 200, details.html
    return details, first.value


async def to_confirm(client: Client, factory: async_sessionmaker[AsyncSession],
                     name: str = "Dana Reyes", phone: str = TYPED_PHONE, email: str = "",
                     **steps: str) -> tuple[Answer, str]:
    """Steps 1-5; (the confirm page, the chosen start)."""
    details, start = await to_details(client, **steps)
    code_page = await press(client, details.page, "Send my code", name=name, phone=phone,
                            email=email)
    assert code_page.status == 200 and "Enter your code" in code_page.words, code_page.html
    sent_to = PHONE if phone else email
    confirm = await press(client, code_page.page, "Check my code",
                          code=await sent_code(client, factory, sent_to))
    assert confirm.status == 200 and "Confirm your booking" in confirm.words, confirm.html
    return confirm, start


@pytest.fixture
def factory(session_factory: async_sessionmaker[AsyncSession]
            ) -> async_sessionmaker[AsyncSession]:
    return session_factory


@pytest.fixture
async def shop_gateway(database_url: str, tmp_path: Path,
                       rasa: tuple[FakeRasa, TestServer], demo: None
                       ) -> AsyncIterator[Client]:
    """The gateway with the shop's own site allowed to frame the booking page."""
    settings = gateway_settings(database_url, tmp_path, rasa[1].port,
                                booking_embed_origins=SHOP)
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    yield client
    await client.close()


async def test_a_customer_books_every_step_and_the_booking_is_theirs(
    gateway: Client, factory: async_sessionmaker[AsyncSession],
) -> None:
    confirm, start = await to_confirm(gateway, factory, email="Dana@Example.com")
    assert "Ana" in confirm.words and "$65" in confirm.words

    booked = await press(gateway, confirm.page, "Confirm booking")

    assert booked.status == 200 and "You're booked" in booked.words, booked.html
    [(status, staff, begins, price, phone, channel, customer)] = await rows(factory, (
        "SELECT a.status, s.name, a.starts_at, a.price, a.contact_phone, a.channel, "
        "a.customer_id FROM appointments a JOIN staff s ON s.id = a.staff_id"))
    assert (status, staff, price, phone, channel) == ("confirmed", "Ana", 65, PHONE, "web")
    assert begins == datetime.fromisoformat(start)
    [(phone, email, phone_verified)] = await rows(
        factory, "SELECT phone, email, phone_verified_at FROM customers WHERE id = :c",
        c=customer)
    assert (phone, email) == (PHONE, "Dana@example.com") and phone_verified is not None
    manage = booked.page.link("Manage this booking")
    assert manage.startswith("/appointments/manage?token=")
    again = await fetch(gateway, "get", booked.page.link("Book something else"))
    assert again.status == 200 and "Choose a service" in again.words
