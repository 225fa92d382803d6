"""Connecting a calendar: the gateway's web flow and the CLI's installed-app flow, each through
the real google-auth-oauthlib against the fake's consent and token endpoints."""

from __future__ import annotations

import asyncio
import threading
import webbrowser

import aiohttp
import pytest
import requests

from calendar_sync.__main__ import main
from calendar_sync.config import GoogleConfig
from calendar_sync.connections import ConnectionStore
from calendar_sync.service import CalendarServices
from tests.booking.booking_builders import Salon
from tests.fakes.google_calendar import FakeGoogle

pytestmark = pytest.mark.db


async def test_web_flow_connects_watches_and_syncs(
    google: FakeGoogle, calendar: CalendarServices, salon: Salon, store: ConnectionStore,
    admin_cookie: dict[str, str],
) -> None:
    staff_id = salon.staff("Ana").id
    start = f"{calendar.public_url}/oauth/google/start?staff_id={staff_id}"
    async with aiohttp.ClientSession(cookies=admin_cookie) as http, http.get(start) as answer:
        assert answer.status == 200, await answer.text()
        assert "owner@example.com connected" in await answer.text()
    connection = await store.by_staff(staff_id)
    assert connection.account_email == "owner@example.com"
    [channel] = google.state.channels.values()
    assert channel["address"] == calendar.channels.webhook_url
    assert google.count("GET", "/calendars/primary/events") == 1


async def test_only_an_admin_may_start_connecting_a_calendar(
    calendar: CalendarServices, salon: Salon
) -> None:
    start = f"{calendar.public_url}/oauth/google/start?staff_id={salon.staff('Ana').id}"
    forged = {"admin_session": "eyJlIjoieCJ9.forged"}
    for cookies in ({}, forged):
        async with aiohttp.ClientSession(cookies=cookies) as http, http.get(
            start, allow_redirects=False
        ) as answer:
            assert answer.status == 303
            assert answer.headers["Location"].startswith("/admin/login")  # not Google's consent


async def test_forged_state_is_refused(calendar: CalendarServices) -> None:
    url = f"{calendar.public_url}/oauth/google/callback?code=x&state=forged"
    async with aiohttp.ClientSession() as http, http.get(url) as answer:
        assert answer.status == 400


class ConsentingBrowser(webbrowser.BaseBrowser):
    """Opens the consent URL the way a person would, and lets the fake consent."""

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10}).start()
        return True


async def test_cli_connects_with_the_installed_app_flow(
    google: FakeGoogle, config: GoogleConfig, salon: Salon, store: ConnectionStore,
    database_url: str,
) -> None:
    webbrowser.register("consenting", None, ConsentingBrowser("consenting"), preferred=True)
    env = {"DATABASE_URL": database_url, "GOOGLE_CLIENT_ID": config.client_id,
           "GOOGLE_CLIENT_SECRET": config.client_secret, "GOOGLE_API_URL": google.api_url,
           "GOOGLE_OAUTH_URL": google.oauth_url, "GOOGLE_TOKEN_KEY": "test secret key"}
    staff = str(salon.staff("Ben").id)
    assert await asyncio.to_thread(main, ["connect", "--staff", staff], env) == 0
    assert (await store.by_staff(salon.staff("Ben").id)).account_email == "owner@example.com"
    assert await asyncio.to_thread(main, ["disconnect", "--staff", staff], env) == 0
    connection = await store.by_staff(salon.staff("Ben").id, active_only=False)
    assert connection.status == "disconnected" and google.state.refresh == {}
