"""No-show protection set by the owner: the catalog form's checkbox and the admin API's
`card_required` turn it on and off, and the public service list says so."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.fill import Filled
from tests.gateway.admin_login import login_as
from tests.gateway.conftest import API_KEY
from tests.gateway.html_forms import Page
from tests.gateway.test_deposit_policy_admin import MENS_CUT, _form_post
from tests.gateway.test_pages_filled import filled  # noqa: F401  (the fixture)

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]


async def _listed(gateway: Client) -> bool:
    listed = await (await gateway.get("/api/v1/services")).json()
    return next(s for s in listed["items"] if s["id"] == str(MENS_CUT))["card_required"]


async def test_the_catalog_form_ticks_it_on_and_off(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    path = f"/admin/catalog/services/{MENS_CUT}"
    assert not await _listed(gateway)
    status, body = await _form_post(gateway, path, cookies, card_required="on")
    assert status == 303, body[-2000:]
    assert await _listed(gateway)
    page = await (await gateway.get(path, cookies=cookies)).text()
    assert 'name="card_required" value="on" checked' in page
    form = Page.of(page).form_with("Save")[0]
    body_fields = {k: v for k, v in form.fields.items() if k != "card_required"}
    pairs = [(k, item) for k, v in body_fields.items()
             for item in (v if isinstance(v, list) else [v])]
    untick = await gateway.post(form.action, data=pairs, cookies=cookies, allow_redirects=False)
    assert untick.status == 303
    assert not await _listed(gateway)


async def test_the_admin_api_sets_it_and_refuses_a_non_boolean(gateway: Client) -> None:
    path = f"/api/v1/admin/services/{MENS_CUT}"
    headers = {"X-API-Key": API_KEY}
    made = await gateway.patch(path, json={"card_required": True}, headers=headers)
    assert made.status == 200 and (await made.json())["item"]["card_required"] is True
    assert await _listed(gateway)
    refused = await gateway.patch(path, json={"card_required": "sure"}, headers=headers)
    assert refused.status == 422 and "card_required" in await refused.text()
    assert await _listed(gateway)


async def test_the_filled_booking_waiting_for_its_card_says_so_on_its_detail(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],
    filled: Filled,  # noqa: F811  (the fixture imported above)
) -> None:
    """tests.fill's pending booking is of a service asking for a card (no-show protection)."""
    cookies = await login_as(session_factory, filled.admin_email)
    page = await (await gateway.get(f"/admin/appointments/{filled.appointment_ids['pending']}",
                                    cookies=cookies)).text()
    assert "A card is to be saved to confirm it (no-show protection)" in page
