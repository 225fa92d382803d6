"""What the logs and the response headers give away: no one-time codes, tokens or message
bodies in the log at INFO; a request id on every gateway log line and response, the
conversation id on the action server's; /metrics behind a token when one is set; security
headers on every response; CORS for `POST /chat` from the allowed origins only.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer, make_mocked_request
from rasa_sdk import Action
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant import logcontext
from assistant.action_server import ConversationExecutor
from assistant.gateway import errors, tracing
from assistant.gateway.app import AccessLog, create_app
from assistant.notifications.runtime import DISPATCHER
from assistant.notifications.senders import Email, LocalEmail, LocalSms, Sms
from scheduling.persistence.outbox import OutboxRow
from tests.gateway.conftest import FakeRasa, gateway_settings
from tests.gateway.test_api import _booking, _first_slot

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
CODE, PHONE, EMAIL = "482915", "+15550009876", "dana.fox@example.com"
METRICS_TOKEN, SHOP = "scrape-me-9f2c", "https://www.shear-delight.example"


@pytest.fixture
def lines() -> Iterator[list[str]]:
    """Every log line at INFO and above, formatted as the running processes format them."""
    found: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append(self.format(record))

    handler = Keep(logging.INFO)
    handler.setFormatter(logging.Formatter(logcontext.FORMAT))
    handler.addFilter(logcontext.ContextFilter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield found
    root.removeHandler(handler)
    root.setLevel(level)


def test_local_senders_log_no_body_code_or_address(lines: list[str]) -> None:
    LocalSms().send(Sms(PHONE, f"Your code is {CODE}.", "k1"))
    LocalEmail().send(Email(EMAIL, "Dana", f"Your code: {CODE}", f"Code {CODE}", "<p/>", "k2"))
    text = "\n".join(lines)
    assert CODE not in text and PHONE not in text and EMAIL not in text
    assert "sent SMS to +1555***9876 (20 chars" in text
    assert "sent e-mail to d***@example.com (11 chars" in text


def test_access_log_hides_query_tokens_and_referers(lines: list[str]) -> None:
    secret = "eyJhbGciOi.manage.abc.def"
    request = make_mocked_request(
        "GET", f"/twilio/sms/continue?token={secret}&count=2",
        headers={"Referer": f"https://x.example/manage?token={secret}"})
    AccessLog(logging.getLogger("aiohttp.access")).log(request, web.Response(), 0.01)
    assert secret not in "\n".join(lines)
    assert "token=***&count=2" in lines[-1]


def test_access_log_hides_invitation_tokens_and_short_link_codes(lines: list[str]) -> None:
    log = AccessLog(logging.getLogger("aiohttp.access"))
    for path in ("/admin/invite/s3cretT0ken-abc", "/a/s3cretT0ken-abc"):
        log.log(make_mocked_request("GET", path), web.Response(), 0.01)
    log.log(make_mocked_request("POST", "/admin/invite/s3cretT0ken-abc/accept"), web.Response(),
            0.01)
    assert "s3cretT0ken" not in "\n".join(lines)
    assert '"GET /admin/invite/*** HTTP/1.1"' in lines[-3]
    assert '"GET /a/*** HTTP/1.1"' in lines[-2]
    assert '"POST /admin/invite/***/accept HTTP/1.1"' in lines[-1]


async def test_every_gateway_line_and_response_names_its_request(
        gateway: Client, rasa: tuple[FakeRasa, TestServer], lines: list[str]) -> None:  # noqa: F811
    mine = "trace-0123456789"
    response = await gateway.post("/chat", json={"sender": "web-log", "message": "secret words"},
                                  headers={"X-Request-ID": mine})
    assert response.status == 200 and response.headers["X-Request-ID"] == mine
    unsafe = await gateway.get("/health", headers={"X-Request-ID": "x\tinjected"})
    assert unsafe.headers["X-Request-ID"] != "x\tinjected"
    assert len(unsafe.headers["X-Request-ID"]) == 16
    missing = await gateway.get("/no/such/page")
    assert missing.status == 404 and missing.headers["X-Request-ID"]
    ours = [line for line in lines if f"[req={mine}]" in line]
    assert any('"POST /chat HTTP/1.1" 200' in line for line in ours)
    assert "secret words" not in "\n".join(lines)


async def test_action_server_lines_name_the_conversation(lines: list[str]) -> None:
    executor = ConversationExecutor()

    class Noisy(Action):
        def name(self) -> str:
            return "action_noisy"

        async def run(self, dispatcher: Any, tracker: Any, domain: Any) -> list[Any]:
            logging.getLogger("actions.noisy").info("working")
            return []

    executor.register_action(Noisy())
    await executor.run({"next_action": "action_noisy", "sender_id": "sms:+15550001111",
                        "tracker": {"sender_id": "sms:+15550001111", "slots": {},
                                    "latest_message": {}, "events": [], "paused": False,
                                    "followup_action": None, "active_loop": {},
                                    "latest_action_name": None},
                        "domain": {}})
    assert any(line.endswith("[conv=sms:+15550001111]: working") for line in lines)
    assert logcontext.current.get() == logcontext.NONE


async def test_one_time_codes_stay_out_of_the_log(
        gateway: Client, session_factory: async_sessionmaker[AsyncSession],  # noqa: F811
        lines: list[str]) -> None:
    """A customer asks for a code; with no SMS provider the dispatcher's local sender "sends"
    it: the code is in the outbox (to be sent) and nowhere in the log."""
    service_id, start = await _first_slot(gateway)
    booked = await gateway.post("/api/v1/appointments", json=_booking(service_id, start, PHONE),
                                headers={"Idempotency-Key": "logs-1"})
    assert booked.status == 201
    assert (await gateway.post("/api/v1/auth/code", json={"contact": PHONE})).status == 202
    async with session_factory() as session:
        payload = await session.scalar(
            select(OutboxRow.payload).where(OutboxRow.kind == "verification_code"))
    assert payload is not None
    await gateway.app[DISPATCHER].run_once()
    text = "\n".join(lines)
    assert "sent SMS to +1555***9876" in text
    assert payload["code"] not in text and PHONE not in text


@pytest.fixture
async def guarded(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],  # noqa: F811
                  demo: None) -> AsyncIterator[Client]:  # noqa: F811
    settings = gateway_settings(database_url, tmp_path, rasa[1].port, metrics_token=METRICS_TOKEN,
                                chat_allowed_origins=SHOP + "/",
                                public_url="https://booking.example.com")
    async with TestClient(TestServer(create_app(settings))) as client:
        yield client


async def test_metrics_want_the_token_when_one_is_set(guarded: Client) -> None:
    assert (await guarded.get("/metrics")).status == 401
    wrong = await guarded.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert wrong.status == 401 and wrong.headers["WWW-Authenticate"].startswith("Bearer")
    right = await guarded.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert right.status == 200 and "gateway_turn_seconds" in await right.text()


async def test_metrics_stay_open_without_a_token(gateway: Client) -> None:  # noqa: F811
    assert (await gateway.get("/metrics")).status == 200


@pytest.mark.parametrize("path", ["/", "/admin/login", "/api/v1/services", "/health",
                                  "/static/widget.js", "/no/such/page", "/admin"])
async def test_security_headers_on_every_response(guarded: Client, path: str) -> None:
    response = await guarded.get(path, allow_redirects=False)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    if path.startswith("/admin") or response.content_type == "text/html":
        assert headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


async def test_urls_with_tokens_send_no_referrer(guarded: Client) -> None:
    response = await guarded.get("/api/v1/me/appointments?token=abc")
    assert response.headers["Referrer-Policy"] == "no-referrer"


async def test_no_hsts_over_plain_http(gateway: Client) -> None:  # noqa: F811
    assert "Strict-Transport-Security" not in (await gateway.get("/health")).headers


async def test_cors_for_chat_from_allowed_origins_only(
        guarded: Client, rasa: tuple[FakeRasa, TestServer]) -> None:  # noqa: F811
    ask = {"Origin": SHOP, "Access-Control-Request-Method": "POST",
           "Access-Control-Request-Headers": "content-type"}
    preflight = await guarded.options("/chat", headers=ask)
    assert preflight.status == 204
    assert preflight.headers["Access-Control-Allow-Origin"] == SHOP
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    other = await guarded.options("/chat", headers={**ask, "Origin": "https://evil.example"})
    assert other.status == 403 and "Access-Control-Allow-Origin" not in other.headers
    posted = await guarded.post("/chat", json={"sender": "web-cors", "message": "hi"},
                                headers={"Origin": SHOP})
    assert posted.status == 200 and posted.headers["Access-Control-Allow-Origin"] == SHOP
    stranger = await guarded.post("/chat", json={"sender": "web-cors", "message": "hi"},
                                  headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in stranger.headers
    elsewhere = await guarded.get("/api/v1/services", headers={"Origin": SHOP})
    assert not any(h.startswith("Access-Control-") for h in elsewhere.headers)
    api = await guarded.options("/api/v1/services", headers={**ask, "Origin": SHOP})
    assert not any(h.startswith("Access-Control-") for h in api.headers)


async def test_unexpected_errors_are_500_with_a_request_id_and_no_details(
        lines: list[str]) -> None:
    async def broken(request: web.Request) -> web.Response:
        raise KeyError("internal detail 7f3a")

    app = web.Application(middlewares=[tracing.request_ids, errors.errors])
    app.router.add_get("/api/v1/broken", broken)
    app.router.add_get("/broken", broken)
    async with TestClient(TestServer(app)) as client:
        api = await client.get("/api/v1/broken", headers={"X-Request-ID": "oops-12345678"})
        body = await api.json()
        page = await client.get("/broken", headers={"X-Request-ID": "oops-87654321"})
        text = await page.text()
    assert api.status == 500 and page.status == 500
    assert body["error"] == {"code": "internal_error", "request_id": "oops-12345678",
                             "message": "something went wrong on our side"}
    assert "7f3a" not in str(body) and "7f3a" not in text and "oops-87654321" in text
    logged = [line for line in lines if "[req=oops-12345678]" in line]
    assert any("unexpected error on GET /api/v1/broken" in line for line in logged)
