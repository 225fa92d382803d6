"""Connecting and disconnecting a staff member's Google account (OAuth 2, offline access).

Two ways in: the web flow through the gateway (`authorization_url` then `finish_web`), and the
installed-app flow from the CLI (`installed_credentials`). The web flow's state travels through
the browser encrypted and time-limited, carrying the staff id and the PKCE verifier, so the
gateway keeps nothing between the two requests and no one can forge or read it.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

import requests
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow, InstalledAppFlow

from calendar_sync.config import SCOPES, GoogleConfig
from calendar_sync.connections import Connection, ConnectionStore
from calendar_sync.crypto import TokenCipher
from calendar_sync.errors import ConnectionBroken
from calendar_sync.google_api import CalendarApi

STATE_TTL_SECONDS = 15 * 60


@dataclass(frozen=True, slots=True)
class Consent:
    """What the callback learnt: whose account it is and the tokens Google gave."""

    staff_id: UUID
    credentials: Credentials


def _web_flow(config: GoogleConfig, redirect_uri: str, verifier: str | None = None) -> Flow:
    return Flow.from_client_config(
        config.client_config("web", [redirect_uri]), scopes=list(SCOPES),
        redirect_uri=redirect_uri, code_verifier=verifier, autogenerate_code_verifier=True,
    )


def authorization_url(
    config: GoogleConfig, cipher: TokenCipher, redirect_uri: str, staff_id: UUID
) -> str:
    """Where to send the owner's browser to grant calendar access for `staff_id`."""
    verifier = secrets.token_urlsafe(64)
    state = cipher.encrypt(json.dumps({"staff": str(staff_id), "verifier": verifier}))
    url, _ = _web_flow(config, redirect_uri, verifier).authorization_url(
        access_type="offline", prompt="consent", include_granted_scopes="true", state=state
    )
    return str(url)


def finish_web(
    config: GoogleConfig, cipher: TokenCipher, redirect_uri: str, code: str, state: str
) -> Consent:
    """Exchange the callback's code for tokens; a forged or stale state is refused."""
    opened = json.loads(cipher.decrypt(state, ttl=STATE_TTL_SECONDS))
    flow = _web_flow(config, redirect_uri, verifier=opened["verifier"])
    flow.fetch_token(code=code)
    return Consent(UUID(opened["staff"]), flow.credentials)


def installed_credentials(config: GoogleConfig, port: int = 0, open_browser: bool = True,
                          browser: str | None = None) -> Credentials:
    """The installed-app flow: a local redirect server on `port` catches the code."""
    flow = InstalledAppFlow.from_client_config(
        config.client_config("installed", ["http://localhost"]), scopes=list(SCOPES)
    )
    credentials = flow.run_local_server(
        host="127.0.0.1", port=port, open_browser=open_browser, browser=browser,
        access_type="offline", prompt="consent",
    )
    if not isinstance(credentials, Credentials):
        raise ConnectionBroken("Google returned no user credentials")
    return credentials


async def connect(
    store: ConnectionStore, staff_id: UUID, credentials: Credentials, now: datetime,
    calendar_ids: tuple[str, ...] = ("primary",),
) -> Connection:
    """Save the grant for `staff_id`, with the account's address for the dashboard."""
    api = await asyncio.to_thread(CalendarApi, credentials, store.config)
    primary = await asyncio.to_thread(api.calendar, "primary")
    return await store.save(staff_id, credentials, now, account_email=primary.get("id"),
                            calendar_ids=calendar_ids)


def revoke_grant(config: GoogleConfig, credentials: Credentials) -> None:
    """Ask Google to forget the grant (best effort: an already revoked grant is fine)."""
    token = credentials.refresh_token or credentials.token
    if token:
        requests.post(config.revoke_uri, params={"token": token}, timeout=10)
