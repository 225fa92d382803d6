"""A refusal on the dashboard is a page a phone can read (admin.error_pages): the status and
the handler's sentence kept, wrapped in a titled, viewport-sized page with a way back. The
API keeps its JSON errors."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway import pages
from assistant.gateway.admin import error_pages
from tests.gateway.admin_login import login_as
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]
Factory = async_sessionmaker[AsyncSession]


async def test_an_unknown_appointment_is_a_404_page(gateway: Client,
                                                    session_factory: Factory) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    response = await gateway.get(f"/admin/appointments/{uuid4()}", cookies=cookies)
    body = await response.text()
    assert response.status == 404 and response.content_type == "text/html", body
    assert '<html lang="en">' in body and 'name="viewport"' in body
    assert "<title>404 · Admin</title>" in body and 'href="/admin"' in body


async def test_a_forged_form_is_a_403_page_with_its_sentence(gateway: Client,
                                                              session_factory: Factory) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    response = await gateway.post("/admin/logout", data={"csrf": "forged"}, cookies=cookies)
    body = await response.text()
    assert response.status == 403 and response.content_type == "text/html", body
    assert "missing or wrong CSRF token; reload the page" in body


async def test_a_method_not_allowed_keeps_its_allow_header(gateway: Client) -> None:
    response = await gateway.put("/admin/login")
    assert response.status == 405 and response.content_type == "text/html"
    assert "GET" in response.headers["Allow"]


async def test_a_sentence_is_text_with_its_quotes_kept() -> None:
    async def refuse(request: web.Request) -> web.Response:
        raise web.HTTPUnprocessableEntity(text="<b>Ana's</b> day & \"night\"")

    app = web.Application(middlewares=[error_pages.middleware])
    pages.setup(app)
    app.router.add_get("/admin/refuse", refuse)
    app.router.add_get("/elsewhere", refuse)
    async with TestClient(TestServer(app)) as client:
        body = await (await client.get("/admin/refuse")).text()
        assert "&lt;b&gt;Ana's&lt;/b&gt; day &amp; \"night\"" in body and "<b>" not in body
        assert (await client.get("/elsewhere")).content_type == "text/plain"


async def test_the_api_keeps_json_errors(gateway: Client) -> None:
    response = await gateway.get(f"/api/v1/appointments/{uuid4()}",
                                 headers={"X-API-Key": API_KEY})
    assert response.status == 404 and response.content_type == "application/json"
