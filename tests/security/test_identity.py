"""Account takeover by phone number or e-mail, through the REST API and through chat.

Before the identity model, an anonymous booking with a victim's phone and the attacker's
name and e-mail rewrote the victim's profile; a one-time code sent to the attacker's e-mail
then listed and cancelled the victim's appointments, and the victim's notices went to the
attacker. Each test here failed on that code (the profile assertions, the listing, the cancel
and the notice address) and passes now.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from aiohttp.test_utils import TestClient
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.booking import ActionBook
from actions.runtime import runtime
from assistant.notifications.audience import AudienceLoader
from scheduling.catalog import Catalog
from scheduling.desk.slots import SlotSearch, find_slots
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.delivery_reads import DeliveryReads
from tests.actions.conftest import salon, slots_of, tracker  # noqa: F401  (salon: fixture)
from tests.gateway.test_api import _first_slot

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
VICTIM = {"name": "Vera Victim", "phone": "+15550007001", "email": "vera@example.com"}
ATTACKER_EMAIL, ATTACKER_PHONE = "mallory@example.net", "+15550007666"


async def _call(client: Client, method: str, path: str, status: int, **kwargs: Any) -> Any:
    response = await client.request(method, path, **kwargs)
    body = await response.json()
    assert response.status == status, body
    return body


async def _book(client: Client, customer: dict[str, str], key: str, offset: int = 0,
                status: int = 201, **headers: str) -> Any:
    service_id, _ = await _first_slot(client)
    begin = datetime.now(UTC) + timedelta(days=2)
    slots = await _call(client, "GET", "/api/v1/availability", 200, params={
        "service_id": service_id, "start": begin.isoformat(),
        "end": (begin + timedelta(days=7)).isoformat()})
    start = slots["items"][offset]["start"]
    return await _call(client, "POST", "/api/v1/appointments", status,
                       json={"service_id": service_id, "start": start, "customer": customer},
                       headers={"Idempotency-Key": key, **headers})


async def _profile(engine: AsyncEngine, phone: str | None = None, email: str | None = None
                   ) -> Any:
    async with engine.connect() as connection:
        return (await connection.execute(text(
            "SELECT id, name, phone, email, phone_verified_at, email_verified_at FROM customers "
            "WHERE phone = :p OR lower(email) = lower(:e) ORDER BY created_at"),
            {"p": phone, "e": email})).all()


async def _latest_code(engine: AsyncEngine, to: str) -> str:
    async with engine.connect() as connection:
        return str(await connection.scalar(text(
            "SELECT payload->>'code' FROM outbox WHERE kind = 'verification_code' "
            "AND payload->>'to' = :to ORDER BY created_at DESC LIMIT 1"), {"to": to}))


async def _token_for(client: Client, engine: AsyncEngine, contact: str) -> str | None:
    """What an attacker gets by asking for a code to `contact` they control."""
    await _call(client, "POST", "/api/v1/auth/code", 202, json={"contact": contact})
    code = await _latest_code(engine, contact)
    if code == "None":
        return None
    body = await _call(client, "POST", "/api/v1/auth/token", 200,
                       json={"contact": contact, "code": code})
    return str(body["token"])


async def _notice_address(engine: AsyncEngine, appointment_id: str) -> tuple[str, str]:
    """Where the confirmation of this appointment goes, as the dispatcher reads it."""
    async with make_session_factory(engine)() as session:
        row = (await session.execute(text(
            "SELECT kind, payload FROM outbox WHERE appointment_id = :a AND kind = 'confirmation'"
        ), {"a": appointment_id})).one()
        loader = AudienceLoader(DeliveryReads(session))
        audience = await loader.load(row.kind, row.payload, UUID(appointment_id))
    return audience.recipient.email or "", audience.recipient.phone or ""


@pytest.mark.parametrize("takeover", ["phone", "email"])
async def test_an_anonymous_booking_cannot_take_over_a_profile(
    gateway: Client, engine: AsyncEngine, takeover: str  # noqa: F811
) -> None:
    victims = await _book(gateway, VICTIM, "victim-1")
    # the attacker reuses the victim's phone (or e-mail) with their own other details
    attacker = ({"name": "Mallory", "phone": VICTIM["phone"], "email": ATTACKER_EMAIL}
                if takeover == "phone" else
                {"name": "Mallory", "phone": ATTACKER_PHONE, "email": VICTIM["email"]})
    await _book(gateway, attacker, "attacker-1", offset=3)
    rows = await _profile(engine, VICTIM["phone"], VICTIM["email"])
    original = rows[0]
    assert (original.name, original.phone, original.email) == (
        VICTIM["name"], VICTIM["phone"], VICTIM["email"])

    # the attacker proves the contact they own, and sees and touches only their own booking
    token = await _token_for(gateway, engine,
                             ATTACKER_EMAIL if takeover == "phone" else ATTACKER_PHONE)
    assert token is not None
    bearer = {"Authorization": f"Bearer {token}"}
    mine = await _call(gateway, "GET", "/api/v1/me/appointments", 200, headers=bearer)
    assert victims["appointment"]["id"] not in {a["id"] for a in mine["items"]}
    victim_id = victims["appointment"]["id"]
    await _call(gateway, "POST", f"/api/v1/appointments/{victim_id}/cancel", 404,
                headers=bearer, json={})
    await _call(gateway, "GET", f"/api/v1/appointments/{victim_id}", 404, headers=bearer)

    # the victim's notices still go to the victim
    email, phone = await _notice_address(engine, victim_id)
    assert (email, phone) == (VICTIM["email"], VICTIM["phone"])


async def test_the_victim_proves_their_phone_and_sees_their_appointments(
    gateway: Client, engine: AsyncEngine  # noqa: F811
) -> None:
    victims = await _book(gateway, VICTIM, "victim-2")
    await _book(gateway, {"name": "Mallory", "phone": VICTIM["phone"],
                          "email": ATTACKER_EMAIL}, "attacker-2", offset=3)
    token = await _token_for(gateway, engine, VICTIM["phone"])
    assert token is not None
    mine = await _call(gateway, "GET", "/api/v1/me/appointments", 200,
                       headers={"Authorization": f"Bearer {token}"})
    assert victims["appointment"]["id"] in {a["id"] for a in mine["items"]}
    proved = (await _profile(engine, VICTIM["phone"]))[0]
    assert proved.phone_verified_at is not None and proved.email is None  # unproved: dropped


async def test_a_squatted_profile_does_not_capture_the_real_owner(
    gateway: Client, engine: AsyncEngine  # noqa: F811
) -> None:
    """The attacker books first with the victim's phone and their own e-mail; the victim's
    later booking must not be readable by the attacker's proved e-mail."""
    await _book(gateway, {"name": "Mallory", "phone": VICTIM["phone"],
                          "email": ATTACKER_EMAIL}, "squat-1")
    victims = await _book(gateway, VICTIM, "squat-2", offset=3)
    token = await _token_for(gateway, engine, ATTACKER_EMAIL)
    assert token is not None
    bearer = {"Authorization": f"Bearer {token}"}
    mine = await _call(gateway, "GET", "/api/v1/me/appointments", 200, headers=bearer)
    assert victims["appointment"]["id"] not in {a["id"] for a in mine["items"]}
    email, _ = await _notice_address(engine, victims["appointment"]["id"])
    assert email == VICTIM["email"]


async def test_a_proved_customer_may_update_their_own_details(
    gateway: Client, engine: AsyncEngine  # noqa: F811
) -> None:
    await _book(gateway, VICTIM, "own-1")
    token = await _token_for(gateway, engine, VICTIM["email"])
    assert token is not None
    renamed = {**VICTIM, "name": "Vera V. Smith"}
    await _book(gateway, renamed, "own-2", offset=3, Authorization=f"Bearer {token}")
    profile = (await _profile(engine, VICTIM["phone"], VICTIM["email"]))[0]
    assert profile.name == "Vera V. Smith" and profile.email == VICTIM["email"]


async def test_a_refused_booking_leaves_no_profile_behind(
    gateway: Client, engine: AsyncEngine  # noqa: F811
) -> None:
    first = await _book(gateway, VICTIM, "refused-1")
    start = first["appointment"]["start"]
    taken = {"service_id": first["appointment"]["service_id"], "start": start,
             "staff_id": first["appointment"]["staff_id"],
             "customer": {"name": "Newcomer", "phone": "+15550007999"}}
    await _call(gateway, "POST", "/api/v1/appointments", 409, json=taken,
                headers={"Idempotency-Key": "refused-2"})
    assert await _profile(engine, "+15550007999") == []


async def test_a_web_sender_cannot_pose_as_a_texting_number(
    gateway: Client  # noqa: F811,
) -> None:
    for sender in (f"sms:{VICTIM['phone']}", f"voice:{VICTIM['phone']}"):
        response = await gateway.post("/chat", json={"sender": sender, "message": "my bookings"})
        assert response.status == 422


async def _chat_book(catalog: Catalog, sender: str, name: str, phone: str, email: str,
                     offset: int, slots: dict[str, Any] | None = None) -> dict[str, Any]:
    """ActionBook as Rasa calls it once the form has everything and the customer said yes."""
    service = next(s for s in catalog.services if s.name == "Men's cut")
    start = datetime.now(UTC) + timedelta(days=3)
    search = SlotSearch(catalog.business.id, service.id, start, start + timedelta(days=5),
                        count=8)
    slot = (await find_slots(runtime.uow(), search, datetime.now(UTC)))[offset]
    values = {"service": str(service.id), "customer_name": name, "phone": phone,
              "email": email, "booking_confirmed": True,
              "slot_choice": {"start": slot.slot.start.isoformat(),
                              "staff_id": str(slot.staff_id)}, **(slots or {})}
    events = await ActionBook().run(CollectingDispatcher(), tracker(slots=values, sender=sender),
                                    {})
    return slots_of(events)


async def test_chat_booking_with_a_victims_phone_changes_nothing_and_opens_nothing(
    salon: Catalog, engine: AsyncEngine  # noqa: F811
) -> None:
    await _chat_book(salon, "web-victim", VICTIM["name"], VICTIM["phone"], VICTIM["email"], 0)
    after = await _chat_book(salon, "web-attacker", "Mallory", VICTIM["phone"],
                             ATTACKER_EMAIL, 4)
    profile = (await _profile(engine, VICTIM["phone"]))[0]
    assert (profile.name, profile.email) == (VICTIM["name"], VICTIM["email"])
    # an anonymous web booking does not make the conversation "the customer": listing or
    # cancelling still needs a one-time code
    assert "customer_id" not in after


async def test_a_texting_number_proves_itself_in_chat(
    salon: Catalog, engine: AsyncEngine  # noqa: F811
) -> None:
    caller = "+15550007333"
    after = await _chat_book(salon, f"sms:{caller}", "Sam Texter", caller, "sam@example.com", 1)
    profile = (await _profile(engine, caller))[0]
    assert profile.phone_verified_at is not None
    assert after["customer_id"] == str(profile.id)
