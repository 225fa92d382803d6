"""What can go wrong talking to Google, sorted by what the caller should do about it."""

from __future__ import annotations


class CalendarError(Exception):
    """Base of the errors `calendar_sync` raises on purpose."""


class GoogleUnavailable(CalendarError):
    """Google kept failing (5xx, rate limit, network) after our retries: try again later."""


class ConnectionBroken(CalendarError):
    """The grant is revoked or the tokens are unusable: the owner must reconnect."""


class SyncTokenExpired(CalendarError):
    """Google answered 410 to a sync token: a full resync is needed."""


class EventGone(CalendarError):
    """The event no longer exists in Google (404 or 410)."""


class GoogleRejected(CalendarError):
    """Google refused the request itself (4xx other than the above): retrying will not help."""

    def __init__(self, status: int, message: str) -> None:
        self.status = status
        super().__init__(f"Google answered {status}: {message}")


class UnknownChannel(CalendarError):
    """A push notification whose channel id or token we did not issue."""
