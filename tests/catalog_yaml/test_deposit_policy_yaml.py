"""Deposit policies in the catalog file: `deposit` an amount (as before) or a percentage,
`deposit_for` whom it is asked of; both round trip, and a bad one is named by line and field."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scheduling.catalog_yaml.nodes import CatalogFileError
from scheduling.catalog_yaml.read import read_catalog
from scheduling.catalog_yaml.write import write_catalog
from scheduling.deposit_rules import DepositFor, DepositKind, DepositRule
from tests.catalog_yaml.test_yaml_catalog import SMALL


def test_a_percentage_for_first_timers_reads_and_round_trips() -> None:
    text = SMALL.replace('deposit: "5.00"', 'deposit: 25%\n    deposit_for: first_time')
    catalog = read_catalog(text)
    assert catalog.services[0].deposit == DepositRule(DepositKind.PERCENT, Decimal("25"),
                                                      DepositFor.FIRST_TIME)
    written = write_catalog(catalog)
    assert "deposit: 25%" in written and "deposit_for: first_time" in written
    assert read_catalog(written) == catalog and write_catalog(read_catalog(written)) == written


def test_an_amount_is_a_fixed_deposit_for_everyone_as_before() -> None:
    catalog = read_catalog(SMALL)
    assert catalog.services[0].deposit == DepositRule.fixed(Decimal("5.00"))
    written = write_catalog(catalog)
    assert "deposit: '5.00'" in written and "deposit_for" not in written


@pytest.mark.parametrize(("new", "problem"), [
    ("deposit: 150%", "shop.yml:19: services[0].deposit: a deposit percentage must lie "
                      "between 0 and 100"),
    ("deposit: lots", 'shop.yml:19: services[0].deposit: "lots" is not an amount like "30.00" '
                      'or a percentage like "20%"'),
    ('deposit: "5.00"\n    deposit_for: vips', "shop.yml:20: services[0].deposit_for: "
                                                 "deposit_for must be one of"),
])
def test_a_bad_deposit_is_named_by_line_and_field(new: str, problem: str) -> None:
    with pytest.raises(CatalogFileError) as refused:
        read_catalog(SMALL.replace('deposit: "5.00"', new))
    assert refused.value.lines("shop.yml")[0].startswith(problem), refused.value.lines("shop.yml")
