"""Reading services: "men's" never becomes "women's", a family named alone is asked about, and
several services are read in the order said."""

from __future__ import annotations

import pytest

from actions import parsing, service_words
from scheduling.demo import demo_catalog

CATALOG = demo_catalog()


def named(text: str, answering: bool = False) -> list[str]:
    return [s.name for s in service_words.read(CATALOG, text, answering).services]


@pytest.mark.parametrize(
    ("text", "service"),
    [("men's haircut", "Men's cut"), ("a man's haircut please", "Men's cut"),
     ("gents haircut tomorrow", "Men's cut"), ("a mens cut friday", "Men's cut"),
     ("sorry, I meant the women's cut", "Women's cut"), ("a womens haircut", "Women's cut"),
     ("ladies cut", "Women's cut"), ("men's cut", "Men's cut")],
)
def test_a_qualifier_names_its_own_service_never_the_other(text: str, service: str) -> None:
    assert named(text) == [service]


@pytest.mark.parametrize(
    "text", ["a haircut", "can I get a haircut with Ana next Tuesday afternoon?",
             "can I get a cut", "I'd like a trim"])
def test_a_cut_named_without_saying_whose_is_asked_about(text: str) -> None:
    reading = service_words.read(CATALOG, text)
    assert reading.services == ()
    assert service_words.which_question(reading.ambiguous) == "Women's cut or men's cut?"


def test_the_answer_to_which_one_may_be_the_qualifier_alone() -> None:
    assert named("men's", answering=True) == ["Men's cut"]
    assert named("the ladies one", answering=True) == ["Women's cut"]
    assert named("men's") == []  # said out of the blue, it is no service


def test_several_services_are_read_in_the_order_said() -> None:
    assert named("a men's cut and a beard trim") == ["Men's cut", "Beard trim"]
    assert named("beard tidy and a mens haircut at 3") == ["Beard trim", "Men's cut"]
    assert named("colour and a blow dry") == ["Colour", "Blow-dry"]


def test_nothing_of_ours_is_nothing() -> None:
    reading = service_words.read(CATALOG, "a pizza and a shortcut")
    assert reading.services == () and reading.ambiguous == ()


def test_a_cut_named_with_another_service_is_asked_about_and_the_other_kept() -> None:
    reading = service_words.read(CATALOG, "a haircut and a beard trim")
    assert [s.name for s in reading.services] == ["Beard trim"] and reading.first is None
    assert service_words.which_question(reading.ambiguous) == "Women's cut or men's cut?"


def test_whose_service_it_is_is_no_wish_about_the_staff() -> None:
    assert not parsing.match_staff(CATALOG, "a man's haircut please").unsupported
    assert not parsing.match_staff(CATALOG, "a lady's cut tomorrow").unsupported
    assert parsing.match_staff(CATALOG, "a lady's cut, by a woman please").unsupported
