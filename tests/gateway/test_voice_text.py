"""What Twilio's <Say> reads: the chat's own replies (days, times and money as
`scheduling.formats` writes them) in words, with nothing a speech engine would spell out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from actions import speech
from actions.offer_value import Offer
from actions.zones import Zones
from assistant.gateway.voice_text import speakable, voice_text
from scheduling import formats
from scheduling.demo import demo_catalog, demo_id

CATALOG = demo_catalog()
NOW = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)
OFFERS = [Offer(datetime(2027, 3, 12, 20, 30, tzinfo=UTC), demo_id("staff/ana"), "when you asked"),
          Offer(datetime(2027, 3, 13, 14, 5, tzinfo=UTC), demo_id("staff/marcus"))]
SPEAKABLE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;'?!()-")


def test_the_chats_offers_are_read_as_people_say_them() -> None:
    listing = speech.offer_lines(OFFERS, CATALOG, Zones.of(CATALOG, None), NOW)
    said = voice_text([{"text": f"Here is what I have:\n{listing}"}], "USD")
    assert ("Friday, March 12th at 3 30 p.m. with Ana (when you asked): press 1 or say the "
            "first.") in said
    assert "Saturday, March 13th at 9 oh 5 a.m. with Marcus: press 2" in said
    assert set(said) <= SPEAKABLE, said


def test_a_customer_abroad_hears_their_zone_named() -> None:
    listing = speech.offer_lines(OFFERS[:1], CATALOG, Zones.of(CATALOG, "Europe/London"), NOW)
    assert "at 8 30 p.m. (GMT) with Ana" in voice_text([{"text": listing}], "USD")


def test_money_as_the_chat_writes_it_is_said_in_words() -> None:
    for amount, words in (("40", "40 dollars"), ("1", "1 dollar"), ("42.5", "42 dollars and 50 "
                          "cents"), ("1250", "1250 dollars")):
        assert speakable(f"It costs {formats.money(amount, 'USD')}.", "USD") == \
            f"It costs {words}."
    assert speakable(f"A {formats.money('42.50', 'EUR')} fee.", "EUR") == "A 42 euros 50 fee."
    assert speakable(f"A {formats.money('1', 'GBP')} fee.", "GBP") == "A 1 British pound fee."


def test_every_reply_a_booking_makes_is_speakable() -> None:
    """The service line, with price and deposit, for each service, in each currency."""
    for currency in ("USD", "EUR", "GBP", "CHF", "CAD"):
        for service in CATALOG.services:
            line = speech.service_line(service, currency)
            said = voice_text([{"text": line, "buttons": [{"title": line}]}], currency)
            assert set(said) <= SPEAKABLE, said
    minutes = speech.minutes(timedelta(minutes=90))
    assert voice_text([{"text": f"{minutes}, {formats.money(Decimal('0.5'), 'USD')}"}],
                      "USD") == "1 hour 30 minutes, 0 dollars and 50 cents"
