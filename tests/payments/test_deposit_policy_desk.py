"""A deposit rule for first-time customers at the front desk (salon mode): the form says
before booking that only first-time customers are asked for it; booked for a newcomer, the
done page says their deposit is owed here; booked again for the same customer after they
came, nothing is owed."""

from __future__ import annotations

import pytest

from tests.gateway.booking_flow import execute, rows
from tests.payments.stripe_desk import Desk, deposits_online
from tests.payments.test_pay_links_desk_voice import COLOUR, _book_at_desk, _form

pytestmark = pytest.mark.db


async def test_the_desk_states_the_rule_and_asks_only_a_first_timer(desk: Desk) -> None:
    await deposits_online(desk.factory, online=False)
    await execute(desk.factory, "UPDATE services SET deposit_kind = 'fixed', deposit = 30,"
                  " deposit_for = 'first_time' WHERE id = :s", s=COLOUR)
    before, done = await _book_at_desk(await _form(desk), "(212) 555-0191")
    assert "takes a deposit, owed here at the desk" in before
    assert "Only first-time customers are asked for it: the booking says whether this " \
           "customer is." in before
    assert "The $30 deposit is owed here" in done
    await execute(desk.factory, "UPDATE appointments SET status = 'completed'")
    _, again = await _book_at_desk(await _form(desk), "(212) 555-0191")
    assert "deposit" not in again.split("<main", 1)[-1].lower()
    assert await rows(desk.factory, "SELECT status, payment_required FROM appointments"
                      " ORDER BY created_at") == [("completed", True), ("confirmed", False)]
