"""The booking page under a deposit rule for first-time customers (25% of the colour's
$120): the policy is worded on the services list and the details step, and after the code
proves who is booking, the confirm step states the amount for THIS customer before they
confirm: $30 for a first-timer, nothing for a customer who has come before. The bookings
ask exactly that."""

from __future__ import annotations

import pytest

from scheduling.demo import demo_id
from tests.gateway.booking_flow import (
    Client,
    Factory,
    execute,
    fetch,
    press,
    rows,
    to_confirm,
    to_details,
)

pytestmark = pytest.mark.db
COLOUR = demo_id("service/Colour")


async def test_a_first_timer_is_told_and_asked_a_returning_customer_neither(
    gateway: Client, session_factory: Factory,
) -> None:
    await execute(session_factory, "UPDATE services SET deposit_kind = 'percent', deposit = 25,"
                  " deposit_for = 'first_time' WHERE id = :s", s=COLOUR)
    services = await fetch(gateway, "get", "/book")
    assert "Colour 90 min · $120 · 25% deposit ($30) for first-time customers" in \
        services.words
    details, _ = await to_details(gateway, service="colour", staff="any")
    assert "A 25% deposit ($30) is asked of first-time customers. Once your contact is " \
           "checked we show whether it applies to you, before you confirm." in details.words
    assert "Deposit due" not in details.words

    first, _ = await to_confirm(gateway, session_factory, service="colour", staff="any")
    assert "A $30 deposit is to be paid at the salon when you come in" in first.words
    assert "Deposit due $30" in first.words
    booked = await press(gateway, first.page, "Confirm booking")
    assert "You're booked" in booked.words and "$30 deposit" in booked.words
    await execute(session_factory, "UPDATE appointments SET status = 'completed'")

    again, _ = await to_confirm(gateway, session_factory, service="colour", staff="any",
                                skip=1)
    assert "Confirm your booking" in again.words and "deposit" not in again.words.lower()
    rebooked = await press(gateway, again.page, "Confirm booking")
    assert "You're booked" in rebooked.words and "deposit" not in rebooked.words.lower()
    assert await rows(session_factory, "SELECT status, payment_required, payment_amount"
                      " FROM appointments ORDER BY created_at") == [
        ("completed", True, 30), ("confirmed", False, 0)]


async def test_a_deposit_that_changes_before_confirming_is_shown_again(
    gateway: Client, session_factory: Factory,
) -> None:
    """The owner adds a rule while the customer is on the confirm step: the booking is not
    made at an amount the customer was not shown; the page shows the new one to confirm."""
    await execute(session_factory, "UPDATE services SET deposit_kind = 'none', deposit = 0"
                  " WHERE id = :s", s=COLOUR)
    confirm, _ = await to_confirm(gateway, session_factory, service="colour", staff="any")
    assert "deposit" not in confirm.words.lower()
    await execute(session_factory, "UPDATE services SET deposit_kind = 'fixed', deposit = 40,"
                  " deposit_for = 'first_time' WHERE id = :s", s=COLOUR)
    changed = await press(gateway, confirm.page, "Confirm booking")
    assert changed.status == 409
    assert "it is now $120, with a $40 deposit. Please check the details" in changed.words
    assert await rows(session_factory, "SELECT count(*) FROM appointments") == [(0,)]
    booked = await press(gateway, changed.page, "Confirm booking")
    assert "You're booked" in booked.words
    assert await rows(session_factory, "SELECT payment_amount FROM appointments") == [(40,)]
