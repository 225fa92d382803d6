"""/admin/calendar with a row in every table (tests/fill.py): each filled appointment's day and
week show it in its state, or, cancelled, beside the day; none is a 500."""

from __future__ import annotations

import html
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from scheduling.persistence.booking_tables import AppointmentRow
from tests.fill import Filled
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import Client, Factory
from tests.gateway.test_pages_filled import filled  # noqa: F401 (the fixture)

pytestmark = pytest.mark.db
NEW_YORK = ZoneInfo("America/New_York")
SHOWN = {"pending": "pending approval", "confirmed": "confirmed", "completed": "completed",
         "no_show": "no-show", "cancelled": "(cancelled)", "late_cancel": "(late cancel)"}


async def test_every_filled_appointment_is_on_its_day(
    gateway: Client, session_factory: Factory, filled: Filled,  # noqa: F811
) -> None:
    cookies = await login_as(session_factory, filled.admin_email)
    async with session_factory() as session:
        rows = (await session.execute(select(AppointmentRow.status, AppointmentRow.starts_at,
                                             AppointmentRow.staff_id))).all()
    assert {status for status, *_ in rows} >= set(SHOWN) | {"held", "rescheduled"}
    for status, start, staff in rows:
        day = start.astimezone(NEW_YORK).date().isoformat()
        for view in ("day", "week"):
            response = await gateway.get(
                f"/admin/calendar?date={day}&view={view}&staff={staff}", cookies=cookies)
            body = html.unescape(await response.text())
            assert response.status == 200, body[-1500:]
            if status in SHOWN:
                assert "Fillia Everyrow" in body and SHOWN[status] in body, (status, view)
    today = await gateway.get("/admin/calendar", cookies=cookies)
    assert today.status == 200
    assert datetime.now(UTC).astimezone(NEW_YORK).strftime("%A, %B %-d, %Y") in \
        await today.text()
