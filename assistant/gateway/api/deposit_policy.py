"""A service's deposit rule in the admin API: `deposit` is an amount ("30.00", as before: a
fixed deposit for everyone, so existing clients keep working) or a percentage of the price
("20%"); `deposit_for` says who is asked for it. Two JSON fields, one domain value: the
resource folds `deposit_for` into the rule, over the current one in a partial edit."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from assistant.gateway.api.params import invalid
from assistant.gateway.api.setup_codecs import Codec
from scheduling import deposit_rules
from scheduling.catalog import Service
from scheduling.deposit_rules import NO_DEPOSIT, DepositFor, DepositRule
from scheduling.errors import InvalidRequest

DEPOSIT_TEXT = re.compile(r"^\d{1,9}(\.\d{1,2})?%?$")
AUDIENCES = [who.value for who in DepositFor]


def deposit() -> Codec:
    def read(value: Any, field: str) -> DepositRule:
        if not isinstance(value, str) or not DEPOSIT_TEXT.match(value):
            raise invalid(field, 'must be an amount as text, like "25.00", or a percentage of '
                                 'the price, like "20%"')
        try:
            return deposit_rules.parse(value)
        except InvalidRequest as error:
            raise invalid(field, str(error)) from None
    return Codec({"type": "string", "pattern": DEPOSIT_TEXT.pattern}, read, deposit_rules.text)


def audience() -> Codec:
    def read(value: Any, field: str) -> DepositFor:
        if value not in AUDIENCES:
            raise invalid(field, f"must be one of {', '.join(AUDIENCES)}")
        return DepositFor(value)
    return Codec({"type": "string", "enum": AUDIENCES}, read, lambda value: value.value)


def fold(values: dict[str, Any], base: Service | None) -> dict[str, Any]:
    """`deposit_for` (the `Service.deposit_for` view of the rule) set on the rule sent, else
    on the current one."""
    if "deposit_for" not in values:
        return values
    who = values.pop("deposit_for")
    rule = values.get("deposit", base.deposit if base is not None else NO_DEPOSIT)
    return values | {"deposit": replace(rule, applies_to=who)}
