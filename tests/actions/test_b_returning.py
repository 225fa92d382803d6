"""Returning customers (issue 18, kind 7): greeted by name on SMS and voice by their number
and on the web after the code, not asked their details again, and "same as last time" booked
from their own history; a web visitor who proved nothing learns nothing of anyone's visits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import NAMESPACE_DNS, UUID, uuid4, uuid5
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduling.booking.model import Appointment, Channel, Status
from scheduling.catalog import Catalog
from scheduling.desk.usual import next_alike, pick
from tests.actions.test_b_managing import prove_on_the_web, start, weekday_in
from tests.actions.test_booking import CUT, book_once, offers_for, validate
from tests.actions.test_manage import PHONE

NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.db
async def test_a_texting_customer_is_welcomed_and_books_their_usual(
    salon: Catalog, engine: AsyncEngine
) -> None:
    await book_once(PHONE, when="in 3 days at 10am")
    found, said = await validate("hi, same as last time please", "book", sender=f"sms:{PHONE}")
    assert said.startswith("Welcome back, Jo.")
    assert "Same as last time: Women's cut with" in said
    assert found["service"] == CUT and found["customer_id"]
    assert found["requested_slot"] == "slot_choice"  # no name, phone or e-mail asked
    last = await _last_start(engine)
    usual = datetime.fromisoformat(found["when_start"]).astimezone(NEW_YORK)
    assert (usual.weekday(), usual.time()) == (last.weekday(), last.time())
    assert (usual.date() - last.date()).days == 7  # after their own booking, not on it
    offers = await offers_for(**{k: found[k] for k in (
        "service", "staff", "when", "when_start", "when_end", "usual", "customer_id")})
    labels = [o["reason"] for o in offers]
    assert not any("as you asked" in label for label in labels), labels
    assert any(label.endswith("your usual time") for label in labels), labels


@pytest.mark.db
async def test_a_typed_number_on_the_web_reveals_no_history(salon: Catalog) -> None:
    await book_once(PHONE, when="in 3 days at 10am")
    found, said = await validate(f"same as last time, my number is {PHONE}", "book",
                                 sender="web-stranger")
    assert "once I know it's you" in said and "Women's cut" not in said
    assert found.get("service") is None and found.get("customer_id") is None


@pytest.mark.db
async def test_after_the_code_the_web_visitor_is_known_and_gets_their_usual(
    salon: Catalog, engine: AsyncEngine
) -> None:
    await book_once(PHONE, when="in 3 days at 10am")
    slots = await start("show my appointments", "web-b-visitor")
    slots["task"] = "list"
    slots, said = await prove_on_the_web(slots, engine)
    assert "that's you, Jo" in said
    assert slots["customer_name"] == "Jo Lee" and slots["phone"] == PHONE
    kept = {k: slots[k] for k in ("customer_id", "customer_name", "phone", "email")}
    found, said = await validate("can I book my usual", "book", sender="web-b-visitor", **kept)
    assert "Same as last time: Women's cut" in said
    assert found["requested_slot"] == "slot_choice"


def _appointment(service: str, start: datetime, staff: str = "s") -> Appointment:
    ids = {name: uuid4() for name in ("a", "b")}
    return Appointment(
        id=uuid4(), business_id=ids["a"], customer_id=ids["b"],
        service_id=_uuid(service), staff_id=_uuid(staff), location_id=_uuid("here"),
        start=start, end=start + timedelta(hours=1), buffer_before=timedelta(0),
        buffer_after=timedelta(0), customer_time_zone="America/New_York",
        status=Status.COMPLETED, channel=Channel.SMS, created_at=start, updated_at=start)


def _uuid(name: str) -> UUID:
    return uuid5(NAMESPACE_DNS, name)


def test_the_usual_is_the_most_booked_service_with_its_latest_person_and_time() -> None:
    day = datetime(2026, 3, 3, 15, tzinfo=UTC)
    past = [_appointment("cut", day, "ana"), _appointment("colour", day + timedelta(days=7)),
            _appointment("cut", day + timedelta(days=14), "marcus")]
    found = pick(past)
    assert found is not None
    assert (found.service_id, found.staff_id) == (_uuid("cut"), _uuid("marcus"))
    assert found.last_start == day + timedelta(days=14)
    assert pick([]) is None


def test_the_next_alike_keeps_the_weekday_and_the_wall_clock_across_summer_time() -> None:
    last = datetime(2026, 2, 24, 10, tzinfo=NEW_YORK)  # a Tuesday, winter time
    after = datetime(2026, 3, 10, 9, tzinfo=NEW_YORK)  # a Tuesday after the change
    found = next_alike(last, NEW_YORK, after)
    assert found == datetime(2026, 3, 10, 10, tzinfo=NEW_YORK)
    assert next_alike(last, NEW_YORK, found) == datetime(2026, 3, 17, 10, tzinfo=NEW_YORK)


async def _last_start(engine: AsyncEngine) -> datetime:
    async with engine.connect() as connection:
        start = await connection.scalar(text("SELECT starts_at FROM appointments"))
    return start.astimezone(NEW_YORK)



@pytest.mark.db
async def test_my_usual_on_the_web_asks_for_the_code_then_books_it(
    salon: Catalog, engine: AsyncEngine
) -> None:
    await book_once(PHONE, when="in 3 days at 10am")
    web = "web-b-usual"
    found, said = await validate("can I have my usual please", "book", sender=web)
    assert "once I know it's you" in said and found["requested_slot"] == "verify_contact"
    assert found.get("service") is None
    slots = {k: v for k, v in found.items() if k != "requested_slot"}
    found, _ = await validate(PHONE, "inform", sender=web, requested="verify_contact", **slots)
    assert found["requested_slot"] == "otp_code"
    slots |= {k: v for k, v in found.items() if k != "requested_slot"}
    async with engine.connect() as connection:
        code = await connection.scalar(text(
            "SELECT payload->>'code' FROM outbox WHERE kind = 'verification_code'"))
    found, said = await validate(str(code), "inform", sender=web, requested="otp_code", **slots)
    assert "that's you, Jo" in said and "Same as last time: Women's cut with" in said
    assert found["service"] == CUT and found["customer_id"]
    assert found["usual"] == found["when_start"]
    assert found["requested_slot"] == "slot_choice"  # no name, phone or e-mail asked


@pytest.mark.db
async def test_a_day_named_before_the_code_keeps_with_the_usual_time(
    salon: Catalog, engine: AsyncEngine
) -> None:
    await book_once(PHONE, when="in 3 days at 10am")
    web, day = "web-b-usual-day", weekday_in(5)
    found, _ = await validate(f"same again on {day} please", "book", sender=web)
    slots = {k: v for k, v in found.items() if k != "requested_slot"}
    found, _ = await validate(PHONE, "inform", sender=web, requested="verify_contact", **slots)
    slots |= {k: v for k, v in found.items() if k != "requested_slot"}
    async with engine.connect() as connection:
        code = await connection.scalar(text(
            "SELECT payload->>'code' FROM outbox WHERE kind = 'verification_code'"))
    found, said = await validate(str(code), "inform", sender=web, requested="otp_code", **slots)
    start = datetime.fromisoformat(found["when_start"]).astimezone(NEW_YORK)
    last = await _last_start(engine)
    assert (start.strftime("%A"), start.time()) == (day, last.time()), said
    assert found["when_end"] is None and found["requested_slot"] == "slot_choice"


@pytest.mark.db
async def test_a_day_or_part_of_day_in_the_request_by_sms_is_kept(
    salon: Catalog, engine: AsyncEngine
) -> None:
    await book_once(PHONE, when="in 3 days at 10am")
    day = weekday_in(5)
    found, _ = await validate(f"same again {day[:3].lower()} pls", "book", sender=f"sms:{PHONE}")
    start = datetime.fromisoformat(found["when_start"]).astimezone(NEW_YORK)
    assert (start.strftime("%A"), start.time()) == (day, (await _last_start(engine)).time())
    found, _ = await validate(f"my usual {day} morning", "book", sender="sms:+17185550199")
    assert found.get("service") is None  # a number never seen: nothing to reuse
