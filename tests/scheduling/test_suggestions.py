"""Staff assignment, learned patterns and suggestions on the demo salon."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from catalog_builders import at

from scheduling.assignment import StaffReason, StaffWish, Workload, assign
from scheduling.availability import AvailabilityQuery
from scheduling.catalog import Catalog, Customer, CustomerPreferences, TimeOfDay
from scheduling.demo import demo_catalog, demo_id
from scheduling.errors import PolicyViolation
from scheduling.occupancy import BookedInterval
from scheduling.patterns import AppointmentRecord, AppointmentStatus, PatternModel
from scheduling.suggestions import ReasonCode, SuggestionRequest, suggest

NY = "America/New_York"
ANA, MARCUS, PRIYA = (demo_id(f"staff/{name}") for name in ("ana", "marcus", "priya"))
NOW = at(NY, 2026, 11, 20, 9)  # a Friday; the week after is Mon 23 ... Sat 28


@pytest.fixture
def salon() -> Catalog:
    return demo_catalog()


def cut(salon: Catalog) -> UUID:
    return salon.find_service("haircut").id


def booked(staff_id: UUID, day: int, hour: int, minute: int = 0, length: int = 45
           ) -> BookedInterval:
    start = at(NY, 2026, 11, day, hour, minute)
    return BookedInterval(staff_id, start, start + timedelta(minutes=length))


def week(salon: Catalog, staff_id: UUID | None = None) -> AvailabilityQuery:
    return AvailabilityQuery(cut(salon), NOW, NOW + timedelta(days=8), NOW, staff_id=staff_id)


def test_assignment_prefers_the_lightest_day_then_the_longest_wait(salon: Catalog) -> None:
    workload = Workload([booked(ANA, 25, 9), booked(PRIYA, 25, 11), booked(PRIYA, 24, 9)],
                        salon.location(salon.business.locations[0].id).zone)
    team = [salon.staff_member(i) for i in (ANA, MARCUS, PRIYA)]
    chosen = assign(team, at(NY, 2026, 11, 25, 14), workload, StaffWish())
    assert chosen.staff_id == MARCUS
    assert chosen.reasons[-1] is StaffReason.FEWEST_BOOKINGS
    pair = assign(team[::2], at(NY, 2026, 11, 25, 14), workload, StaffWish())
    assert pair.staff_id == ANA and pair.reasons[-1] is StaffReason.LEAST_RECENT
    assert "longest" in pair.explanation


def test_assignment_honours_a_favourite_and_is_deterministic(salon: Catalog) -> None:
    team = [salon.staff_member(i) for i in (ANA, MARCUS, PRIYA)]
    workload = Workload([], salon.business.zone)
    when = at(NY, 2026, 11, 25, 14)
    assert assign(team, when, workload, StaffWish(favourites=frozenset({PRIYA}))).staff_id == PRIYA
    tie = assign(team, when, workload, StaffWish())
    assert (tie.staff_id, tie.reasons[-1]) == (ANA, StaffReason.TIE_BREAK)
    assert assign(list(reversed(team)), when, workload, StaffWish()) == tie


def test_asking_for_staff_without_the_skill_is_refused(salon: Catalog) -> None:
    colour = salon.find_service("colour")
    query = AvailabilityQuery(colour.id, NOW, NOW + timedelta(days=3), NOW, staff_id=MARCUS)
    with pytest.raises(PolicyViolation, match="Marcus does not do Colour"):
        suggest(salon, SuggestionRequest(query))


def test_pattern_model_learns_and_round_trips() -> None:
    records = [
        AppointmentRecord(at(NY, 2026, 10, d, 10, 30), NY, AppointmentStatus.COMPLETED, ANA)
        for d in (6, 13, 20)  # Tuesdays
    ] + [
        AppointmentRecord(at(NY, 2026, 10, 22, 16), NY, AppointmentStatus.BOOKED, MARCUS),
        AppointmentRecord(at(NY, 2026, 10, 23, 8), NY, AppointmentStatus.CANCELLED, MARCUS),
    ]
    model = PatternModel().learn(records)
    top = [(h.weekday, h.hour, h.weight) for h in model.top_hours(2)]
    assert top == [(1, 10, 3.0), (3, 16, 0.5)]
    assert str(model.top_hours(1)[0]) == "Tuesdays at 10:00"
    assert model.favourite_staff() == ANA
    assert model.affinity(at(NY, 2026, 12, 1, 10), ZoneInfo(NY)) == 1.0
    assert PatternModel.from_dict(model.as_dict()) == model


def test_suggest_closest_to_the_requested_time_with_reasons(salon: Catalog) -> None:
    wanted = at(NY, 2026, 11, 24, 15)  # Tuesday 3 pm
    taken = [booked(ANA, 24, 14, 45, 60), booked(MARCUS, 24, 14, 30, 60)]
    request = SuggestionRequest(week(salon), preferred_start=wanted)
    best = suggest(salon, request, 3, taken)
    assert [s.slot.start.astimezone(wanted.tzinfo).strftime("%a %H:%M") for s in best] == [
        "Tue 15:30", "Tue 14:00", "Tue 16:15"]
    assert best[0].reasons[0].code is ReasonCode.CLOSE_TO_REQUEST
    assert best[0].reasons[0].text == "30 min after 3 PM"


def test_reasons_read_the_clock_in_the_customers_zone(salon: Catalog) -> None:
    """A customer in London who asked for 3 PM their time hears "3 PM", not the salon's 10 AM."""
    customer = Customer(demo_id("customer/ines"), "Inés", time_zone="Europe/London",
                        preferences=CustomerPreferences(weekdays=frozenset({1})))
    wanted = at("Europe/London", 2026, 11, 24, 15)  # Tuesday 10 AM in New York
    request = SuggestionRequest(week(salon), preferred_start=wanted, customer=customer)
    texts = [r.text for r in suggest(salon, request, 1)[0].reasons]
    assert texts[:2] == ["at 3 PM, as you asked", "on a Tuesday, as you like"]


def test_a_time_asked_on_a_closed_day_is_offered_at_that_time_the_next_days(
    salon: Catalog,
) -> None:
    wanted = at(NY, 2026, 11, 22, 16)  # Sunday 4 pm: the salon is closed on Sundays
    request = SuggestionRequest(week(salon), preferred_start=wanted)
    best = suggest(salon, request, 3)
    # 4 pm on the nearest open days, either side (Saturday closes too early for a cut at 4)
    assert [s.slot.start.astimezone(wanted.tzinfo).strftime("%a %d %H:%M") for s in best] == [
        "Mon 23 16:00", "Fri 20 16:00", "Tue 24 16:00"]


def test_suggest_in_a_window_prefers_stated_and_learned_preferences(salon: Catalog) -> None:
    customer = Customer(
        demo_id("customer/lucia"), "Lucía", phone="+13475550199",
        preferences=CustomerPreferences(times_of_day=frozenset({TimeOfDay.AFTERNOON}),
                                        staff_ids=frozenset({ANA}), language="es"),
    )
    history = PatternModel().learn(
        AppointmentRecord(at(NY, 2026, 10, d, 16), NY, AppointmentStatus.COMPLETED, ANA)
        for d in (7, 14, 21)  # Wednesdays at 4 pm
    )
    request = SuggestionRequest(
        week(salon), at(NY, 2026, 11, 25, 12), at(NY, 2026, 11, 25, 18), customer, history,
    )
    best = suggest(salon, request, 2)
    top = best[0]
    assert top.staff_id == ANA
    assert top.slot.start == at(NY, 2026, 11, 25, 16)
    codes = {r.code for r in top.reasons}
    assert {ReasonCode.IN_REQUESTED_WINDOW, ReasonCode.USUAL_TIME, ReasonCode.PREFERRED_STAFF,
            ReasonCode.USUAL_STAFF, ReasonCode.PREFERRED_TIME_OF_DAY} <= codes
    assert "your usual time" in [r.text for r in top.reasons]
    assert abs(best[1].slot.start - top.slot.start) >= timedelta(minutes=45)


def test_suggest_without_preferences_offers_the_earliest(salon: Catalog) -> None:
    best = suggest(salon, SuggestionRequest(week(salon)), 1)
    assert best[0].slot.start == at(NY, 2026, 11, 20, 10)
    assert best[0].reasons[0].code is ReasonCode.EARLIEST


def test_back_to_back_is_penalised(salon: Catalog) -> None:
    wanted = at(NY, 2026, 11, 24, 11)
    request = SuggestionRequest(week(salon, staff_id=ANA), preferred_start=wanted)
    [tight] = [s for s in suggest(salon, request, 5, [booked(ANA, 24, 11, 45)])
               if s.slot.start == at(NY, 2026, 11, 24, 11)]
    assert ReasonCode.BACK_TO_BACK in {r.code for r in tight.reasons}
