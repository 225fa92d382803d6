"""A local fake of Google Calendar v3 and Google's OAuth endpoints, for the real client libraries.

Serves, under `/calendar/v3/`: freeBusy (at most 50 calendars and 90 days a query), calendars.get,
events insert/get/patch/delete/list (sync tokens, 410 `fullSyncRequired`, pages), events.watch
and channels.stop; and `/oauth/auth` (approves at once), `/oauth/token` (codes and refresh
tokens), `/oauth/revoke`. `fail_next` makes the next API answers errors (rate limits, 5xx);
`push` sends the notifications Google would to every channel watching a calendar.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta

import aiohttp
from aiohttp import web

from tests.fakes.google_state import GoogleState, Json, parse, public, rfc3339

MAX_CALENDARS, MAX_RANGE = 50, timedelta(days=90)
API = "/calendar/v3"
routes = web.RouteTableDef()
ACCOUNT = web.RequestKey("account", str)


def _error(status: int, reason: str, message: str = "") -> web.Response:
    body = {"error": {"code": status, "message": message or reason,
                      "errors": [{"domain": "global", "reason": reason,
                                  "message": message or reason}]}}
    return web.json_response(body, status=status)


class FakeGoogle:
    def __init__(self) -> None:
        self.state = GoogleState()
        self.failures: list[tuple[int, str]] = []
        self.requests: list[tuple[str, str]] = []
        self.url = ""

    def fail_next(self, status: int, count: int = 1, reason: str = "backendError") -> None:
        self.failures.extend([(status, reason)] * count)

    def count(self, method: str, path_part: str) -> int:
        return sum(1 for m, p in self.requests if m == method and path_part in p)

    @property
    def api_url(self) -> str:
        return f"{self.url}{API}/"

    @property
    def oauth_url(self) -> str:
        return f"{self.url}/oauth"

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._gate])
        app[FAKE] = self
        app.add_routes(routes)
        return app

    @web.middleware
    async def _gate(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        self.requests.append((request.method, request.path))
        if not request.path.startswith(API):
            return await handler(request)
        if self.failures:
            status, reason = self.failures.pop(0)
            return _error(status, reason)
        account = self.state.account_of(request.headers.get("Authorization", ""))
        if account is None:
            return _error(401, "authError", "Invalid Credentials")
        request[ACCOUNT] = account
        return await handler(request)

    async def push(self, calendar_id: str, state: str = "exists", again: bool = False
                   ) -> list[int]:
        """Notify every channel on `calendar_id`; the receivers' statuses, in order. Each
        message takes the channel's next message number (1 went with its "sync" message), as
        Google numbers them; `again` delivers the last one a second time, as a retry would."""
        statuses = []
        async with aiohttp.ClientSession() as http:
            for channel in list(self.state.channels.values()):
                if channel["calendarId"] != calendar_id:
                    continue
                channel["messages"] = channel.get("messages", 1) + (0 if again else 1)
                headers = {"X-Goog-Channel-ID": channel["id"], "X-Goog-Resource-State": state,
                           "X-Goog-Channel-Token": channel.get("token", ""),
                           "X-Goog-Resource-ID": channel["resourceId"],
                           "X-Goog-Message-Number": str(channel["messages"])}
                async with http.post(channel["address"], headers=headers) as answer:
                    statuses.append(answer.status)
        return statuses


FAKE = web.AppKey("fake", FakeGoogle)


def _fake(request: web.Request) -> FakeGoogle:
    return request.app[FAKE]


def _calendar(request: web.Request) -> dict[str, Json]:
    return _fake(request).state.calendar(request.match_info["cid"], request[ACCOUNT])


@routes.post(f"{API}/freeBusy")
async def freebusy(request: web.Request) -> web.Response:
    body = await request.json()
    start, end = parse(body["timeMin"]), parse(body["timeMax"])
    if len(body["items"]) > MAX_CALENDARS:
        return _error(400, "tooManyCalendarsRequested")
    if end - start > MAX_RANGE:
        return _error(400, "timeRangeTooLong", "The requested time range is too long.")
    state = _fake(request).state
    calendars = {
        item["id"]: {"busy": state.busy(state.calendar(item["id"], request[ACCOUNT]), start, end)}
        for item in body["items"]
    }
    return web.json_response({"kind": "calendar#freeBusy", "timeMin": body["timeMin"],
                              "timeMax": body["timeMax"], "calendars": calendars})


@routes.get(API + "/calendars/{cid}")
async def get_calendar(request: web.Request) -> web.Response:
    cid = request.match_info["cid"]
    real = request[ACCOUNT] if cid == "primary" else cid
    return web.json_response({"kind": "calendar#calendar", "id": real, "summary": real})


@routes.post(API + "/calendars/{cid}/events")
async def insert(request: web.Request) -> web.Response:
    event, calendar = await request.json(), _calendar(request)
    event.setdefault("id", secrets.token_hex(10))
    if event["id"] in calendar:
        return _error(409, "duplicate", "The requested identifier already exists.")
    event["status"] = "confirmed"
    create = event.get("conferenceData", {}).get("createRequest")
    if create and request.query.get("conferenceDataVersion") == "1":
        link = f"https://meet.google.com/{secrets.token_hex(2)}-{secrets.token_hex(2)}"
        event["hangoutLink"] = link
        event["conferenceData"] = {
            "createRequest": create | {"status": {"statusCode": "success"}},
            "entryPoints": [{"entryPointType": "video", "uri": link}],
            "conferenceSolution": {"key": {"type": "hangoutsMeet"}}, "conferenceId": link[-9:],
        }
    calendar[event["id"]] = _fake(request).state.touch(event)
    return web.json_response(public(event))


def _existing(request: web.Request) -> Json | web.Response:
    event = _calendar(request).get(request.match_info["eid"])
    if event is None:
        return _error(404, "notFound", "Not Found")
    if event["status"] == "cancelled":
        return _error(410, "deleted", "Resource has been deleted")
    return event


@routes.get(API + "/calendars/{cid}/events/{eid}")
async def get_event(request: web.Request) -> web.Response:
    found = _existing(request)
    return found if isinstance(found, web.Response) else web.json_response(public(found))


@routes.patch(API + "/calendars/{cid}/events/{eid}")
async def patch(request: web.Request) -> web.Response:
    found = _existing(request)
    if isinstance(found, web.Response):
        return found
    found.update(await request.json())
    return web.json_response(public(_fake(request).state.touch(found)))


@routes.delete(API + "/calendars/{cid}/events/{eid}")
async def delete(request: web.Request) -> web.Response:
    found = _existing(request)
    if isinstance(found, web.Response):
        return found
    found["status"] = "cancelled"
    _fake(request).state.touch(found)
    return web.Response(status=204)


@routes.get(API + "/calendars/{cid}/events")
async def list_events(request: web.Request) -> web.Response:
    state, query = _fake(request).state, request.query
    events = sorted(_calendar(request).values(), key=lambda e: e["_seq"])
    if "syncToken" in query:
        since = int(query["syncToken"].removeprefix("sync-"))
        if since < state.min_sync_seq:
            return _error(410, "fullSyncRequired", "Sync token is no longer valid.")
        events = [e for e in events if e["_seq"] > since]
    else:
        events = [e for e in events if e["status"] != "cancelled"]
    offset, size = int(query.get("pageToken", "0")), int(query.get("maxResults", "250"))
    items = [public(e) for e in events[offset:offset + size]]
    page: Json = {"kind": "calendar#events", "items": items}
    if offset + size < len(events):
        page["nextPageToken"] = str(offset + size)
    else:
        page["nextSyncToken"] = f"sync-{state.seq}"
    return web.json_response(page)


@routes.post(API + "/calendars/{cid}/events/watch")
async def watch(request: web.Request) -> web.Response:
    body, fake = await request.json(), _fake(request)
    cid = request.match_info["cid"]
    calendar_id = request[ACCOUNT] if cid == "primary" else cid
    expires = datetime.now(UTC) + timedelta(days=7)
    if "expiration" in body:
        expires = min(expires, datetime.fromtimestamp(int(body["expiration"]) / 1000, UTC))
    channel = body | {"resourceId": "res-" + uuid.uuid4().hex[:12], "calendarId": calendar_id,
                      "expiration": str(int(expires.timestamp() * 1000))}
    fake.state.channels[body["id"]] = channel
    return web.json_response({"kind": "api#channel", "id": body["id"],
                              "resourceId": channel["resourceId"], "token": body.get("token"),
                              "resourceUri": f"{fake.api_url}calendars/{cid}/events",
                              "expiration": channel["expiration"]})


@routes.post(API + "/channels/stop")
async def stop(request: web.Request) -> web.Response:
    body = await request.json()
    channel = _fake(request).state.channels.get(body["id"])
    if channel is None or channel["resourceId"] != body.get("resourceId"):
        return _error(404, "notFound", "Channel not found")
    del _fake(request).state.channels[body["id"]]
    return web.Response(status=204)


@routes.get("/oauth/auth")
async def authorize(request: web.Request) -> web.Response:
    """Consent given at once by the account named in `login_hint` (default owner@example.com)."""
    code = _fake(request).state.grant_code(request.query.get("login_hint", "owner@example.com"))
    target = f"{request.query['redirect_uri']}?code={code}&state={request.query.get('state', '')}"
    raise web.HTTPFound(target)


@routes.post("/oauth/token")
async def token(request: web.Request) -> web.Response:
    form, state = await request.post(), _fake(request).state
    if form.get("grant_type") == "authorization_code":
        account = state.codes.pop(str(form.get("code")), None)
        if account is None:
            return web.json_response({"error": "invalid_grant"}, status=400)
        return web.json_response(state.issue(account, with_refresh=True))
    account = state.refresh.get(str(form.get("refresh_token")))
    if account is None:
        return web.json_response({"error": "invalid_grant",
                                  "error_description": "Token has been expired or revoked."},
                                 status=400)
    return web.json_response(state.issue(account, with_refresh=False))


@routes.post("/oauth/revoke")
async def revoke(request: web.Request) -> web.Response:
    token_value = request.query.get("token") or str((await request.post()).get("token", ""))
    _fake(request).state.revoke(token_value)
    return web.json_response({})


@asynccontextmanager
async def running_fake() -> AsyncIterator[FakeGoogle]:
    """The fake listening on 127.0.0.1 at a free port, for as long as the block runs."""
    fake = FakeGoogle()
    runner = web.AppRunner(fake.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.url = f"http://127.0.0.1:{port}"
    try:
        yield fake
    finally:
        await runner.cleanup()


__all__ = ["FakeGoogle", "running_fake", "rfc3339"]
