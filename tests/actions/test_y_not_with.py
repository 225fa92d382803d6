""""Not with Ana" refuses Ana: it is said back and no offer is hers (it used to be heard as
"with Ana"). Postgres: the offers come from the real engine."""

from __future__ import annotations

import pytest

from actions import parsing
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog, demo_id
from tests.actions.test_booking import CUT, offers_for, validate

pytestmark = [pytest.mark.db]

ANA = str(demo_id("staff/ana"))


@pytest.mark.parametrize("text", ["not with ana", "anyone but Ana please", "no ana",
                                  "a women's cut friday, I don't want Ana"])
def test_a_refused_person_is_not_the_person_asked_for(text: str) -> None:
    wish = parsing.match_staff(demo_catalog(), text)
    assert wish.staff is None and wish.refused is not None and wish.refused.name == "Ana"


def test_a_person_named_after_another_refusal_is_asked_for() -> None:
    wish = parsing.match_staff(demo_catalog(), "not friday, with ana")
    assert wish.staff is not None and wish.staff.name == "Ana" and wish.refused is None


async def test_not_with_ana_is_said_and_none_of_the_offers_is_hers(salon: Catalog) -> None:
    slots = {"service": CUT, "staff": ANA, "when": "earliest"}
    offers = await offers_for(**slots)
    assert {o["staff_id"] for o in offers} == {ANA}
    found, said = await validate("not with ana", requested="slot_choice", suggestions=offers,
                                 **slots)
    assert said == "OK, not with Ana."
    assert parsing.staff_refused(found["staff"]) == demo_id("staff/ana")
    assert found["suggestions"] is None  # other people, other times
    again = await offers_for(**{**slots, "staff": found["staff"]})
    assert again and ANA not in {o["staff_id"] for o in again}
    assert parsing.staff_wanted(found["staff"]) is None
