"""The business-wide settings screens on the demo salon, through their forms: the profile,
booking rules, parts of messages and the blocklist, each saved, refused with its message
beside the field, and read back from the database."""

from __future__ import annotations

from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.catalog import Customer
from scheduling.demo import demo_catalog
from scheduling.persistence.setup_uow import SetupUnitOfWork
from tests.gateway.admin_login import login_as
from tests.gateway.html_forms import Page
from tests.gateway.test_admin_catalog import Client, _page, _save_form, _submit

pytestmark = pytest.mark.db
BUSINESS = demo_catalog().business.id


async def test_profile_rules_and_message_parts_save_and_refuse(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    for path, bad, words in (
        ("/admin/catalog/business", {"time_zone": "Moon/Base", "phone": "555",
                                     "reminder_hours": "24, soon"},
         ("Choose a time zone", "country code", "Write the reminders as hours before")),
        ("/admin/catalog/rules", {"hold_ttl": "-5", "max_per_contact_day": "0"},
         ("whole number from 0", "whole number from 1")),
        ("/admin/catalog/messages", {"parking_notes": "x" * 1001}, ("at most 1000",)),
    ):
        form = _save_form(await _page(gateway, path, cookies))
        status, body, _ = await _submit(gateway, form, cookies, **bad)
        assert status == 422 and all(w in body for w in words), (path, body[-2500:])
        status, body, where = await _submit(gateway, form, cookies)
        assert (status, where is not None) == (303, True), (path, body[-2500:])

    profile = _save_form(await _page(gateway, "/admin/catalog/business", cookies))
    await _submit(gateway, profile, cookies, name="Shear Delight Studio", currency="eur",
                  reminder_hours="48, 3", late_cancel_fee="15")
    rules = _save_form(await _page(gateway, "/admin/catalog/rules", cookies))
    await _submit(gateway, rules, cookies, require_approval="on", hold_ttl="9")
    parts = _save_form(await _page(gateway, "/admin/catalog/messages", cookies))
    await _submit(gateway, parts, cookies, parking_notes="Park on Jay Street after 6 pm.")
    async with SetupUnitOfWork(session_factory) as work:
        catalog = await work.catalog.get(BUSINESS)
        found = await work.appointments.rules(BUSINESS)
        offsets = await work.appointments.reminder_offsets(BUSINESS, BUSINESS)
        notes = await work.setup.message_parts(BUSINESS)
    assert catalog.business.name == "Shear Delight Studio"
    assert catalog.business.policies.currency == "EUR"
    assert str(catalog.business.policies.cancellation.late_cancel_fee) == "15"
    assert found.require_approval and found.hold_ttl.total_seconds() == 9 * 60
    assert [o.total_seconds() // 3600 for o in offsets] == [48, 3]
    assert notes.parking_notes == "Park on Jay Street after 6 pm."
    shown = await (await gateway.get("/admin/catalog/business", cookies=cookies)).text()
    assert 'value="48, 3"' in shown


async def test_block_and_unblock_by_phone(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    async with SetupUnitOfWork(session_factory) as work:
        customer = Customer(uuid4(), "Rex Mallory", phone="+15550004001")
        await work.catalog.save_customer(BUSINESS, customer)
        await work.commit()
    form, _ = (await _page(gateway, "/admin/catalog/blocklist", cookies)).form_with("Block")
    status, body, _ = await _submit(gateway, form, cookies, phone="+15550009999")
    assert status == 422 and "No customer has booked with this phone" in body
    status, _, where = await _submit(gateway, form, cookies, phone="+15550004001",
                                     reason="three no-shows")
    assert (status, where) == (303, "/admin/catalog/blocklist")
    listed = Page.of(await (await gateway.get("/admin/catalog/blocklist",
                                              cookies=cookies)).text())
    unblock, _ = listed.form_with("Unblock Rex Mallory")
    status, _, _ = await _submit(gateway, unblock, cookies)
    assert status == 303
    async with SetupUnitOfWork(session_factory) as work:
        assert await work.setup.blocklist(BUSINESS) == []
    for bad in ("not-an-id", "00000000-0000-0000-0000-000000000000"):
        missing = await gateway.post(f"/admin/catalog/blocklist/{bad}/unblock",
                                     data={"csrf": unblock.fields["csrf"]}, cookies=cookies)
        assert missing.status == 404

