"""Staff accounts for the tests: a gateway whose invitation e-mails go to the SendGrid fake
(over HTTP, through the real sendgrid client) and whose GATEWAY_URL is its own address, so an
e-mailed link can be followed as it is; and the owner's steps through the /admin/staff forms."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.embedded_db import free_port
from assistant.gateway.admin import session
from assistant.gateway.app import create_app
from assistant.notifications.runtime import DISPATCHER
from assistant.notifications.sendgrid_email import SendGridEmail
from scheduling.demo import demo_catalog
from tests.fakes.sendgrid import FakeSendGrid
from tests.fakes.server import serve
from tests.gateway.admin_login import login_as
from tests.gateway.conftest import FakeRasa, gateway_settings
from tests.gateway.html_forms import Page

Client = TestClient  # type: ignore[type-arg]
OWNER = "owner@example.com"
STAFF = {m.name: m.id for m in demo_catalog().staff}
PASSWORD = "a long staff password"


@dataclass
class Desk:
    """The gateway, the mail it sent, and its owner's cookies."""

    client: Client
    mail: FakeSendGrid
    owner: dict[str, str]

    def url(self, path: str = "") -> str:
        return str(self.client.make_url(path))


@pytest.fixture
async def desk(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],
               demo: None, session_factory: async_sessionmaker[AsyncSession]
               ) -> AsyncIterator[Desk]:
    port, mail = free_port(), FakeSendGrid()
    settings = gateway_settings(database_url, tmp_path, rasa[1].port,
                                public_url=f"http://127.0.0.1:{port}")
    async with serve(mail.app()) as mail_url:
        client = TestClient(TestServer(create_app(settings), port=port))
        await client.start_server()
        client.app[DISPATCHER].senders["email"] = SendGridEmail(
            mail.api_key, "bookings@salon.example", "Shear Delight", host=mail_url)
        yield Desk(client, mail, await login_as(session_factory, OWNER))
        await client.close()


async def form_page(client: Client, path: str, cookies: dict[str, str]) -> Page:
    response = await client.get(path, cookies=cookies)
    assert response.status == 200, (path, response.status, await response.text())
    return Page.of(await response.text())


async def invite(desk: Desk, email: str, role: str = "staff", staff: str | None = "Ana",
                 **extra: str) -> Any:
    """Press "Send invitation" on /admin/staff; the answer, redirects not followed."""
    form, button = (await form_page(desk.client, "/admin/staff", desk.owner)
                    ).form_with("Send invitation")
    typed = {"email": email, "role": role, "staff_id": str(STAFF[staff]) if staff else ""}
    _, action, body = form.submit(button, **(typed | extra))
    return await desk.client.post(action, data=body, cookies=desk.owner, allow_redirects=False)


def mailed_link(mail: FakeSendGrid, to: str) -> str:
    """The set-password link of the last invitation e-mailed to `to` (text and HTML parts
    must carry the same one)."""
    bodies = [b for b in mail.ledger.delivered.values()
              if b["personalizations"][0]["to"][0]["email"] == to]  # type: ignore[index]
    assert bodies, f"no e-mail to {to}"
    content = {part["type"]: part["value"] for part in bodies[-1]["content"]}  # type: ignore[attr-defined]
    links = re.findall(r"https?://\S+/admin/invite/[A-Za-z0-9_-]+", content["text/plain"])
    assert len(links) == 1 and links[0] in content["text/html"], content
    return str(links[0])


@dataclass(frozen=True)
class Accepted:
    status: int
    location: str | None
    text: str
    cookies: dict[str, str]
    """The invitee's session cookie, when the account was made."""


async def accept(link: str, password: str = PASSWORD, again: str | None = None) -> Accepted:
    """Follow the e-mailed link in a browser of the invitee's own (a cookie jar apart from
    the owner's) and choose a password; the answer is not followed."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as invitee:
        async with invitee.get(link) as opened:
            assert opened.status == 200, await opened.text()
            form, button = Page.of(await opened.text()).form_with("Create my account")
        _, _, body = form.submit(button, password=password,
                                 again=password if again is None else again)
        async with invitee.post(link, data=body, allow_redirects=False) as answer:
            cookies = {c.key: c.value for c in jar if c.key == session.COOKIE}
            return Accepted(answer.status, answer.headers.get("Location"), await answer.text(),
                            cookies)


async def column_names(desk: Desk, cookies: dict[str, str]) -> set[str]:
    """The staff members whose column the Today page shows these cookies."""
    today = await (await desk.client.get("/admin", cookies=cookies)).text()
    return {name for name in STAFF if f"<h2>{name}</h2>" in today}


def invite_path(link: str) -> str:
    """The path of an e-mailed link, for the test client (which takes paths only)."""
    return "/admin/invite/" + link.split("/admin/invite/", 1)[1]


async def row(factory: async_sessionmaker[AsyncSession], table: Any, **where: Any) -> Any:
    async with factory() as db:
        return (await db.scalars(select(table).filter_by(**where))).one_or_none()
