"""The catalog file, pure: export -> import -> export gives the same text and the same
`Catalog`; a file without ids gets the same ids on every read; a bad file is refused whole,
each problem named by line and field, checked by the domain's own rules."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from scheduling.booking.policies import BookingRules
from scheduling.catalog import Catalog
from scheduling.catalog_yaml.nodes import CatalogFileError
from scheduling.catalog_yaml.read import CatalogFile, derived_id, read_catalog, read_file
from scheduling.catalog_yaml.write import write_catalog
from scheduling.demo import demo_catalog
from scheduling.desk.setup.replace import Reminders
from scheduling.notifications.reminders import DEFAULT_OFFSETS

EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
SMALL = """\
business:
  name: Corner Barber
  time_zone: Europe/London
locations:
  - name: High Street
    hours:
      mon: 09:00-17:00
      sat: 10:00-14:00
staff:
  - name: Jo
    hours:
      mon: 09:00-17:00
    breaks:
      mon: 12:00-12:30
services:
  - name: Cut
    duration: 30 min
    price: "20.00"
    deposit: "5.00"
"""


def _round_trip(catalog: Catalog) -> None:
    text = write_catalog(catalog)
    again = read_catalog(text)
    assert again == catalog
    assert write_catalog(again) == text


def test_the_demo_round_trips_and_ships_as_exported() -> None:
    _round_trip(demo_catalog())
    as_seeded = write_catalog(demo_catalog(), BookingRules(), Reminders(DEFAULT_OFFSETS))
    assert (EXAMPLES / "demo-salon.yml").read_text() == as_seeded


def test_two_locations_in_two_zones_round_trip() -> None:
    catalog = read_catalog((EXAMPLES / "two-studios.yml").read_text())
    _round_trip(catalog)
    brooklyn, denver = catalog.business.locations
    assert (brooklyn.time_zone, denver.time_zone) == ("America/New_York", "America/Denver")
    assert catalog.staff[3].location_ids == {brooklyn.id, denver.id}
    assert catalog.find_service("Mat pilates").location_ids == {denver.id}
    assert catalog.find_service("yoga class").capacity == 12
    off = catalog.staff[0].time_off[0]
    assert off.start.isoformat() == "2027-02-15T07:00:00-05:00"


def test_the_documented_example_reads_and_round_trips() -> None:
    guide = (EXAMPLES.parent / "catalog-yaml.md").read_text()
    example = guide.split("```yaml\n")[1].split("```")[0]
    catalog = read_catalog(example)
    _round_trip(catalog)
    assert [m.name for m in catalog.staff] == ["Jo", "Sam"]
    assert catalog.business.policies.currency == "GBP"


def test_a_file_without_ids_gets_the_same_ids_every_time() -> None:
    first, second = read_catalog(SMALL), read_catalog(SMALL)
    assert first == second
    business_id = derived_id("business", "Corner Barber")
    assert first.business.id == business_id
    assert first.services[0].id == derived_id("service", "cut", business_id)
    assert first.staff[0].location_ids == {first.business.locations[0].id}
    renamed = read_catalog(SMALL.replace("name: Jo", "name: JO"))
    assert renamed.staff[0].id == first.staff[0].id  # names compare as the bot compares them


def test_what_a_file_leaves_out_takes_the_domain_defaults() -> None:
    cut = read_catalog(SMALL).services[0]
    assert cut == replace(cut, slot_interval=cut.slot_interval)  # a Service, validated
    assert (cut.capacity, cut.max_advance_days, str(cut.min_notice)) == (1, 60, "1:00:00")


def _problems(text: str) -> list[str]:
    with pytest.raises(CatalogFileError) as refused:
        read_catalog(text)
    return refused.value.lines("shop.yml")


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("duration: 30 min", "duration: -5 min",
     'shop.yml:17: services[0].duration: "-5 min" is not a positive duration'),
    ("duration: 30 min", "duration: 30",
     'shop.yml:17: services[0].duration: "30" is not a duration like "45 min", "1h30" or "2h"'),
    ("time_zone: Europe/London", "time_zone: Europe/Londn",
     "shop.yml:3: business.time_zone: unknown time zone 'Europe/Londn'"),
    ("breaks:\n      mon: 12:00-12:30", "breaks:\n      mon: 12:00-12:30, 12:15-13:00",
     "shop.yml:14: staff[0].breaks.mon: mon 12:00-12:30 overlaps 12:15-13:00"),
    ("sat: 10:00-14:00", "sat: 22:00-02:00",
     "shop.yml:8: locations[0].hours.sat: \"22:00-02:00\" is not hours like \"09:00-17:00\": "
     "span 22:00:00-02:00:00 ends before it starts"),
    ("    price:", "    colour: blue\n    price:",
     "shop.yml:18: services[0].colour: unknown key 'colour' (known: id, name, category, "
     "aliases, duration, price, deposit, deposit_for, card_required, buffer_before, buffer_after, "
     "slot_interval, capacity, min_participants, max_participants, skills, location_type, "
     "locations, min_notice, max_advance_days, cancellation, reminders)"),
    ("  - name: Jo\n", "  - name: Jo\n    locations: [Low Street]\n",
     "shop.yml:11: staff[0].locations: no location named 'Low Street'"),
    ("sat: 10:00-14:00", "sat: 10:00-14:00\n      sun: 10:00-12:00\n      sun: 11:00-13:00",
     "shop.yml:10: locations[0].hours.sun: appears twice"),
    ("    hours:\n      mon: 09:00-17:00\n    breaks", "    breaks",
     "shop.yml:10: staff[0]: hours is missing"),
    ("  - name: Cut", "  - name: Cut\n    id: 1234",
     'shop.yml:17: services[0].id: "1234" is not an id (a UUID); leave it out to derive one'),
    ("duration: 30 min", "duration: 99999999999999999999 min",
     'shop.yml:17: services[0].duration: "99999999999999999999 min" is longer than a year'),
    ("  - name: Cut", "  - name: Cut\n    capacity: 9999999999",
     'shop.yml:17: services[0].capacity: "9999999999" is not a whole number up to 100000'),
    ("price: \"20.00\"", "price: twenty",
     'shop.yml:18: services[0].price: "twenty" is not an amount like "40.00"'),
    ("  - name: Jo\n", "  - name: Jo\n    time_off:\n      - {from: 2027-01-02 10:00, "
     "to: 2027-01-02 09:00}\n",
     "shop.yml:12: staff[0].time_off[0]: an interval must end after it starts"),
])
def test_a_bad_file_names_the_line_and_the_field(old: str, new: str, problem: str) -> None:
    assert old in SMALL
    assert _problems(SMALL.replace(old, new, 1)) == [problem]


def test_rules_and_reminders_round_trip_and_are_none_when_the_file_leaves_them_out() -> None:
    hour = timedelta(hours=1)
    rules = BookingRules(require_approval=True, hold_ttl=10 * hour / 60, max_per_contact_day=2)
    reminders = Reminders((48 * hour, 2 * hour), {"Cut": (3 * hour,)})
    text = write_catalog(read_catalog(SMALL), rules, reminders)
    assert "booking_rules:\n  require_approval: 'yes'\n  hold_ttl: 10 min\n" in text
    read = read_file(text)
    assert (read.rules, read.reminders) == (rules, reminders)
    assert write_catalog(read.catalog, read.rules, read.reminders) == text
    assert read_file(SMALL) == CatalogFile(read_catalog(SMALL))
    assert "booking_rules: {}" in write_catalog(read.catalog, BookingRules())
    alone = read_file(SMALL.replace('deposit: "5.00"', 'deposit: "5.00"\n    reminders: 2h'))
    assert alone.reminders == Reminders(DEFAULT_OFFSETS, {"Cut": (2 * hour,)})


@pytest.mark.parametrize(("added", "problem"), [
    ("booking_rules:\n  require_approval: maybe\n",
     'shop.yml:21: booking_rules.require_approval: "maybe" is not yes or no'),
    ("booking_rules:\n  max_active_per_customer: 0\n",
     "shop.yml:21: booking_rules: a customer must be allowed at least one booking"),
    ("booking_rules:\n  hold: 5 min\n", "shop.yml:21: booking_rules.hold: unknown key 'hold' "
     "(known: max_active_per_customer, require_approval, hold_ttl, claim_window, "
     "no_show_grace, payment_window, max_per_contact_day, max_per_contact_week, "
     "max_live_holds_per_customer)"),
    ("    reminders: [24h, 0 min]\n",
     "shop.yml:20: services[0].reminders[1]: a reminder must come some time before the "
     "appointment"),
])
def test_bad_rules_and_reminders(added: str, problem: str) -> None:
    assert _problems(SMALL + added) == [problem]


@pytest.mark.parametrize(("old", "new", "entry", "field", "problem"), [
    ('deposit: "5.00"', 'deposit: "25.00"', "shop.yml:16: services[0]",
     "shop.yml:19: services[0].deposit", "Cut: deposit must lie between 0 and the price"),
    ("  - name: Cut", "  - name: Cut\n    max_participants: 3", "shop.yml:16: services[0]",
     "shop.yml:17: services[0].max_participants",
     "Cut: need 1 <= min <= max participants <= capacity"),
    ("    hours:\n      mon: 09:00-17:00\n    breaks",
     "    hours:\n      mon: 09:00-17:00\n    max_bookings_per_day: 0\n    breaks",
     "shop.yml:10: staff[0]", "shop.yml:13: staff[0].max_bookings_per_day",
     "max bookings per day must be at least 1"),
])
def test_the_domains_refusal_names_the_field_it_names_else_the_entry(
    old: str, new: str, entry: str, field: str, problem: str
) -> None:
    """The catalog's constructors check these; where one names its field, so does the file."""
    assert _problems(SMALL.replace(old, new, 1)) in (
        [f"{entry}: {problem}"], [f"{field}: {problem}"])


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    text = (SMALL.replace("Europe/London", "Mars/Olympus")
            .replace("mon: 09:00-17:00\n    breaks", "mon: 9am\n    breaks")
            .replace("30 min", "-5 min"))
    assert [line.split(": ")[0] for line in _problems(text)] == [
        "shop.yml:3", "shop.yml:12", "shop.yml:17"]


@pytest.mark.parametrize(("text", "problem"), [
    ("", "shop.yml:1: the file is empty"),
    ("business: [\n",
     "shop.yml:2: not valid YAML: expected the node content, but found '<stream end>'"),
    ("- a list\n", "shop.yml:1: expected a mapping with business, locations"),
    ("business:\n  name: X\n", "shop.yml:1: locations is missing"),
    ("a: 1\n---\nb: 2\n", "shop.yml:2: not valid YAML: but found another document"),
    ("business:\nlocations:\n", "shop.yml:1: business: needs a name and a time_zone"),
    ("business:\n  name: \x07\n",
     "shop.yml:2: not valid YAML: special characters are not allowed (character 18)"),
    ("business: {name: X, time_zone: UTC}\nlocations: []\n",
     "shop.yml:2: locations: needs at least one location"),
])
def test_a_file_that_is_no_catalog_at_all(text: str, problem: str) -> None:
    assert _problems(text)[0] == problem


def test_two_entries_of_one_name_or_id_are_refused() -> None:
    twice = SMALL.replace("staff:", "  - name: High Street\n    hours: {}\nstaff:")
    assert "shop.yml:9: locations[1]: a second location named 'High Street'" in _problems(twice)
    second = "  - name: the cut\n    duration: 1h\n    price: '1.00'\n"
    assert _problems(SMALL + second) == ["shop.yml:20: services[1]: a second service named "
                                         "'the cut'"]
    catalog = read_catalog(SMALL)
    same_id = f"  - name: Other\n    id: {catalog.services[0].id}\n    duration: 1h\n" \
              "    price: '1.00'\n"
    assert _problems(SMALL + same_id) == [
        f"shop.yml:20: services[1]: id {catalog.services[0].id} is used twice"]
