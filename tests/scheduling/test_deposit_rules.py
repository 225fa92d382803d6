"""The deposit rule as a pure function: properties over any price, rule and history, the
rounding to the currency's minor unit, the text form owners type, and the catalog's checks."""

from __future__ import annotations

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduling import deposit_rules, formats
from scheduling.catalog import Service
from scheduling.deposit_rules import (
    NEW_CUSTOMER,
    CustomerHistory,
    DepositFor,
    DepositKind,
    DepositRule,
)
from scheduling.errors import InvalidRequest

prices = st.decimals(min_value=0, max_value=100_000, places=2)
percentages = st.decimals(min_value=0, max_value=100, places=2)
amounts = st.decimals(min_value=0, max_value=200_000, places=2)
histories = st.builds(CustomerHistory, st.integers(0, 5), st.integers(0, 5), st.integers(0, 5))
audiences = st.sampled_from(DepositFor)
steps = st.sampled_from([Decimal("0.01"), Decimal("1"), Decimal("0.001")])
rules = st.one_of(
    st.builds(DepositRule, st.just(DepositKind.PERCENT), percentages, audiences),
    st.builds(DepositRule, st.just(DepositKind.FIXED), amounts, audiences),
    st.just(DepositRule()),
)


@given(rules, prices, histories, steps)
def test_never_negative_never_above_the_price_and_in_whole_minor_units(
    rule: DepositRule, price: Decimal, history: CustomerHistory, step: Decimal
) -> None:
    owed = rule.owed(price, history, step)
    assert Decimal(0) <= owed <= price
    assert owed % step == 0 or owed == price


@given(percentages, prices)
def test_a_percentage_is_the_price_share_rounded_half_up_to_the_cent(
    percent: Decimal, price: Decimal
) -> None:
    rule = DepositRule(DepositKind.PERCENT, percent)
    exact = price * percent / 100
    assert rule.owed(price, NEW_CUSTOMER) == exact.quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert abs(rule.owed(price, NEW_CUSTOMER) - exact) <= Decimal("0.005")


@given(rules, prices, histories)
def test_whom_it_is_asked_of(rule: DepositRule, price: Decimal, history: CustomerHistory
                             ) -> None:
    owed = rule.owed(price, history)
    asked = {DepositFor.EVERYONE: True, DepositFor.FIRST_TIME: history.completed == 0,
             DepositFor.MISSED: history.no_shows + history.late_cancels > 0,
             DepositFor.FIRST_TIME_OR_MISSED: history.completed == 0
             or history.no_shows + history.late_cancels > 0}[rule.applies_to]
    assert owed == (rule.amount(price) if asked else 0)


def test_examples() -> None:
    first = DepositRule(DepositKind.PERCENT, Decimal("20"), DepositFor.FIRST_TIME)
    assert first.owed(Decimal("45.00"), NEW_CUSTOMER) == Decimal("9.00")
    assert first.owed(Decimal("45.00"), CustomerHistory(completed=1)) == 0
    assert first.owed(Decimal("45.00"), CustomerHistory(no_shows=2)) == Decimal("9.00")
    assert DepositRule(DepositKind.PERCENT, Decimal("12.5")).owed(
        Decimal("0.99"), NEW_CUSTOMER) == Decimal("0.12")  # 0.12375
    assert DepositRule(DepositKind.PERCENT, Decimal("50")).owed(
        Decimal("0.05"), NEW_CUSTOMER) == Decimal("0.03")  # 0.025, half up
    yen = formats.minor_unit("JPY")
    assert DepositRule(DepositKind.PERCENT, Decimal("15")).owed(
        Decimal("4550"), NEW_CUSTOMER, yen) == Decimal("683")  # 682.5
    assert DepositRule.fixed(Decimal("0")) == DepositRule() and not DepositRule()
    assert DepositRule.fixed(Decimal("80")).owed(Decimal("50"), NEW_CUSTOMER) == Decimal("50")


@pytest.mark.parametrize(("text", "rule"), [
    ("30", DepositRule(DepositKind.FIXED, Decimal("30"))),
    ("30.50", DepositRule(DepositKind.FIXED, Decimal("30.50"))),
    ("20%", DepositRule(DepositKind.PERCENT, Decimal("20"))),
    (" 12.5 % ", DepositRule(DepositKind.PERCENT, Decimal("12.5"))),
    ("", DepositRule()), ("0", DepositRule()), ("0%", DepositRule()),
])
def test_the_text_owners_type(text: str, rule: DepositRule) -> None:
    assert deposit_rules.parse(text) == rule
    assert deposit_rules.parse(deposit_rules.text(rule)) == rule


@pytest.mark.parametrize(("text", "message"), [
    ("150%", "between 0 and 100"), ("-5", "negative"), ("abc", "not an amount"),
    ("1.234", "not an amount"), ("NaN", "not an amount"), ("Infinity%", "not an amount"),
])
def test_bad_text_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(InvalidRequest, match=message) as refused:
        deposit_rules.parse(text)
    assert refused.value.field == "deposit"


def test_who_by_name() -> None:
    assert deposit_rules.audience("first_time") is DepositFor.FIRST_TIME
    assert deposit_rules.audience("") is DepositFor.EVERYONE
    with pytest.raises(InvalidRequest, match="deposit_for must be one of"):
        deposit_rules.audience("vip")


def test_the_words_on_a_price_list() -> None:
    assert deposit_rules.terms(DepositRule.fixed(Decimal("30")), Decimal("120"), "USD") == \
        "$30 deposit"
    assert deposit_rules.terms(DepositRule(DepositKind.PERCENT, Decimal("20"),
                                           DepositFor.FIRST_TIME), Decimal("45"), "USD") == \
        "20% deposit ($9) for first-time customers"
    assert deposit_rules.terms(DepositRule(), Decimal("45"), "USD") == ""


def test_the_catalog_refuses_a_fixed_deposit_above_the_price_but_not_a_percentage() -> None:
    def service(rule: DepositRule) -> Service:
        return Service(uuid4(), "Cut", timedelta(minutes=30), Decimal("40"), deposit=rule)
    with pytest.raises(InvalidRequest, match="deposit must lie between 0 and the price"):
        service(DepositRule.fixed(Decimal("40.01")))
    assert service(DepositRule(DepositKind.PERCENT, Decimal("100"))).deposit_for is \
        DepositFor.EVERYONE
    with pytest.raises(InvalidRequest, match="no deposit takes no amount"):
        DepositRule(DepositKind.NONE, Decimal("5"))
