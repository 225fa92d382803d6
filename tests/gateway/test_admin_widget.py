"""The demo page and widget assets, the WebSocket chat, admin login, CSRF and every admin page."""

from __future__ import annotations

import re

import pytest
from aiohttp.test_utils import TestClient, TestServer

from tests.gateway.admin_login import sign_in
from tests.gateway.conftest import FakeRasa

pytestmark = pytest.mark.db


async def test_demo_page_shows_the_catalog_and_embeds_the_widget(gateway: TestClient) -> None:  # type: ignore[type-arg]
    page = await gateway.get("/")
    html = await page.text()
    assert "Shear Delight Salon" in html and "Men&#39;s cut" in html and "<td>$40</td>" in html
    assert '<script src="/static/widget.js"' in html and "Priya" in html
    assert (await gateway.get("/static/widget.js")).status == 200


async def test_websocket_turns_show_typing_then_replies(
        gateway: TestClient, rasa: tuple[FakeRasa, TestServer]) -> None:  # type: ignore[type-arg]
    rasa[0].reply = lambda body: [{"text": "Which?", "buttons": [{"title": "A", "payload": "a"}]}]
    async with gateway.ws_connect("/chat/ws?sender=web-abc") as ws:
        await ws.send_json({"message": "book"})
        assert (await ws.receive_json())["type"] == "typing"
        replies = await ws.receive_json()
        await ws.send_json({"message": ""})
        await ws.receive_json()
        refused = await ws.receive_json()
    assert replies == {"type": "replies", "replies": [{"text": "Which?", "buttons": [
        {"title": "A", "payload": "a"}]}]}
    assert refused["error"]["code"] == "empty_message"
    assert rasa[0].received == [{"sender": "web-abc", "message": "book",
                                 "metadata": {"channel": "web"}}]


async def test_admin_login_pages_and_csrf(gateway: TestClient) -> None:  # type: ignore[type-arg]
    anonymous = await gateway.get("/admin", allow_redirects=False)
    assert anonymous.status == 303 and "/admin/login" in anonymous.headers["Location"]
    assert (await sign_in(gateway, "owner@example.com", "wrong")).status == 401
    assert (await sign_in(gateway, "owner@example.com", "correct horse")).status == 303
    for path in ("/admin", "/admin/appointments", "/admin/analytics", "/admin/messages",
                 "/admin/calendars", "/admin/waitlist", "/admin/conversations", "/admin/bot"):
        response = await gateway.get(path)
        assert response.status == 200, path
    forged = await gateway.post("/admin/logout", data={"csrf": "nope"}, allow_redirects=False)
    assert forged.status == 403
    dashboard = await (await gateway.get("/admin")).text()
    csrf = re.search(r'name="csrf" value="([^"]+)"', dashboard)
    assert csrf is not None
    out = await gateway.post("/admin/logout", data={"csrf": csrf.group(1)}, allow_redirects=False)
    assert out.status == 303


async def test_metrics_exposition(gateway: TestClient) -> None:  # type: ignore[type-arg]
    await gateway.post("/chat", json={"sender": "web-m", "message": "hi"})
    text = await (await gateway.get("/metrics")).text()
    assert 'gateway_turn_seconds_count{channel="web"} 1' in text
    assert "# TYPE booking_appointments gauge" in text
