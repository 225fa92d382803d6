"""One way to write dates, times and money, in any locale CLDR knows, safe for GSM-7 SMS."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling import formats
from scheduling.errors import InvalidRequest

NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")
AFTERNOON = datetime(2027, 3, 12, 20, 30, tzinfo=UTC)  # 3:30 PM in New York
GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRS"
           "TUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")


def test_english_reads_as_people_write_it() -> None:
    assert formats.clock(AFTERNOON, NEW_YORK) == "3:30 PM"
    assert formats.clock(AFTERNOON.replace(minute=0), NEW_YORK) == "3 PM"
    assert formats.day(AFTERNOON, NEW_YORK) == "Friday, March 12"
    assert formats.day_and_time(AFTERNOON, NEW_YORK) == "Friday, March 12 at 3:30 PM"
    assert formats.long_when(AFTERNOON, NEW_YORK) == "Friday, March 12, 2027 at 3:30 PM EST"
    assert formats.short_when(AFTERNOON, NEW_YORK) == "Fri, Mar 12, 3:30 PM"
    assert formats.money(Decimal("40.00"), "USD") == "$40"
    assert formats.money("42.5", "USD") == "$42.50"


def test_the_locale_decides_clock_order_and_currency() -> None:
    assert formats.clock(AFTERNOON, NEW_YORK, "en_GB") == "15:30"
    assert formats.day(AFTERNOON, NEW_YORK, "en_GB") == "Friday 12 March"
    assert formats.day_and_time(AFTERNOON, NEW_YORK, "es") == "viernes, 12 de marzo a las 15:30"
    assert formats.money("42.5", "EUR", "es") == "42,50 €"


def test_near_days_are_named() -> None:
    assert formats.day(AFTERNOON, NEW_YORK, now=AFTERNOON) == "today"
    day_before = AFTERNOON.replace(day=11)
    assert formats.day_and_time(AFTERNOON, NEW_YORK, now=day_before) == "tomorrow at 3:30 PM"
    assert formats.day(AFTERNOON, NEW_YORK, "es", now=day_before) == "mañana"


def test_the_zone_is_named_only_when_it_differs() -> None:
    assert formats.zone_note(AFTERNOON, LONDON, NEW_YORK) == " (GMT)"
    assert formats.zone_note(AFTERNOON, NEW_YORK, NEW_YORK) == ""


def test_an_unknown_locale_is_a_clear_error() -> None:
    with pytest.raises(InvalidRequest, match="unknown locale"):
        formats.clock(AFTERNOON, NEW_YORK, "xx_YY")


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                    timezones=st.just(UTC)),
       st.sampled_from(["en_US", "en_GB", "en_AU"]),
       st.decimals(min_value=0, max_value=100000, places=2))
def test_sms_text_stays_in_the_gsm7_alphabet(moment: datetime, locale: str,
                                             amount: Decimal) -> None:
    text = formats.short_when(moment, NEW_YORK, locale) + formats.money(amount, "USD", locale)
    assert set(text) <= GSM7, text


def test_a_weekday_alone_is_named_in_the_zone_and_locale() -> None:
    late = datetime(2027, 3, 13, 2, 0, tzinfo=UTC)  # Saturday in London, still Friday in New York
    assert formats.weekday(late, NEW_YORK) == "Friday"
    assert formats.weekday(late, LONDON) == "Saturday"
    assert formats.weekday(late, LONDON, "es") == "sábado"
