"""Every route the gateway serves, driven with Hypothesis-made requests: nothing anyone can send
answers 5xx.

The routes come from the app's own router (a route added later is fuzzed without editing this
file). For each one and each caller (anonymous; a customer holding a token for someone else's
appointment; an admin with a session, its CSRF token and the API key) Hypothesis makes path
parameters (the real appointment ids, random and malformed UUIDs, text), query strings, JSON
bodies, form bodies (invalid UTF-8 included) and headers from values that broke parsers before:
dates in year 1 and 9999, naive dates, huge numbers, NULs. Twilio routes get a valid signature
(the test knows the auth token), so the fuzz reaches past the signature check.

Rasa is a closed port and Google is not configured: 503 "assistant unavailable", /ready's 503
and the Google routes' "not configured" 503 are the right answers then; every other 5xx is a
failure. Derandomized and bounded (12 examples a route): the same examples on every run.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
import requests
from aiohttp import web
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from assistant.embedded_db import free_port
from assistant.gateway import conversation
from assistant.gateway.admin import insight
from assistant.gateway.app import create_app
from assistant.settings import Settings
from tests.gateway.conftest import API_KEY, gateway_settings
from tests.gateway.served import ServedApp
from tests.gateway.test_openapi_schemathesis import _reset

pytestmark = pytest.mark.db
TWILIO_TOKEN, PUBLIC = "fuzz-twilio-token", "http://fuzz.example.com"
ADMIN = ("owner@example.com", "correct horse")
CALLERS = ("anonymous", "customer", "admin")
EXAMPLES = 12
GOOGLE = ("/oauth/google/", "/webhooks/google/")
METHODS = ("GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD")


@dataclass(frozen=True)
class Route:
    method: str
    resource: web.AbstractResource

    @property
    def name(self) -> str:
        return f"{self.method} {self.resource.canonical}"

    def params(self) -> list[str]:
        info = self.resource.get_info()
        return re.findall(r"\{(\w+)\}", info.get("formatter", "")) or (
            ["filename"] if "directory" in info else [])


def routes() -> list[Route]:
    """Every (method, resource) of the app, HEAD twins left out (each example may still swap
    the method for another: one nobody handles must be a 405, not a crash)."""
    app = create_app(Settings(database_url="postgresql://fuzz@127.0.0.1/none"))
    found = {(r.method, r.resource.canonical): Route(r.method, r.resource)
             for r in app.router.routes() if r.resource is not None and r.method != "HEAD"}
    return sorted(found.values(), key=lambda r: r.name)


@dataclass(frozen=True)
class Target:
    url: str
    appointments: tuple[str, str]  # the customer's token is for the first; the fuzz uses both
    service_id: str
    customer_token: str
    admin_cookie: str
    csrf: str


def _prepare(url: str) -> Target:
    """Two bookings (a token for the first), an admin session and its CSRF token."""
    http = requests.Session()
    services = http.get(f"{url}/api/v1/services", timeout=10).json()["items"]
    service_id = services[0]["id"]
    start = datetime.now(UTC) + timedelta(days=3)
    slots = http.get(f"{url}/api/v1/availability", timeout=10, params={
        "service_id": service_id, "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()}).json()["items"]
    booked = []
    for n, slot in enumerate(slots[:2]):
        answer = http.post(f"{url}/api/v1/appointments", timeout=10, json={
            "service_id": service_id, "start": slot["start"],
            "customer": {"name": f"Fuzz {n}", "phone": f"+1555000770{n}"}},
            headers={"X-API-Key": API_KEY, "Idempotency-Key": f"fuzz-{n}"}).json()
        booked.append(answer)
    form = http.get(f"{url}/admin/login", timeout=10).text
    login_csrf = re.search(r'name="login_csrf" value="([^"]+)"', form)
    assert login_csrf is not None, form
    http.post(f"{url}/admin/login", timeout=10, allow_redirects=False, data={
        "email": ADMIN[0], "password": ADMIN[1], "login_csrf": login_csrf.group(1),
        "next": "/admin"})
    cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items() if k != "login_csrf")
    page = http.get(f"{url}/admin", timeout=10).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None, page
    ids = (booked[0]["appointment"]["id"], booked[1]["appointment"]["id"])
    return Target(url, ids, service_id, booked[0]["token"], cookie, csrf.group(1))


@pytest.fixture(scope="module")
def target(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    asyncio.run(_reset(database_url, seed=True))

    def make() -> web.Application:
        settings = gateway_settings(database_url, tmp_path_factory.mktemp("fuzz"), free_port(),
                                    twilio_auth_token=TWILIO_TOKEN, public_url=PUBLIC)
        app = create_app(settings)
        app[conversation.TIMEOUTS] = conversation.Timeouts(voice=0.2, sms=0.2)
        app[insight.TRAINING]["running"] = True  # "retrain" as admin must not start a training
        return app

    served = ServedApp(make).start()
    try:
        yield _prepare(served.url)
    finally:
        served.stop()
        asyncio.run(_reset(database_url, seed=False))


NOW = datetime.now(UTC)
DATES = st.sampled_from([
    "0001-01-01T00:00:00+00:00", "0001-01-01T00:30:00+14:00", "9999-12-31T23:00:00+00:00",
    "9999-12-31T23:59:59-14:00", "2026-12-01T10:00:00", "2026-02-30T10:00:00Z", "yesterday",
    (NOW + timedelta(days=2)).isoformat(), (NOW - timedelta(days=400)).isoformat(),
    (NOW + timedelta(days=10 * 365)).isoformat(), "1999-01-01", "9999-12-31", "0001-01-01"])
UUIDS = st.one_of(st.uuids().map(str), st.sampled_from(
    ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "1234", "☃", "%00", "..", ""]))
TEXT = st.text(max_size=40)
SCALARS = st.one_of(TEXT, DATES, UUIDS, st.integers(min_value=-(2**70), max_value=2**70),
                    st.floats(allow_nan=True), st.booleans(), st.none(),
                    st.sampled_from(["\x00", "+15550007700", "a@example.com", "cancel", "9" * 400]))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)), max_leaves=8)
KEYS = ["service_id", "staff_id", "start", "end", "preferred_start", "preferred_end", "from",
        "until", "count", "limit", "status", "cursor", "channel", "customer_id", "token",
        "sender", "message", "contact", "code", "reason", "notes", "windows", "customer",
        "next", "notice", "email", "password", "csrf", "login_csrf", "From", "Body",
        "SpeechResult", "Digits", "CallSid", "MessageSid", "state", "staff", "text"]
NAMED = st.dictionaries(st.one_of(st.sampled_from(KEYS), TEXT), JSON, max_size=6)
FLAT = st.dictionaries(st.one_of(st.sampled_from(KEYS), TEXT), SCALARS.map(str), max_size=6)
QUERIES = st.one_of(FLAT.map(urlencode),  # named parameters, or bytes that are no UTF-8
                    st.binary(max_size=40).map(lambda b: quote_from_bytes(b, safe="=&")))
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60).map(
    str.strip)  # what a client may send at all: visible ASCII, no surrounding spaces
HEADERS = st.dictionaries(st.sampled_from(
    ["X-Request-ID", "Idempotency-Key", "Origin", "Authorization", "X-Forwarded-Host",
     "X-Forwarded-Proto", "X-Forwarded-For", "Accept", "Access-Control-Request-Method",
     "X-Goog-Channel-ID", "X-Goog-Resource-State", "X-Goog-Channel-Token", "Range"]),
    HEADER_TEXT, max_size=4)


@dataclass(frozen=True)
class Body:
    kind: str  # none, json, form, bytes
    value: Any


BODIES = st.one_of(
    st.just(Body("none", None)),
    NAMED.map(lambda v: Body("json", v)), JSON.map(lambda v: Body("json", v)),
    FLAT.map(lambda v: Body("form", v)),
    st.binary(max_size=80).map(lambda v: Body("bytes", v)),
    st.sampled_from([b"Body=\xff\xfe&From=%2B1555", b"csrf=\xc3&email=\xe9",
                     b"%C3%28=x", b'{"start": "9999-12-31T23:59:59-14:00"}'])
    .map(lambda v: Body("bytes", v)))


def _path(route: Route, values: dict[str, str]) -> str:
    info = route.resource.get_info()
    if "directory" in info:
        return f"{info['prefix']}/{quote(values['filename'], safe='')}"
    formatter = info.get("formatter") or info.get("path") or route.resource.canonical
    return formatter.format(**{k: quote(v, safe="") for k, v in values.items()})


def _credentials(target: Target, caller: str, body: Body) -> tuple[dict[str, str], Body]:
    if caller == "customer":
        return {"Authorization": f"Bearer {target.customer_token}"}, body
    if caller != "admin":
        return {}, body
    headers = {"X-API-Key": API_KEY, "Cookie": target.admin_cookie}
    if body.kind == "form":
        body = Body("form", {**body.value, "csrf": target.csrf})
    return headers, body


def _twilio_signature(target: Target, path_qs: str, body: Body) -> dict[str, str]:
    pairs = body.value if body.kind == "form" else {}
    signed = RequestValidator(TWILIO_TOKEN).compute_signature(PUBLIC + path_qs, pairs)
    return {"X-Twilio-Signature": signed}


def _client() -> requests.Session:
    """One keep-alive connection for the whole run, keeping no cookies: each request carries
    exactly the credentials of the caller it plays."""
    http = requests.Session()
    http.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    return http


HTTP = _client()


def _send(target: Target, method: str, path: str, query: str, body: Body,
          headers: dict[str, str]) -> requests.Response:
    path_qs = path + (f"?{query}" if query else "")
    if path.startswith("/twilio/"):
        headers = {**headers, **_twilio_signature(target, path_qs, body)}
    kwargs: dict[str, Any] = {}
    if body.kind == "json":
        kwargs["data"] = json.dumps(body.value)
        headers.setdefault("Content-Type", "application/json")
    elif body.kind == "form":
        kwargs["data"] = urlencode(body.value)
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif body.kind == "bytes":
        kwargs["data"] = body.value
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    return HTTP.request(method, target.url + path_qs, headers=headers,
                        allow_redirects=False, timeout=30, **kwargs)


def _acceptable(path: str, response: requests.Response) -> bool:
    if response.status_code < 500:
        return True
    if response.status_code == 503 and path in ("/health", "/ready"):
        return True  # Rasa (a closed port here) is down: that is what they report
    if response.status_code == 503 and path.startswith(GOOGLE) and response.text in (
            "", "Google Calendar is not configured"):  # "" for HEAD
        return True  # the Google routes of a gateway without Google, as Rasa's "unavailable"
    try:
        code = response.json()["error"]["code"]
    except (ValueError, KeyError, TypeError):
        return False
    return response.status_code == 503 and code == "assistant_unavailable"


ROUTES = routes()


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_no_request_answers_5xx(target: Target, route: Route) -> None:
    ids = st.one_of(st.sampled_from(target.appointments), UUIDS, TEXT,
                    st.sampled_from(["cancel", "check-in", "status", "widget.js", "../x"]))

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(caller=st.sampled_from(CALLERS), values=st.fixed_dictionaries(
               {p: ids for p in route.params()}), query=QUERIES, body=BODIES, headers=HEADERS,
           method=st.one_of(st.just(route.method), st.sampled_from(METHODS)))
    def fuzz(caller: str, values: dict[str, str], query: str, body: Body,
             headers: dict[str, str], method: str) -> None:
        path = _path(route, values)
        if route.name == "POST /admin/logout":
            body = Body("none", None)  # a signed-out admin would make the rest anonymous
        own, body = _credentials(target, caller, body)
        response = _send(target, method, path, query, body, {**headers, **own})
        assert _acceptable(path, response), (
            caller, method, path, query, body, response.status_code, response.text[:300])

    fuzz()


def test_every_route_is_fuzzed() -> None:
    """The list is the router's: the REST API, pages, Twilio and admin routes are all in it."""
    names = {r.name for r in ROUTES}
    for expected in ("POST /twilio/sms", "POST /api/v1/appointments/{appointment_id}/reschedule",
                     "POST /admin/appointments/{appointment_id}/{action}", "GET /metrics",
                     "POST /chat", "GET /static"):
        assert any(name.startswith(expected) for name in names), expected
