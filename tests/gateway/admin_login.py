"""Signing tests in as an admin: through the login form (`sign_in`, optionally from another
loopback address, as another client would), or straight into the database (`login_as`) when
the test is about something else than logging in."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import aiohttp
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from assistant.gateway.admin.users import AdminUsers
from scheduling.persistence.admin_sessions import SessionStore


@dataclass(frozen=True)
class Answer:
    """What the login form answered (no redirect followed)."""

    status: int
    text: str
    set_cookie: list[str]
    location: str | None


async def sign_in(client: TestClient, email: str, password: str,  # type: ignore[type-arg]
                  source: str | None = None, target: str = "/admin") -> Answer:
    """Fill in the login form, asking to return to `target`. Without `source` the client's
    own cookie jar keeps the session; with one (e.g. "127.0.0.7": any loopback address works
    on Linux) the form is posted from that address by a client of its own."""
    form = await (await client.get("/admin/login")).text()
    found = re.search(r'name="login_csrf" value="([^"]+)"', form)
    assert found is not None, form
    data = {"email": email, "password": password, "login_csrf": found.group(1), "next": target}
    if source is None:
        response = await client.post("/admin/login", data=data, allow_redirects=False)
        return await _answer(response)
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    async with aiohttp.ClientSession(connector=connector) as http, http.post(
        client.make_url("/admin/login"), data=data, allow_redirects=False,
        headers={"Cookie": f"login_csrf={found.group(1)}"},
    ) as response:
        return await _answer(response)


async def _answer(response: aiohttp.ClientResponse) -> Answer:
    return Answer(response.status, await response.text(),
                  response.headers.getall("Set-Cookie", []), response.headers.get("Location"))


async def login_as(sessions: async_sessionmaker[AsyncSession], email: str,
                   now: datetime | None = None) -> dict[str, str]:
    """The cookies of a fresh session for `email` (opened at `now`, default the sessions'
    clock); an existing account keeps its password, so its other sessions stay open."""
    users = AdminUsers(sessions)
    if email not in await users.emails():
        await users.set_password(email, secrets.token_urlsafe(16))
    token = await SessionStore(sessions).create(email, now or session.now(), "127.0.0.1",
                                                "tests")
    return {session.COOKIE: token}
