"""The data behind the fake Google: accounts and tokens, calendars and their change log.

Every change to an event takes the next sequence number; a sync token is the sequence it was
issued at, so an incremental list returns what changed since, deleted events included.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

Json = dict[str, Any]


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def rfc3339(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Access:
    account: str
    expires_at: datetime


@dataclass
class GoogleState:
    calendars: dict[str, dict[str, Json]] = field(default_factory=dict)
    access: dict[str, Access] = field(default_factory=dict)
    refresh: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    channels: dict[str, Json] = field(default_factory=dict)
    seq: int = 0
    min_sync_seq: int = 0
    token_lifetime: timedelta = timedelta(hours=1)

    # --- accounts -------------------------------------------------------------------------
    def grant_code(self, account: str) -> str:
        code = "code-" + secrets.token_hex(6)
        self.codes[code] = account
        self.calendars.setdefault(account, {})
        return code

    def issue(self, account: str, with_refresh: bool) -> Json:
        token = "ya29." + secrets.token_hex(8)
        self.access[token] = Access(account, datetime.now(UTC) + self.token_lifetime)
        out: Json = {"access_token": token, "token_type": "Bearer",
                     "expires_in": int(self.token_lifetime.total_seconds()),
                     "scope": "https://www.googleapis.com/auth/calendar"}
        if with_refresh:
            refresh = "1//" + secrets.token_hex(8)
            self.refresh[refresh] = account
            out["refresh_token"] = refresh
        return out

    def account_of(self, header: str) -> str | None:
        token = header.removeprefix("Bearer ").strip()
        access = self.access.get(token)
        if access is None or access.expires_at <= datetime.now(UTC):
            return None
        return access.account

    def expire_access_tokens(self) -> None:
        self.access.clear()

    def revoke(self, token: str) -> None:
        self.refresh.pop(token, None)
        self.access.pop(token, None)

    # --- events -------------------------------------------------------------------------
    def calendar(self, calendar_id: str, account: str) -> dict[str, Json]:
        key = account if calendar_id == "primary" else calendar_id
        return self.calendars.setdefault(key, {})

    def touch(self, event: Json) -> Json:
        self.seq += 1
        event["_seq"] = self.seq
        event["updated"] = rfc3339(datetime.now(UTC))
        event["etag"] = f'"{self.seq}"'
        return event

    def put(self, calendar_id: str, event: Json) -> Json:
        """Add or replace an event as the owner would in Google Calendar."""
        event.setdefault("id", secrets.token_hex(10))
        event.setdefault("status", "confirmed")
        self.calendars.setdefault(calendar_id, {})[event["id"]] = self.touch(event)
        return event

    def move(self, calendar_id: str, event_id: str, start: datetime, end: datetime) -> Json:
        event = self.calendars[calendar_id][event_id]
        event["start"], event["end"] = {"dateTime": rfc3339(start)}, {"dateTime": rfc3339(end)}
        return self.touch(event)

    def delete(self, calendar_id: str, event_id: str) -> Json:
        event = self.calendars[calendar_id][event_id]
        event["status"] = "cancelled"
        return self.touch(event)

    def busy(self, calendar: dict[str, Json], start: datetime, end: datetime) -> list[Json]:
        spans = []
        for event in calendar.values():
            if event["status"] == "cancelled" or event.get("transparency") == "transparent":
                continue
            a, b = parse(event["start"]["dateTime"]), parse(event["end"]["dateTime"])
            if a < end and start < b:
                spans.append((max(a, start), min(b, end)))
        merged: list[tuple[datetime, datetime]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        return [{"start": rfc3339(a), "end": rfc3339(b)} for a, b in merged]

    def invalidate_sync_tokens(self) -> None:
        """Every sync token issued so far answers 410 from now on."""
        self.min_sync_seq = self.seq + 1


def public(event: Json) -> Json:
    return {k: v for k, v in event.items() if not k.startswith("_")}
