"""Deposit policies through the gateway: the owner sets one in the catalog form and the admin
API (an amount as before, or a percentage, and whom it is asked of), bad input is refused
beside its field; a deposit paid online stays paid, with its amount and the provider's
reference, when the customer moves the booking on the manage page and the owner moves it
again through the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking import payments
from scheduling.booking.model import Actor, PaymentStatus, Status
from scheduling.booking.payments import MarkPaid, PaidIn
from scheduling.demo import demo_catalog, demo_id
from scheduling.persistence.desk_uow import DeskUnitOfWork
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import execute, fetch
from tests.gateway.booking_flow import submit as send
from tests.gateway.conftest import API_KEY
from tests.gateway.html_forms import Page
from tests.gateway.test_appointment_pages import book, free_starts, stored, time_buttons
from tests.payments.stripe_desk import deposits_online

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]
ADMIN = {"X-API-Key": API_KEY}
MENS_CUT = demo_id("service/Men's cut")


async def _form_post(client: Client, path: str, cookies: dict[str, str],
                     **typed: str) -> tuple[int, str]:
    page = await client.get(path, cookies=cookies)
    form = Page.of(await page.text()).form_with("Save")[0]
    body = {**form.fields, **typed}
    pairs = [(k, item) for k, v in body.items() for item in (v if isinstance(v, list) else [v])]
    response = await client.post(form.action, data=pairs, cookies=cookies,
                                 allow_redirects=False)
    return response.status, await response.text()


async def test_the_catalog_form_sets_a_percentage_for_first_timers_and_refuses_nonsense(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    path = f"/admin/catalog/services/{MENS_CUT}"
    for typed, words in (({"deposit": "120%"}, "between 0 and 100"),
                         ({"deposit": "ten"}, "an amount like 30 or 30.50, or a percentage"),
                         ({"deposit": "41"}, "The deposit cannot be more than the price"),
                         ({"deposit": "10", "deposit_for": "vips"}, "deposit_for must be one")):
        status, body = await _form_post(gateway, path, cookies, **typed)
        assert status == 422 and words in body, (typed, body[-2500:])
    status, body = await _form_post(gateway, path, cookies, deposit="25%",
                                    deposit_for="first_time")
    assert status == 303, body[-2000:]
    again = Page.of(await (await gateway.get(path, cookies=cookies)).text())
    form = again.form_with("Save")[0]
    assert form.fields["deposit"] == "25%"
    assert 'value="first_time" selected' in await (await gateway.get(path, cookies=cookies)
                                                   ).text()
    listed = await (await gateway.get("/api/v1/services")).json()
    cut = next(s for s in listed["items"] if s["id"] == str(MENS_CUT))
    assert (cut["deposit"], cut["deposit_for"]) == ("10.00", "first_time")  # 25% of 40.00


async def test_the_admin_api_reads_and_writes_the_rule(gateway: Client) -> None:
    path = f"/api/v1/admin/services/{MENS_CUT}"

    async def patch(body: dict[str, str], status: int) -> Any:
        response = await gateway.patch(path, json=body, headers=ADMIN)
        answer = await response.json()
        assert response.status == status, answer
        return answer

    assert (await patch({"deposit": "15.00"}, 200))["item"]["deposit_for"] == "everyone"
    item = (await patch({"deposit_for": "missed"}, 200))["item"]
    assert (item["deposit"], item["deposit_for"]) == ("15.00", "missed")
    item = (await patch({"deposit": "12.5%"}, 200))["item"]
    assert (item["deposit"], item["deposit_for"]) == ("12.5%", "everyone")
    for bad, words in (({"deposit": "101%"}, "between 0 and 100"),
                       ({"deposit": "50.00"}, "deposit must lie between 0 and the price"),
                       ({"deposit": 5}, "must be an amount as text"),
                       ({"deposit_for": "friends"}, "must be one of everyone")):
        refused = await patch(bad, 422)
        assert words in str(refused), (bad, refused)
    location = str(demo_catalog().business.locations[0].id)
    made = await gateway.post("/api/v1/admin/services", headers=ADMIN, json={
        "name": "Scalp massage", "duration_minutes": 30, "price": "30.00", "deposit": "10.00",
        "location_ids": [location]})
    assert (await made.json())["item"]["deposit"] == "10.00", await made.text()


async def test_a_paid_deposit_moves_with_the_booking_on_the_manage_page_and_the_api(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await execute(session_factory, "UPDATE services SET deposit_kind = 'fixed', deposit = 15"
                  " WHERE id = :s", s=MENS_CUT)
    await deposits_online(session_factory)
    appointment_id, url = await book(gateway)
    uow = DeskUnitOfWork(session_factory)
    booked = await stored(uow, appointment_id)
    assert booked.status is Status.PENDING and payments.awaiting_online(booked)
    paid = await payments.mark_paid(MarkPaid(booked.id, PaidIn.ONLINE, "pi_fake_1",
                                             Decimal("15.00")), uow, booked.created_at,
                                    Actor.SYSTEM)
    assert paid.appointment.status is Status.CONFIRMED

    picker = await fetch(gateway, "get", url + "&step=reschedule")
    form, buttons = time_buttons(picker.page)
    moved = await send(gateway, form, buttons[2])
    assert moved.status == 200 and "Done: your appointment is now" in moved.words
    assert "deposit" in moved.words and "paid" in moved.words
    first_move = (await stored(uow, appointment_id)).rescheduled_to
    assert first_move is not None
    new = await stored(uow, first_move)
    assert new.payment == paid.appointment.payment and new.status is Status.CONFIRMED
    assert new.payment.status is PaymentStatus.PAID and new.payment.reference == "pi_fake_1"

    later = (await free_starts(gateway, days_ahead=5))[0]
    response = await gateway.post(f"/api/v1/appointments/{first_move}/reschedule",
                                  json={"start": later}, headers=ADMIN)
    answer = await response.json()
    assert response.status == 200, answer
    assert answer["new"]["payment"] == {"required": True, "amount": "15.00", "status": "paid"}
    final = await stored(uow, answer["new"]["id"])
    assert final.payment == paid.appointment.payment
