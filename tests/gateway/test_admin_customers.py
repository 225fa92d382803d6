"""/admin/customers with every table holding rows (tests/fill.py): the list searched by name,
e-mail and a phone written three ways, paging; one customer's history, notes and preferences;
the blocklist toggle; export of everything held about them; erasure (nothing of their name,
phone or e-mail left in any text column, appointments kept); staff accounts limited to their
own customers; wrong ids, CSRF, replays and odd input answered with a clear 4xx."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.model import Contact
from scheduling.demo import demo_catalog
from scheduling.desk import customers
from scheduling.persistence.admin_tables import AdminUserRow
from scheduling.persistence.booking_tables import AppointmentRow, BookingEventRow, CustomerBlockRow
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.desk_tables import VerificationCodeRow
from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.waitlist_tables import WaitlistEntryRow
from tests.fill import Filled, drop_conversations, fill
from tests.gateway.admin_login import login_as
from tests.gateway.customer_rows import EMAIL, NAME, PHONE, add_personal_rows, traces

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
Factory = async_sessionmaker[AsyncSession]
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
async def filled(session_factory: Factory, gateway: Client) -> AsyncIterator[Filled]:
    done = await fill(session_factory, datetime.now(UTC))
    yield done
    await drop_conversations(session_factory)


@pytest.fixture
async def owner(session_factory: Factory, filled: Filled) -> dict[str, str]:
    return await login_as(session_factory, filled.admin_email)


async def _staff(factory: Factory, staff_id: UUID) -> dict[str, str]:
    email = f"staff-{staff_id.hex[:6]}@example.com"
    cookies = await login_as(factory, email)
    async with factory() as session:
        await session.execute(update(AdminUserRow).where(AdminUserRow.email == email)
                              .values(role="staff", staff_id=staff_id))
        await session.commit()
    return cookies


async def _csrf(client: Client, cookies: dict[str, str], path: str) -> str:
    body = await (await client.get(path, cookies=cookies)).text()
    found = CSRF.search(body)
    assert found is not None, body[-1500:]
    return found.group(1)


async def _post(client: Client, cookies: dict[str, str], path: str, form: dict[str, str],
                page: str) -> tuple[int, str, str | None]:
    data = {"csrf": await _csrf(client, cookies, page), **form}
    response = await client.post(path, data=data, cookies=cookies, allow_redirects=False)
    return response.status, await response.text(), response.headers.get("Location")


async def _list(client: Client, cookies: dict[str, str], query: str) -> str:
    response = await client.get("/admin/customers", params={"q": query}, cookies=cookies)
    assert response.status == 200, query
    return await response.text()


@pytest.mark.parametrize("typed", ["+1 555 000 9001", "(555) 000-9001", "555.000.9001",
                                   "fillia", "FILLIA@EXAMPLE", "9001"])
async def test_search_finds_the_customer_however_the_phone_is_written(
        gateway: Client, filled: Filled, owner: dict[str, str], typed: str) -> None:
    body = await _list(gateway, owner, typed)
    assert NAME in body and "Blocked Bob" not in body
    row = body[body.index(NAME):].split("</tr>")[0]
    # one completed visit, one no-show; the last visit and the next one are both shown
    assert re.findall(r'data-label="(?:Visits|No-shows)">(\d+)<', row) == ["1", "1"]
    assert row.count("—") == 0


async def test_list_shows_blocked_and_pages(gateway: Client, filled: Filled,
                                            owner: dict[str, str],
                                            session_factory: Factory) -> None:
    assert 'class="badge">blocked' in await _list(gateway, owner, "Blocked Bob")
    async with session_factory() as session:
        for i in range(30):
            session.add(CustomerRow(id=uuid4(), business_id=filled.business_id,
                                    name=f"Zed Pager {i:02d}", notifications={},
                                    preferences={}))
        await session.commit()
    first = await _list(gateway, owner, "zed pager")
    assert "30 customers" in first and "Zed Pager 24" in first and "Zed Pager 25" not in first
    second = await (await gateway.get("/admin/customers?q=zed+pager&page=2",
                                      cookies=owner)).text()
    assert "Zed Pager 25" in second and "Zed Pager 29" in second and "Previous page" in second
    for bad in ("0", "abc", "99999999999"):
        answer = await gateway.get(f"/admin/customers?page={bad}", cookies=owner)
        assert answer.status == 400
    huge = await gateway.get("/admin/customers", params={"q": "x" * 5000}, cookies=owner)
    assert huge.status == 200  # read as its first 200 characters
    for wildcard in ("%", "_"):  # matched as themselves, not as LIKE's wildcards
        assert "0 customers" in await _list(gateway, owner, wildcard)
    odd = await gateway.get("/admin/customers", params={"q": "%_\\'\"<script>"}, cookies=owner)
    assert odd.status == 200 and "<script>" not in await odd.text()


async def test_detail_history_notes_and_preferences(gateway: Client, filled: Filled,
                                                    owner: dict[str, str]) -> None:
    path = f"/admin/customers/{filled.customer_id}"
    body = await (await gateway.get(path, cookies=owner)).text()
    for status, appointment in filled.appointment_ids.items():
        assert (f"/admin/appointments/{appointment}" in body) == (status != "held"), status
    status, _, where = await _post(gateway, owner, path + "/notes",
                                   {"notes": "Likes tea, no sugar",
                                    "was": "Filled customer note"}, path)
    assert status == 303 and where is not None
    assert "Likes tea, no sugar" in await (await gateway.get(where, cookies=owner)).text()
    stale, body, _ = await _post(gateway, owner, path + "/notes",
                                 {"notes": "Coffee", "was": "Filled customer note"}, path)
    assert stale == 422 and "changed meanwhile" in body
    big, body, _ = await _post(gateway, owner, path + "/notes", {"notes": "x" * 6000}, path)
    assert big == 422 and "5000" in body
    ana = demo_catalog().staff[0].id
    saved, _, _ = await _post(gateway, owner, path + "/preferences", {
        "staff_ids": str(ana), "weekdays": "4", "times_of_day": "morning", "language": "es",
        "email": "on"}, path)
    assert saved == 303
    body = await (await gateway.get(path, cookies=owner)).text()
    assert f'value="{ana}" checked' in body and 'value="morning" checked' in body
    assert 'name="sms" value="on" checked' not in body and 'value="es"' in body
    for wrong in ({"weekdays": "9"}, {"times_of_day": "noon"}, {"staff_ids": "nope"},
                  {"staff_ids": str(uuid4())}, {"language": "<b>"}):
        status, _, _ = await _post(gateway, owner, path + "/preferences", wrong, path)
        assert status == 422, wrong


async def test_export_holds_everything_about_them(gateway: Client, filled: Filled,
                                                  owner: dict[str, str],
                                                  session_factory: Factory) -> None:
    await add_personal_rows(session_factory, filled, datetime.now(UTC))
    response = await gateway.get(f"/admin/customers/{filled.customer_id}/export",
                                 cookies=owner)
    assert response.status == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(await response.text())
    assert data["profile"]["name"] == NAME and data["profile"]["phone"] == PHONE
    assert {a["status"] for a in data["appointments"]} >= {"completed", "no_show", "cancelled"}
    assert any(m["kind"] == "confirmation" and m["deliveries"] for m in data["messages"])
    assert len(data["waitlist_entries"]) == 2 and data["waitlist_offers"]
    assert data["verification_codes"][0]["sent_to"] == PHONE
    assert "code_hash" not in data["verification_codes"][0]
    chats = {c["conversation"]: c["text"] for c in data["conversations"]}
    assert chats == {f"sms:{PHONE}": "Hello Fillia", "web-7": f"my e-mail is {EMAIL}"}
    assert data["sms_opt_out"] and data["series"]
    assert data["short_links"] and data["audit_trail"]


async def _count(factory: Factory, query: object) -> int:
    async with factory() as session:
        return int(await session.scalar(query) or 0)  # type: ignore[call-overload]


async def test_erase_leaves_nothing_of_them_and_keeps_the_appointments(
        gateway: Client, filled: Filled, owner: dict[str, str], session_factory: Factory
) -> None:
    ids = await add_personal_rows(session_factory, filled, datetime.now(UTC))
    assert await traces(session_factory)  # the scan sees her before
    booked = select(func.count()).select_from(AppointmentRow)
    before = await _count(session_factory, booked)
    path = f"/admin/customers/{filled.customer_id}"
    confirm = await (await gateway.get(path + "/erase", cookies=owner)).text()
    assert "upcoming appointment" in confirm and "cannot be undone" in confirm
    refused, body, _ = await _post(gateway, owner, path + "/erase", {}, path + "/erase")
    assert refused == 422 and "tick the box" in body
    assert await traces(session_factory)  # refused: nothing was erased
    done, _, where = await _post(gateway, owner, path + "/erase",
                                 {"cancel_upcoming": "yes"}, path + "/erase")
    assert done == 303 and where is not None and "done=erased&cancelled=2" in where
    assert await traces(session_factory) == []
    assert await _count(session_factory, booked) == before
    async with session_factory() as session:
        statuses = dict((await session.execute(select(OutboxRow.id, OutboxRow.status).where(
            OutboxRow.id.in_(list(ids.values()))))).all())
        left = await session.scalar(select(func.count()).select_from(AppointmentRow).where(
            AppointmentRow.customer_id == filled.customer_id,
            AppointmentRow.status.in_(("pending", "confirmed"))))
        codes = await session.scalar(select(func.count()).select_from(VerificationCodeRow))
        waiting = await session.scalar(select(func.count()).select_from(WaitlistEntryRow))
        audit = (await session.execute(select(BookingEventRow.actor, BookingEventRow.data)
                                       .where(BookingEventRow.subject == "customer"))).all()
    assert statuses == {ids["pending"]: "cancelled", ids["calendar"]: "pending",
                        ids["sent"]: "sent"}
    assert left == 0 and codes == 0 and waiting == 0
    assert audit == [("owner", {"by": filled.admin_email, "cancelled": 2})]
    erased = await (await gateway.get(where, cookies=owner)).text()
    assert "Erased customer" in erased and NAME not in erased
    assert "Personal data erased. 2 upcoming appointment(s) cancelled." in erased
    again, _, where = await _post(gateway, owner, path + "/erase", {"cancel_upcoming": "yes"},
                                  path)
    assert again == 303 and where is not None and "done=already" in where
    assert await _count(session_factory, select(func.count()).select_from(BookingEventRow)
                        .where(BookingEventRow.subject == "customer")) == 1
    fresh = await customers.register(DeskUnitOfWork(session_factory), filled.business_id,
                                     Contact(NAME, PHONE, EMAIL), customers.ANONYMOUS,
                                     datetime.now(UTC))
    assert fresh.id != filled.customer_id and fresh.phone == PHONE


async def test_block_toggle_goes_through_a_confirmation(gateway: Client, filled: Filled,
                                                        owner: dict[str, str],
                                                        session_factory: Factory) -> None:
    path = f"/admin/customers/{filled.customer_id}"
    confirm = await (await gateway.get(path + "/block", cookies=owner)).text()
    assert f"Block {NAME}?" in confirm and PHONE in confirm
    for _ in range(2):  # a replayed form blocks once
        status, _, _ = await _post(gateway, owner, path + "/block",
                                   {"action": "block", "reason": "rude"}, path + "/block")
        assert status == 303
    blocked = select(CustomerBlockRow.reason).where(
        CustomerBlockRow.customer_id == filled.customer_id)
    async with session_factory() as session:
        assert list(await session.scalars(blocked)) == ["rude"]
    assert "Unblock" in await (await gateway.get(path + "/block", cookies=owner)).text()
    status, _, _ = await _post(gateway, owner, path + "/block", {"action": "unblock"},
                               path + "/block")
    async with session_factory() as session:
        assert status == 303 and list(await session.scalars(blocked)) == []


async def test_staff_see_only_their_own_customers(gateway: Client, filled: Filled,
                                                  session_factory: Factory) -> None:
    ana, other = demo_catalog().staff[0].id, demo_catalog().staff[1].id
    path = f"/admin/customers/{filled.customer_id}"
    stranger = await _staff(session_factory, other)
    assert NAME not in await _list(gateway, stranger, "")
    assert (await gateway.get(path, cookies=stranger)).status == 404
    theirs = await _staff(session_factory, ana)
    assert NAME in await _list(gateway, theirs, "fillia")
    assert (await gateway.get(path, cookies=theirs)).status == 200
    for owner_only in ("/export", "/erase", "/block"):
        assert (await gateway.get(path + owner_only, cookies=theirs)).status == 403
    token = await _csrf(gateway, theirs, path)
    answer = await gateway.post(path + "/erase", data={"csrf": token, "cancel_upcoming": "yes"},
                                cookies=theirs, allow_redirects=False)
    assert answer.status == 403 and await traces(session_factory)


async def test_wrong_ids_forged_csrf_and_bad_bytes_are_4xx(
        gateway: Client, filled: Filled, owner: dict[str, str], session_factory: Factory
) -> None:
    for bad in ("not-a-uuid", str(uuid4()), "9" * 500):
        for suffix in ("", "/export", "/erase", "/block"):
            answer = await gateway.get(f"/admin/customers/{bad}{suffix}", cookies=owner)
            assert answer.status == 404, (bad, suffix)
    path = f"/admin/customers/{filled.customer_id}"
    token = await _csrf(gateway, owner, path)
    unknown = await gateway.post(f"/admin/customers/{uuid4()}/notes",
                                 data={"csrf": token, "notes": "x"}, cookies=owner)
    assert unknown.status == 404
    for form in ({"cancel_upcoming": "yes"}, {"csrf": "forged", "cancel_upcoming": "yes"}):
        answer = await gateway.post(path + "/erase", data=form, cookies=owner,
                                    allow_redirects=False)
        assert answer.status == 403
    assert await traces(session_factory)
    raw = await gateway.post(path + "/notes", data=b"csrf=" + token.encode() + b"&notes=%FF%FE",
                             cookies=owner, allow_redirects=False,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert raw.status == 303  # undecodable bytes are read as U+FFFD, never a 500
    assert "\ufffd" in await (await gateway.get(path, cookies=owner)).text()
    spoof = await gateway.get(path + "?done=Call+Evil+Co&notice=Call+Evil+Co&cancelled=1",
                              cookies=owner)
    assert spoof.status == 200 and "Evil Co" not in await spoof.text()
    signed_out = await gateway.get(path, allow_redirects=False)
    assert signed_out.status == 303 and "/admin/login" in signed_out.headers["Location"]
