"""What each message says: local times across DST, links, .ics, SMS length."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from assistant.notifications import links
from assistant.notifications.render import GSM7, SMS_LIMIT, Renderer, gsm7
from tests.booking.booking_builders import NOW, ny
from tests.notifications.conftest import BASE_URL, SECRET
from tests.notifications.messages import audience, payload

RENDERER = Renderer(SECRET, BASE_URL)
CUSTOMER_KINDS = ("confirmation", "reminder", "cancellation", "reschedule", "waitlist_offer",
                  "no_show")


def token_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["token"][0]


def event_of(ics: bytes | None) -> tuple[Calendar, object]:
    assert ics is not None
    calendar = Calendar.from_ical(ics)
    return calendar, calendar.walk("VEVENT")[0]


def test_times_are_in_the_customers_zone_on_both_sides_of_dst() -> None:
    # US clocks moved on 14 March 2027, UK clocks on 28 March: 10:00 in New York is 14:00
    # in London in between, and 15:00 after both moved.
    between = RENDERER.render("confirmation", payload(ny(3, 15, 10)), audience(), NOW)
    after = RENDERER.render("confirmation", payload(ny(3, 29, 10)), audience(), NOW)
    assert "Monday, March 15, 2027 at 2 PM GMT" in between.text
    assert "Monday, March 29, 2027 at 3 PM BST" in after.text
    assert "Mon, Mar 15, 2 PM (GMT)" in (between.sms or "")  # not the salon's zone: named
    new_york = RENDERER.render("confirmation", payload(ny(3, 15, 10)),
                               audience("America/New_York"), NOW)
    assert "Monday, March 15, 2027 at 10 AM EDT" in new_york.text
    assert "Mon, Mar 15, 10 AM." in (new_york.sms or "")  # the salon's own zone: no note


def test_confirmation_has_business_policy_links_and_ics() -> None:
    data = payload(ny(3, 15, 10))
    rendered = RENDERER.render("confirmation", data, audience(), NOW)
    for expected in ("Salon Lumière", "+15550001111", "owner@salon.example", "1 Main St",
                     "Free cancellation up to 24 hours before", "cost $25.",
                     "calendar.google.com", "outlook.live.com"):
        assert expected in rendered.text and expected in rendered.html
    assert rendered.subject == "Booked at Salon Lumière: Cut on Monday, March 15, 2027 at 2 PM GMT"
    reschedule = next(w for w in rendered.text.split() if "/appointments/reschedule?" in w)
    appointment = UUID(data["appointment_id"])
    assert links.verify(SECRET, token_of(reschedule), "reschedule", NOW) == appointment
    calendar, event = event_of(rendered.ics)
    assert calendar["METHOD"] == "REQUEST"
    assert event.decoded("DTSTART") == ny(3, 15, 10).astimezone(UTC)
    assert event["SEQUENCE"] == 0 and event["UID"] == f"{appointment}@booking-assistant"


def test_calendar_links_carry_utc_times() -> None:
    rendered = RENDERER.render("confirmation", payload(ny(3, 15, 10)), audience(), NOW)
    google = next(w for w in rendered.text.split() if "calendar.google.com" in w)
    outlook = next(w for w in rendered.text.split() if "outlook.live.com" in w)
    assert parse_qs(urlparse(google).query)["dates"] == ["20270315T140000Z/20270315T144500Z"]
    assert parse_qs(urlparse(outlook).query)["startdt"] == ["2027-03-15T14:00:00Z"]


def test_reschedule_updates_the_same_event_with_a_higher_sequence() -> None:
    chain = uuid4()
    data = payload(ny(3, 16, 11), previous_start=ny(3, 15, 10).isoformat())
    rendered = RENDERER.render("reschedule", data, audience(chain=chain, sequence=2), NOW)
    assert ("moved from Monday, March 15, 2027 at 2 PM GMT to Tuesday, March 16, 2027 at 3 PM "
            "GMT") in rendered.text
    calendar, event = event_of(rendered.ics)
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"{chain}@booking-assistant" and event["SEQUENCE"] == 2
    assert event.decoded("DTSTART") == ny(3, 16, 11).astimezone(UTC)


def test_cancellation_states_reason_fee_refund_and_cancels_the_event() -> None:
    chain = uuid4()
    data = payload(ny(3, 15, 10), by="customer", reason="feeling unwell", fee="25.00",
                   refund="35.00", offer_new_times=False)
    rendered = RENDERER.render("cancellation", data, audience(chain=chain, sequence=1), NOW)
    assert "reason: feeling unwell" in rendered.text
    assert "fee of $25 applies" in rendered.text and "refunding $35;" in rendered.text
    assert "Fee: $25. Refund: $35." in (rendered.sms or "")
    calendar, event = event_of(rendered.ics)
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 2 and event["UID"] == f"{chain}@booking-assistant"


def test_owner_cancelling_asks_to_confirm_or_pick_another_time() -> None:
    data = payload(ny(3, 15, 10), by="owner", reason="Ana is ill", fee="0",
                   offer_new_times=True)
    rendered = RENDERER.render("cancellation", data, audience(), NOW)
    assert rendered.subject.startswith("Please choose a new time")
    confirm = next(w for w in rendered.text.split() if "/appointments/confirm?" in w)
    assert links.verify(SECRET, token_of(confirm), "confirm", NOW)
    assert "Pick another time" in rendered.text and "Ana is ill" in rendered.text


def test_waitlist_offer_names_its_deadline_and_a_claim_link() -> None:
    offer, deadline = uuid4(), NOW + timedelta(hours=2)
    data = payload(ny(3, 15, 10), offer_id=str(offer), expires_at=deadline.isoformat())
    rendered = RENDERER.render("waitlist_offer", data, audience(), NOW)
    assert "until Wednesday, March 10, 2027 at 2 PM GMT" in rendered.text
    claim = next(w for w in rendered.text.split() if "/appointments/claim?" in w)
    assert links.verify(SECRET, token_of(claim), "claim", NOW) == offer
    with pytest.raises(links.InvalidLink, match="expired"):
        links.verify(SECRET, token_of(claim), "claim", deadline)


def test_reminder_owner_notice_no_show_and_agenda() -> None:
    reminder = RENDERER.render("reminder", payload(ny(3, 15, 10), minutes_before=60),
                               audience(), NOW)
    assert reminder.subject.startswith("Reminder: Cut in 1 hour")
    notice = RENDERER.render("owner_notice", payload(ny(3, 15, 10), event="booked"),
                             audience("America/New_York", name="Salon Lumière"), NOW)
    assert notice.subject == "Booked: Cut with Ana, Monday, March 15, 2027 at 10 AM EDT"
    no_show = RENDERER.render("no_show", payload(ny(3, 15, 10)), audience(), NOW)
    assert "We missed you" in no_show.text
    items = [{"start": ny(3, 15, h).isoformat(), "service": "Cut", "customer": f"C{h}"}
             for h in (9, 14)]
    agenda = RENDERER.render("daily_agenda", {"business_id": "x", "day": "Monday 15 March",
                                              "items": items},
                             audience("America/New_York"), NOW)
    assert agenda.subject == "Your agenda for Monday 15 March: 2 appointments"
    assert "9 AM  Cut with C9" in agenda.text and "2 PM  Cut with C14" in agenda.text


@pytest.mark.parametrize("kind", CUSTOMER_KINDS)
def test_sms_fits_two_gsm7_segments_even_with_long_names(kind: str) -> None:
    long = "Extraordinarily Long Name " * 6
    data = payload(ny(3, 15, 10), service=long, staff=long, offer_id=str(uuid4()),
                   expires_at=(NOW + timedelta(hours=2)).isoformat(), reason=long, fee="25",
                   minutes_before=1440)
    rendered = RENDERER.render(kind, data, audience(name=long), NOW)
    assert rendered.sms is not None
    assert len(rendered.sms) <= SMS_LIMIT
    assert set(rendered.sms) <= GSM7
    assert ("http" in rendered.sms) is (kind != "cancellation")  # nothing left to manage


def test_gsm7_replaces_characters_that_would_force_ucs2() -> None:
    assert gsm7("It’s “Zoë’s” café — 10 €") == 'It\'s "Zoe\'s" café - 10 EUR'  # € is not GSM-7


def test_links_reject_tampering_other_actions_and_expiry() -> None:
    appointment = uuid4()
    expires = datetime(2027, 3, 15, 14, tzinfo=ZoneInfo("UTC"))
    token = links.sign(SECRET, appointment, "cancel", expires)
    assert links.verify(SECRET, token, "cancel", NOW) == appointment
    forged = token.replace("cancel", "reschedule")
    later = token.replace(str(int(expires.timestamp())), str(int(expires.timestamp()) + 86400))
    for bad, action in ((forged, "reschedule"), (later, "cancel"), (token + "x", "cancel"),
                        ("garbage", "cancel")):
        with pytest.raises(links.InvalidLink):
            links.verify(SECRET, bad, action, NOW)
    with pytest.raises(links.InvalidLink, match="not reschedule"):
        links.verify(SECRET, token, "reschedule", NOW)
    with pytest.raises(links.InvalidLink, match="expired"):
        links.verify(SECRET, token, "cancel", expires)
    with pytest.raises(links.InvalidLink):
        links.verify("another-key", token, "cancel", NOW)


def test_appointment_links_last_until_30_days_after_the_end() -> None:
    data = payload(ny(3, 15, 10), minutes=45)
    rendered = RENDERER.render("confirmation", data, audience(), NOW)
    cancel = token_of(next(w for w in rendered.text.split() if "/appointments/cancel?" in w))
    end = ny(3, 15, 10, 45)
    appointment = UUID(data["appointment_id"])
    assert links.verify(SECRET, cancel, "cancel", end + timedelta(days=29)) == appointment
    with pytest.raises(links.InvalidLink, match="expired"):
        links.verify(SECRET, cancel, "cancel", end + timedelta(days=30))


def test_the_sms_carries_the_short_link_and_the_email_the_full_ones() -> None:
    rendered = RENDERER.render("confirmation", payload(ny(3, 15, 10)), audience(), NOW,
                               short_code="Ab3dE5gh")
    assert (rendered.sms or "").endswith(f"Change or cancel: {BASE_URL}/a/Ab3dE5gh")
    assert "/a/" not in rendered.text and "/a/" not in rendered.html
    assert "/appointments/cancel?token=" in rendered.text


def test_no_show_offers_the_booking_page_for_the_same_service() -> None:
    service = uuid4()
    rendered = RENDERER.render("no_show", payload(ny(3, 15, 10)),
                               replace(audience(), service_id=service), NOW)
    assert (rendered.sms or "").endswith(f"Book again: {BASE_URL}/book/{service}")
    assert f'href="{BASE_URL}/book/{service}"' in rendered.html
    gone = RENDERER.render("no_show", payload(ny(3, 15, 10)), audience(), NOW)
    assert (gone.sms or "").endswith(f"Book again: {BASE_URL}/book")
