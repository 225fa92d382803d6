"""The cancellation-window refusal is a whole sentence for each change, as the booking services
raise it (the API returns that text as is: it once said "rescheduleled")."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.runtime import runtime
from scheduling.booking.changes import cancel, reschedule
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor
from scheduling.catalog import Catalog
from scheduling.errors import PolicyViolation
from tests.actions.test_booking import book_once

pytestmark = [pytest.mark.db]


async def booked_start(engine: AsyncEngine) -> tuple[str, datetime]:
    _, booked = await book_once("+17185550166")
    assert "booked" in booked, booked
    async with engine.connect() as connection:
        row = (await connection.execute(text("SELECT id, starts_at FROM appointments"))).one()
    return row.id, row.starts_at


async def test_a_late_move_is_refused_in_a_whole_sentence(salon: Catalog,
                                                          engine: AsyncEngine) -> None:
    appointment_id, start = await booked_start(engine)
    move = RescheduleAppointment(appointment_id, start + timedelta(days=1))
    with pytest.raises(PolicyViolation) as refused:
        await reschedule(move, runtime.uow(), start - timedelta(hours=3))
    assert str(refused.value) == ("appointments can only be moved (rescheduled) up to 24 hours "
                                  "before they start; 3.0 hours are left")


async def test_a_cancel_once_started_is_refused_in_a_whole_sentence(
    salon: Catalog, engine: AsyncEngine
) -> None:
    appointment_id, start = await booked_start(engine)
    with pytest.raises(PolicyViolation) as refused:
        await cancel(CancelAppointment(appointment_id, Actor.CUSTOMER), runtime.uow(),
                     start + timedelta(minutes=5))
    assert str(refused.value) == ("appointments can only be cancelled up to 24 hours before "
                                  "they start; 0.0 hours are left")
