"""No-show protection in the catalog file: `card_required: yes` on a service reads, round
trips and is left out when off; anything but yes or no is named by line and field."""

from __future__ import annotations

import pytest

from scheduling.catalog_yaml.nodes import CatalogFileError
from scheduling.catalog_yaml.read import read_catalog
from scheduling.catalog_yaml.write import write_catalog
from tests.catalog_yaml.test_yaml_catalog import SMALL


def test_a_card_required_service_reads_and_round_trips() -> None:
    text = SMALL.replace('deposit: "5.00"', 'deposit: "0"\n    card_required: yes')
    catalog = read_catalog(text)
    assert catalog.services[0].card_required
    written = write_catalog(catalog)
    assert "card_required: 'yes'" in written or "card_required: yes" in written
    assert read_catalog(written) == catalog


def test_off_is_the_default_and_not_written() -> None:
    catalog = read_catalog(SMALL)
    assert not catalog.services[0].card_required
    assert "card_required" not in write_catalog(catalog)


def test_anything_but_yes_or_no_is_named() -> None:
    with pytest.raises(CatalogFileError) as refused:
        read_catalog(SMALL.replace('deposit: "5.00"', 'deposit: "5.00"\n    card_required: maybe'))
    assert refused.value.lines("shop.yml")[0].startswith(
        'shop.yml:20: services[0].card_required: "maybe" is not yes or no'), \
        refused.value.lines("shop.yml")
