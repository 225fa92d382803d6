"""Dates, times and money as every channel shows them: chat, voice, SMS, e-mail and the pages.

One module, so "3:30 PM" in the chat is "3:30 PM" in the SMS and on the manage page (before
it, chat said "3:30 pm" while SMS said "15:30"). Babel supplies the locale data (CLDR): the
order of day and month, 12- or 24-hour clocks, currency symbols, the words for weekdays. Only
"today" and "tomorrow" are ours, as CLDR has no short relative-day words for every locale.

Text meant for SMS must stay in the GSM-7 alphabet, so the narrow and non-breaking spaces CLDR
puts before "PM" or inside "40,00 €" are replaced by plain spaces everywhere: one rule, and the
same text on every channel.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, get_time_format, match_skeleton
from babel.numbers import format_currency, get_currency_precision

from scheduling.errors import InvalidRequest

DEFAULT_LOCALE = "en_US"
RELATIVE_DAYS = {"en": ("today", "tomorrow"), "es": ("hoy", "mañana")}
"""The words for the two nearest days, by language; other languages get the date itself."""
_SPACES = str.maketrans({"\u202f": " ", "\u00a0": " ", "\u2009": " "})


@lru_cache(maxsize=32)
def locale_of(tag: str) -> Locale:
    """A Babel locale for "en_US", "es", "es-MX"…; InvalidRequest for one CLDR does not know."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        raise InvalidRequest(f"unknown locale {tag!r}", field="locale") from None


@lru_cache(maxsize=32)
def _twelve_hour(tag: str) -> bool:
    return "h" in get_time_format("short", locale=locale_of(tag)).pattern


@lru_cache(maxsize=32)
def _full_weekday(tag: str) -> str:
    """The locale's "weekday, month day" pattern with the weekday written out: CLDR has
    only the abbreviated form ("Fri, March 12")."""
    found = locale_of(tag)
    pattern = str(found.datetime_skeletons[match_skeleton("MMMMEd", found.datetime_skeletons)])
    return re.sub(r"(?<!E)E{1,3}(?!E)", "EEEE", pattern)


def _plain(text: str) -> str:
    return text.translate(_SPACES)


def clock(moment: datetime, zone: ZoneInfo, locale: str = DEFAULT_LOCALE) -> str:
    """"3 PM", "9:30 AM" (12-hour locales) or "15:00" (24-hour ones), in `zone`."""
    local = moment.astimezone(zone)
    if _twelve_hour(locale):
        skeleton = "hm" if local.minute else "h"
    else:
        skeleton = "Hm"
    return _plain(format_skeleton(skeleton, local, locale=locale_of(locale)))


def day(moment: datetime, zone: ZoneInfo, locale: str = DEFAULT_LOCALE,
        now: datetime | None = None) -> str:
    """"Friday, March 12"; "today" or "tomorrow" when `now` is given and the day is that near."""
    local = moment.astimezone(zone)
    words = RELATIVE_DAYS.get(locale_of(locale).language)
    if now is not None and words is not None:
        ahead = (local.date() - now.astimezone(zone).date()).days
        if ahead in (0, 1):
            return words[ahead]
    return _plain(format_date(local, _full_weekday(locale), locale=locale_of(locale)))


def day_and_time(moment: datetime, zone: ZoneInfo, locale: str = DEFAULT_LOCALE,
                 now: datetime | None = None) -> str:
    """"Friday, March 12 at 3:30 PM", as chat and voice say it ("today at 3 PM" when near)."""
    joiner = " a las " if locale_of(locale).language == "es" else " at "
    return f"{day(moment, zone, locale, now)}{joiner}{clock(moment, zone, locale)}"


def long_when(moment: datetime, zone: ZoneInfo, locale: str = DEFAULT_LOCALE) -> str:
    """"Friday, March 12, 2027 at 3:30 PM EST": e-mails and pages, with the year and the zone."""
    local = moment.astimezone(zone)
    date = _plain(format_date(local, "full", locale=locale_of(locale)))
    joiner = " a las " if locale_of(locale).language == "es" else " at "
    return f"{date}{joiner}{clock(moment, zone, locale)} {local.tzname()}"


def short_when(moment: datetime, zone: ZoneInfo, locale: str = DEFAULT_LOCALE) -> str:
    """"Fri, Mar 12, 3:30 PM": SMS, where every character counts."""
    local = moment.astimezone(zone)
    date = _plain(format_skeleton("MMMEd", local, locale=locale_of(locale)))
    return f"{date}, {clock(moment, zone, locale)}"


def zone_note(moment: datetime, zone: ZoneInfo, business_zone: ZoneInfo) -> str:
    """" (EST)" when the customer's zone reads the time differently from the business's, so
    a time shown in the customer's zone is never mistaken for the shop's; "" otherwise."""
    mine, theirs = moment.astimezone(zone), moment.astimezone(business_zone)
    if mine.utcoffset() == theirs.utcoffset():
        return ""
    return f" ({mine.tzname()})"


def minor_unit(currency: str) -> Decimal:
    """The currency's smallest amount (0.01 for USD, 1 for JPY): what a computed deposit
    is rounded to."""
    return Decimal(1).scaleb(-get_currency_precision(currency))


def money(amount: Decimal | int | str | None, currency: str,
          locale: str = DEFAULT_LOCALE) -> str:
    """"$40", "$42.50", "40 €": whole amounts without cents, as people write prices."""
    value = Decimal(amount or 0)
    whole = value == value.to_integral_value()
    pattern = None
    if whole:
        standard = locale_of(locale).currency_formats["standard"].pattern
        pattern = standard.split(";")[0].replace(".00", "").replace(",00", "")
    return _plain(format_currency(value, currency, format=pattern, locale=locale_of(locale),
                                  currency_digits=not whole))


def weekday(moment: datetime, zone: ZoneInfo, locale: str = DEFAULT_LOCALE) -> str:
    """"Friday", the day's name alone: why an offer suits ("on a Friday, as you like")."""
    return _plain(format_date(moment.astimezone(zone), "EEEE", locale=locale_of(locale)))
