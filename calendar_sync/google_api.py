"""The Calendar v3 client for one connection: the real google-api-python-client, with our
retry policy and Google's failures turned into `calendar_sync.errors`.

Synchronous (httplib2 underneath): callers run it in a thread. A service is built per
`CalendarApi`, and one `CalendarApi` serves one thread at a time, because httplib2 connections
are not thread-safe. Expired access tokens are refreshed by google-auth as needed; the caller
persists `credentials` afterwards if the token changed.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from typing import Any

from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpRequest

from calendar_sync.config import GoogleConfig
from calendar_sync.errors import (
    ConnectionBroken,
    EventGone,
    GoogleRejected,
    GoogleUnavailable,
    SyncTokenExpired,
)

log = logging.getLogger(__name__)
Json = dict[str, Any]
RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"})


class CalendarApi:
    def __init__(
        self, credentials: Credentials, config: GoogleConfig,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.credentials = credentials
        self._config = config
        self._sleep = sleep
        options = {"api_endpoint": config.api_url} if config.api_url else None
        self._service = build(
            "calendar", "v3", credentials=credentials, static_discovery=True,
            cache_discovery=False, client_options=options,
        )

    def execute(self, request: Callable[[Any], HttpRequest]) -> Json:
        """Run `request(service)`, retrying rate limits, 5xx and network failures with
        exponential backoff and jitter; other failures are raised as our errors."""
        for attempt in range(self._config.retries + 1):
            try:
                return request(self._service).execute() or {}
            except HttpError as error:
                if not _retryable(error) or attempt == self._config.retries:
                    raise _translate(error) from error
                log.info("Google answered %s, retrying", error.resp.status)
            except RefreshError as error:
                raise ConnectionBroken(f"token refresh refused: {error}") from error
            except (TransportError, OSError) as error:
                if attempt == self._config.retries:
                    raise GoogleUnavailable(f"cannot reach Google: {error}") from error
            self._sleep(self._config.backoff * 2**attempt * (0.5 + random.random() / 2))
        raise GoogleUnavailable("no attempt made")  # retries < 0: a configuration error

    def freebusy(self, calendar_ids: list[str], start: str, end: str) -> Json:
        body = {"timeMin": start, "timeMax": end, "items": [{"id": c} for c in calendar_ids]}
        return self.execute(lambda s: s.freebusy().query(body=body))

    def calendar(self, calendar_id: str) -> Json:
        return self.execute(lambda s: s.calendars().get(calendarId=calendar_id))

    def insert_event(self, calendar_id: str, body: Json, send_updates: str) -> Json:
        return self.execute(lambda s: s.events().insert(
            calendarId=calendar_id, body=body, conferenceDataVersion=1, sendUpdates=send_updates
        ))

    def get_event(self, calendar_id: str, event_id: str) -> Json:
        return self.execute(lambda s: s.events().get(calendarId=calendar_id, eventId=event_id))

    def patch_event(self, calendar_id: str, event_id: str, body: Json, send_updates: str) -> Json:
        return self.execute(lambda s: s.events().patch(
            calendarId=calendar_id, eventId=event_id, body=body, sendUpdates=send_updates
        ))

    def delete_event(self, calendar_id: str, event_id: str, send_updates: str) -> None:
        self.execute(lambda s: s.events().delete(
            calendarId=calendar_id, eventId=event_id, sendUpdates=send_updates
        ))

    def list_events(self, calendar_id: str, sync_token: str | None, page: str | None,
                    time_min: str) -> Json:
        """One page of changes since `sync_token`, or of a full sync from `time_min`."""
        since = {"syncToken": sync_token} if sync_token else {"timeMin": time_min}
        return self.execute(lambda s: s.events().list(
            calendarId=calendar_id, pageToken=page, maxResults=250, singleEvents=True, **since
        ))

    def watch(self, calendar_id: str, body: Json) -> Json:
        return self.execute(lambda s: s.events().watch(calendarId=calendar_id, body=body))

    def stop_channel(self, channel_id: str, resource_id: str) -> None:
        body = {"id": channel_id, "resourceId": resource_id}
        self.execute(lambda s: s.channels().stop(body=body))


def error_reason(error: HttpError) -> str:
    """Google's machine-readable reason (`rateLimitExceeded`, `fullSyncRequired`...), or ''."""
    try:
        body = json.loads(error.content or b"{}")
        return str(body["error"]["errors"][0]["reason"])
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def _retryable(error: HttpError) -> bool:
    status = error.resp.status
    if status == 429 or status >= 500:
        return True
    return status == 403 and error_reason(error) in RATE_LIMIT_REASONS


def _translate(error: HttpError) -> Exception:
    status = error.resp.status
    if _retryable(error):
        return GoogleUnavailable(f"Google answered {status} after retries")
    if status == 410 and error_reason(error) == "fullSyncRequired":
        return SyncTokenExpired("sync token no longer valid")
    if status in (404, 410):
        return EventGone(f"Google answered {status}")
    if status == 401:
        return ConnectionBroken("Google refused our credentials (401)")
    return GoogleRejected(status, str(error.reason))
