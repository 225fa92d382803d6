"""Questions answered from the catalog: a named service gets its own answer."""

from __future__ import annotations

from actions import parsing
from actions.info import answer
from scheduling.demo import demo_catalog

CATALOG = demo_catalog()


def ask(intent: str, text: str) -> str:
    named = parsing.match_service(CATALOG, text)
    return answer(intent, CATALOG, named, named is not None)


def test_do_you_do_a_service_we_offer_is_a_yes_with_its_price() -> None:
    assert ask("ask_services", "do you do beard trims?") == (
        "Yes: Beard trim: 20 minutes, $20. Would you like to book one?")


def test_a_service_we_do_not_offer_gets_the_list_of_what_we_do() -> None:
    reply = ask("ask_services", "do you do nails?")
    assert reply.startswith("We offer Women's cut") and "Beard trim" in reply


def test_the_price_of_a_named_service_is_that_service_alone() -> None:
    assert ask("ask_price", "how much is a colour") == (
        "Colour: 1 hour 30 minutes, $120, $30 deposit.")
