"""What a person or a script could try on `/book` instead of booking plainly: a changed
draft, a time that is not free, a price that changed, guessed codes, a double submit, a
lost race, someone else's phone number. Each gets a page that says what happened; the
database is checked after each."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

import pytest

from assistant.gateway.ratelimit import LIMITS, RateLimiter
from scheduling.demo import demo_catalog
from tests.gateway.booking_flow import (
    PHONE,
    TYPED_PHONE,
    Client,
    Factory,
    execute,
    fetch,
    press,
    rows,
    sent_code,
    submit,
    to_code,
    to_confirm,
    to_details,
)
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
COUNT = "SELECT count(*) FROM appointments"


@pytest.fixture
def unhurried(gateway: Client) -> Client:
    """The gateway with room for several code flows from one address in one test (the
    per-address limit itself is tested below)."""
    gateway.app[LIMITS]["login"] = RateLimiter(rate=1.0, burst=100)
    return gateway


def _other(code: str) -> str:
    return "000000" if code != "000000" else "111111"


def _flip(sealed: str) -> str:
    """The draft with one character changed, as someone editing the hidden field would."""
    middle = len(sealed) // 2
    return sealed[:middle] + ("A" if sealed[middle] != "A" else "B") + sealed[middle + 1:]


async def test_a_changed_or_unproved_draft_books_nothing(
    unhurried: Client, session_factory: Factory,
) -> None:
    gateway = unhurried
    code_page, _ = await to_code(gateway)
    form, button = code_page.page.form_with("Check my code")
    unproved = form.fields["state"]

    changed = await submit(gateway, form, button, state=_flip(unproved), code="123456")
    skipped = await fetch(gateway, "post", "/book/confirm", {"state": unproved})
    confirm, _ = await to_confirm(gateway, session_factory)
    proved = confirm.page.form_with("Confirm booking")
    forged = await submit(gateway, *proved, state=_flip(proved[0].fields["state"]))

    assert changed.status == skipped.status == forged.status == 400
    assert "Please start again" in changed.words and "Start a new booking" in forged.words
    assert "has not been checked with a code" in skipped.words
    assert await rows(session_factory, COUNT) == [(0,)]


async def test_a_time_that_is_not_free_is_refused_before_any_code_is_sent(
    gateway: Client, session_factory: Factory,
) -> None:
    details, start = await to_details(gateway)
    ana = demo_catalog().staff[0]
    taken = await gateway.post("/api/v1/appointments", headers={
        "X-API-Key": API_KEY, "Idempotency-Key": "owner-books-first"}, json={
        "service_id": str(demo_catalog().find_service("Women's cut").id), "start": start,
        "staff_id": str(ana.id), "customer": {"name": "Walk In", "phone": "+12125550100"}})
    assert taken.status == 201, await taken.text()

    refused = await press(gateway, details.page, "Send my code", name="Dana",
                          phone=TYPED_PHONE, email="")
    three_am = f"{start[:10]}T08:00:00+00:00"  # 3 AM in New York: never offered
    night = await fetch(gateway, "get",
                        f"/book/womens-cut/details?staff=any&start={quote(three_am)}")

    assert refused.status == night.status == 409
    assert "That time is no longer free" in refused.words and "Choose a time" in refused.words
    assert start not in [b.value for f in refused.page.forms for b in f.buttons]
    assert await rows(session_factory, "SELECT count(*) FROM outbox WHERE kind = "
                      "'verification_code'") == [(0,)]


async def test_a_price_change_between_steps_is_shown_before_booking(
    gateway: Client, session_factory: Factory,
) -> None:
    confirm, _ = await to_confirm(gateway, session_factory)
    await execute(session_factory, "UPDATE services SET price = 80 WHERE name = :n",
                  n="Women's cut")

    asked = await press(gateway, confirm.page, "Confirm booking")
    assert asked.status == 409 and "The price changed" in asked.words
    assert "now $80" in asked.words and "Price $80" in asked.words
    assert await rows(session_factory, COUNT) == [(0,)]

    booked = await press(gateway, asked.page, "Confirm booking")
    assert "You're booked" in booked.words and "Price $80" in booked.words
    assert await rows(session_factory, "SELECT price FROM appointments") == [(80,)]


async def test_wrong_codes_use_the_code_up_and_a_new_code_works(
    unhurried: Client, session_factory: Factory,
) -> None:
    gateway = unhurried
    code_page, _ = await to_code(gateway)
    right = await sent_code(gateway, session_factory)

    typo = await press(gateway, code_page.page, "Check my code", code="12a456")
    assert typo.status == 422 and "the 6 digits in our message" in typo.words
    for _ in range(5):
        wrong = await press(gateway, code_page.page, "Check my code", code=_other(right))
        assert wrong.status == 422 and "does not match" in wrong.words
    spent = await press(gateway, code_page.page, "Check my code", code=right)
    assert spent.status == 410 and "run out" in spent.words

    fresh = await press(gateway, spent.page, "Send a new code")
    assert "We sent a new code" in fresh.words
    confirm = await press(gateway, fresh.page, "Check my code",
                          code=await sent_code(gateway, session_factory))
    assert "Confirm your booking" in confirm.words


async def test_guessing_from_one_address_is_slowed_down(gateway: Client) -> None:
    code_page, _ = await to_code(gateway)
    tries = [await press(gateway, code_page.page, "Check my code", code="000000")
             for _ in range(6)]

    slowed = [t for t in tries if t.status == 429]
    assert slowed and "Please wait a moment" in slowed[0].words
    assert int(slowed[0].headers["Retry-After"]) >= 0


async def test_a_double_submit_books_once(gateway: Client, session_factory: Factory) -> None:
    confirm, _ = await to_confirm(gateway, session_factory)
    form, button = confirm.page.form_with("Confirm booking")

    first, second = await asyncio.gather(submit(gateway, form, button),
                                         submit(gateway, form, button))

    assert first.status == second.status == 200
    assert "You're booked" in first.words and first.words == second.words
    assert await rows(session_factory, COUNT) == [(1,)]


async def test_a_lost_race_offers_the_nearest_free_times(
    unhurried: Client, session_factory: Factory,
) -> None:
    gateway = unhurried
    dana, start = await to_confirm(gateway, session_factory)
    sam, same = await to_confirm(gateway, session_factory, name="Sam", phone="+12125550177")
    assert same == start
    await press(gateway, dana.page, "Confirm booking")

    lost = await press(gateway, sam.page, "Confirm booking")

    assert lost.status == 409 and "That time was just taken" in lost.words
    nearest = [a.href for a in lost.page.links if a.href.startswith("/book/confirm?")]
    assert nearest and (await fetch(gateway, "get", lost.page.link("See all free times"))
                        ).status == 200
    other = await fetch(gateway, "get", nearest[0])
    booked = await press(gateway, other.page, "Confirm booking")
    assert "You're booked" in booked.words
    found = await rows(session_factory, "SELECT contact_name, starts_at FROM appointments "
                       "ORDER BY contact_name")
    assert [name for name, _ in found] == ["Dana Reyes", "Sam"]
    assert found[0][1] != found[1][1]


async def test_someone_elses_contact_gets_nothing_of_theirs(
    unhurried: Client, session_factory: Factory,
) -> None:
    gateway = unhurried
    confirm, _ = await to_confirm(gateway, session_factory, email="dana@example.com")
    await press(gateway, confirm.page, "Confirm booking")
    profile = "SELECT id, name, phone, email, phone_verified_at, email_verified_at FROM " \
              "customers WHERE phone = :p"
    [dana] = await rows(session_factory, profile, p=PHONE)

    typed_hers, _ = await to_code(gateway, name="Mallory", skip=1)
    right = await sent_code(gateway, session_factory)  # on Dana's phone, not Mallory's
    guessed = await press(gateway, typed_hers.page, "Check my code", code=_other(right))
    assert guessed.status == 422 and "Dana" not in guessed.words

    own, _ = await to_confirm(gateway, session_factory, name="Mallory", phone="+12125550199",
                              email="dana@example.com", skip=1)
    await press(gateway, own.page, "Confirm booking")

    assert await rows(session_factory, profile, p=PHONE) == [dana]
    owners = await rows(session_factory, "SELECT contact_name, customer_id FROM appointments "
                        "ORDER BY contact_name")
    assert [name for name, _ in owners] == ["Dana Reyes", "Mallory"]
    assert owners[0][1] == dana[0] != owners[1][1]
