"""Short links (`/a/<code>`): issued once per appointment and action however often a message is
rendered, redirecting to a freshly signed page link while live; expired, revoked, unknown and
tampered codes each get a page that says so and a way forward; lookups are rate-limited per
client; `python -m assistant links revoke` withdraws them."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway import ratelimit
from assistant.gateway.app import create_app
from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from assistant.settings import PROJECT_ROOT
from scheduling.persistence import short_links
from scheduling.persistence.housekeeping import prune_expired
from scheduling.persistence.short_links import LinkRequest
from tests.gateway.conftest import FakeRasa, gateway_settings

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
Factory = async_sessionmaker[AsyncSession]
NOW = datetime.now(UTC)


async def issue(factory: Factory, subject: UUID, action: str = "manage",
                expires: timedelta = timedelta(days=30)) -> str:
    codes = await short_links.issue(factory, [LinkRequest(subject, action, NOW + expires)], NOW)
    return codes[(subject, action)]


async def test_a_link_issued_twice_or_at_once_has_one_code(
    session_factory: Factory, clean_tables: None
) -> None:
    subject = uuid4()
    first = await issue(session_factory, subject)
    assert await issue(session_factory, subject) == first
    subject = uuid4()
    racing = await asyncio.gather(*(issue(session_factory, subject) for _ in range(8)))
    assert len(set(racing)) == 1 and short_links.is_code(racing[0])
    assert await issue(session_factory, subject, "cancel") != racing[0]


async def test_a_revoked_link_is_replaced_by_a_new_code(
    session_factory: Factory, clean_tables: None
) -> None:
    subject = uuid4()
    old = await issue(session_factory, subject)
    assert await short_links.revoke(session_factory, old, NOW)
    assert not await short_links.revoke(session_factory, old, NOW)  # once
    new = await issue(session_factory, subject)
    assert new != old
    assert await short_links.revoke_subject(session_factory, subject, NOW) == 1


async def test_housekeeping_drops_only_links_dead_past_their_keep(
    session_factory: Factory, clean_tables: None
) -> None:
    """A link expired within KEEP still answers "expired"; one dead longer is deleted."""
    recent, ancient = uuid4(), uuid4()
    kept = await issue(session_factory, recent, expires=-timedelta(days=1))
    gone = await issue(session_factory, ancient, expires=-(short_links.KEEP + timedelta(days=1)))
    await prune_expired(session_factory, NOW)
    assert await short_links.find(session_factory, kept) is not None
    assert await short_links.find(session_factory, gone) is None


def target(response_location: str) -> tuple[str, str]:
    found = urlparse(response_location)
    return found.path, parse_qs(found.query)["token"][0]


async def test_a_live_link_redirects_to_its_page_with_a_fresh_token(
    gateway: Client, session_factory: Factory
) -> None:
    subject = uuid4()
    code = await issue(session_factory, subject, "claim", timedelta(hours=2))
    response = await gateway.get(f"/a/{code}", allow_redirects=False)
    assert response.status == 303
    path, token = target(response.headers["Location"])
    assert path == "/appointments/claim"
    key = links.link_key(gateway.server.app[SETTINGS])
    assert links.verify(key, token, "claim", NOW) == subject
    with pytest.raises(links.InvalidLink, match="expired"):  # it dies with the code
        links.verify(key, token, "claim", NOW + timedelta(hours=2, seconds=1))


async def problem(gateway: Client, code: str) -> tuple[int, str]:
    response = await gateway.get(f"/a/{code}", allow_redirects=False)
    return response.status, await response.text()


async def test_expired_revoked_unknown_and_tampered_links_say_what_happened(
    gateway: Client, session_factory: Factory
) -> None:
    expired = await issue(session_factory, uuid4(), expires=-timedelta(seconds=1))
    status, page = await problem(gateway, expired)
    assert status == 410 and "This link has expired" in page
    assert 'href="/book"' in page and "Shear Delight Salon" in page
    assert 'href="tel:+17185550123"' in page
    revoked = await issue(session_factory, uuid4())
    await short_links.revoke(session_factory, revoked, NOW)
    status, page = await problem(gateway, revoked)
    assert status == 410 and "no longer valid" in page
    live = await issue(session_factory, uuid4())
    tampered = live[:-1] + ("a" if live[-1] != "a" else "b")
    for code in (tampered, "zzzzzzzz", live + "x", live[:4], "%00%00", "..%2F..%2Fadmin",
                 "ÄÖÜäöüßé"):
        status, page = await problem(gateway, code)
        assert status == 404 and "We could not find this link" in page, code


async def test_lookups_are_rate_limited_per_client_network(
    database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer], demo: None,
) -> None:
    """The burst, then 429 with the wait; another client is not affected."""
    app = create_app(gateway_settings(database_url, tmp_path, rasa[1].port, trust_proxy=True))
    app[ratelimit.LIMITS] = ratelimit.default_limits(clock=lambda: NOW)
    burst = ratelimit.RATES["short-link"].burst
    async with TestClient(TestServer(app)) as client:
        guesses = [await client.get(f"/a/guess{n:03d}", headers={"X-Forwarded-For": "203.0.113.9"})
                   for n in range(burst + 1)]
        assert [g.status for g in guesses] == [404] * burst + [429]
        assert int(guesses[-1].headers["Retry-After"]) >= 1
        assert "Too many links opened" in await guesses[-1].text()
        other = await client.get("/a/guess000", headers={"X-Forwarded-For": "198.51.100.7"})
        assert other.status == 404


def links_command(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "assistant", "links", "revoke", *args],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


async def test_the_command_line_revokes_a_code_or_an_appointments_links(
    gateway: Client, session_factory: Factory, database_url: str
) -> None:
    one = await issue(session_factory, uuid4())
    done = links_command(database_url, one)
    assert done.returncode == 0 and "revoked 1 short link(s)" in done.stdout, done.stderr
    assert (await problem(gateway, one))[0] == 410
    again = links_command(database_url, one)
    assert again.returncode == 1 and "no live short link" in again.stderr
    appointment = uuid4()
    codes = [await issue(session_factory, appointment, action) for action in ("manage", "confirm")]
    done = links_command(database_url, "--appointment", str(appointment))
    assert done.returncode == 0 and "revoked 2 short link(s)" in done.stdout, done.stderr
    assert [(await problem(gateway, code))[0] for code in codes] == [410, 410]
    assert links_command(database_url, "--appointment", "not-an-id").returncode == 2
    assert links_command(database_url).returncode == 2
