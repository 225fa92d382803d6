"""Walking the booking page as a browser without JavaScript does: press the buttons the pages
render, follow their redirects, read the one-time code from the message the customer is
sent (the dispatcher run for real, the SMS text as recorded). Shared by the page tests."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.app import create_app
from assistant.notifications.runtime import DISPATCHER
from tests.gateway.conftest import gateway_settings
from tests.gateway.html_forms import Button, Form, Page

Client = TestClient[web.Request, web.Application]
Factory = async_sessionmaker[AsyncSession]
PHONE, TYPED_PHONE = "+12125550142", "(212) 555-0142"


@dataclass
class Answer:
    status: int
    url: str
    html: str
    headers: dict[str, str]

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
    return Answer(response.status, url, await response.text(), dict(response.headers))


async def submit(client: Client, form: Form, button: Button | None = None,
                 **typed: str) -> Answer:
    method, url, body = form.submit(button, **typed)
    return await fetch(client, method, url, body or None)


async def press(client: Client, page: Page, button: str, **typed: str) -> Answer:
    """Submit the form holding `button` (its text, label or value) as the browser would."""
    form, found = page.form_with(button)
    return await submit(client, form, found, **typed)


async def sent_code(client: Client, factory: Factory, to: str = PHONE) -> str:
    """The code in the newest code message sent to `to` (the one that counts), as the
    customer reads it there. The gateway's own dispatcher also runs every few seconds: when it
    has claimed the message, this drain finds nothing and the send is still in flight, so the
    code is awaited (for at most ten seconds) rather than read once."""
    for _ in range(100):
        await client.app[DISPATCHER].run_once()
        async with factory() as session:
            summary = (await session.execute(text(
                "SELECT d.summary FROM delivery_attempts d JOIN outbox o ON o.id = d.outbox_id "
                "WHERE d.recipient = :to AND d.status = 'sent' AND o.kind = 'verification_code' "
                "ORDER BY o.due_at DESC LIMIT 1"), {"to": to})).scalar_one_or_none()
        if summary is not None:
            found = re.search(r"\b(\d{6})\b", summary)
            assert found, summary
            return found.group(1)
        await asyncio.sleep(0.1)
    raise AssertionError(f"no code was sent to {to}")


async def rows(factory: Factory, sql: str, **params: object) -> list[Any]:
    async with factory() as session:
        return list((await session.execute(text(sql), params)).all())


async def execute(factory: Factory, sql: str, **params: object) -> None:
    """A change made behind the page's back (the owner editing the catalog, say)."""
    async with factory() as session:
        await session.execute(text(sql), params)
        await session.commit()


def first_time(page: Page, skip: int = 0) -> tuple[Form, Button]:
    """The times form and the button of its first free time (or a later one)."""
    found = [(f, b) for f in page.forms for b in f.buttons if b.name == "start"]
    return found[skip]


async def to_details(client: Client, service: str = "womens-cut", staff: str = "Ana",
                     query: str = "", skip: int = 0) -> tuple[Answer, str]:
    """Steps 1-3: the service (its button's value: the slug), the staff member (a name, or
    "any"), a free time; (details page, its start)."""
    services = await fetch(client, "get", "/book" + query)
    assert services.status == 200, services.html
    chosen = await press(client, services.page, service)
    assert chosen.status == 200 and urlsplit(chosen.url).path.startswith("/book/")
    week = await press(client, chosen.page, staff)
    assert week.status == 200, week.html
    form, button = first_time(week.page, skip)
    details = await submit(client, form, button)
    assert details.status == 200, details.html
    return details, button.value


async def to_code(client: Client, name: str = "Dana Reyes", phone: str = TYPED_PHONE,
                  email: str = "", **steps: Any) -> tuple[Answer, str]:
    """Steps 1-4; (the code page, the chosen start)."""
    details, start = await to_details(client, **steps)
    code_page = await press(client, details.page, "Send my code", name=name, phone=phone,
                            email=email)
    assert code_page.status == 200 and "Enter your code" in code_page.words, code_page.html
    return code_page, start


async def to_confirm(client: Client, factory: Factory, name: str = "Dana Reyes",
                     phone: str = TYPED_PHONE, email: str = "", **steps: Any
                     ) -> tuple[Answer, str]:
    """Steps 1-5; (the confirm page, the chosen start)."""
    code_page, start = await to_code(client, name, phone, email, **steps)
    reads_at = PHONE if phone == TYPED_PHONE else phone or email
    code = await sent_code(client, factory, reads_at)
    confirm = await press(client, code_page.page, "Check my code", code=code)
    assert confirm.status == 200 and "Confirm your booking" in confirm.words, confirm.html
    return confirm, start


@asynccontextmanager
async def gateway_with(database_url: str, data_dir: Path, rasa_port: int | None,
                       **settings: Any) -> AsyncIterator[Client]:
    """A gateway like the `gateway` fixture's, with other settings."""
    client = TestClient(TestServer(create_app(
        gateway_settings(database_url, data_dir, rasa_port or 0, **settings))))
    await client.start_server()
    try:
        yield client
    finally:
        await client.close()
