"""Deposit policies as the salon platforms owners already use offer them (Fresha, Booksy).

Per service: no deposit, a fixed amount, or a percentage of the price; asked of everyone, or
only of first-time customers, or of customers who once did not come (a past no-show or late
cancellation), or of either. What a customer owes is a pure function of the rule, the price
and their history with the business, so chat, the booking page and the booking itself all
state and charge the same amount. A deposit counts toward the price: it is never above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

from scheduling import formats
from scheduling.errors import InvalidRequest

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class DepositKind(StrEnum):
    NONE = "none"
    FIXED = "fixed"
    PERCENT = "percent"


class DepositFor(StrEnum):
    """Who is asked for the deposit."""

    EVERYONE = "everyone"
    FIRST_TIME = "first_time"
    """Customers who have not yet completed an appointment with the business."""
    MISSED = "missed"
    """Customers with a past no-show or late cancellation."""
    FIRST_TIME_OR_MISSED = "first_time_or_missed"


@dataclass(frozen=True, slots=True)
class CustomerHistory:
    """A customer's past appointments with one business, as counts."""

    completed: int = 0
    no_shows: int = 0
    late_cancels: int = 0

    @property
    def first_time(self) -> bool:
        """Never came for an appointment yet (a no-show is not a visit)."""
        return self.completed == 0

    @property
    def missed(self) -> bool:
        return self.no_shows + self.late_cancels > 0


NEW_CUSTOMER = CustomerHistory()


@dataclass(frozen=True, slots=True)
class DepositRule:
    """`value` is the amount (FIXED) or the percentage of the price (PERCENT, 0-100)."""

    kind: DepositKind = DepositKind.NONE
    value: Decimal = Decimal(0)
    applies_to: DepositFor = DepositFor.EVERYONE

    def __post_init__(self) -> None:
        if self.value < 0:
            raise InvalidRequest("a deposit cannot be negative", field="deposit")
        if self.kind is DepositKind.PERCENT and self.value > HUNDRED:
            raise InvalidRequest("a deposit percentage must lie between 0 and 100",
                                 field="deposit")
        if self.kind is DepositKind.NONE and self.value:
            raise InvalidRequest("no deposit takes no amount", field="deposit")

    @classmethod
    def fixed(cls, amount: Decimal, applies_to: DepositFor = DepositFor.EVERYONE) -> DepositRule:
        """A fixed amount (the single `deposit` of older catalogs); zero is no deposit."""
        if not amount:
            return cls()
        return cls(DepositKind.FIXED, amount, applies_to)

    def __bool__(self) -> bool:
        """Whether anyone is ever asked for a deposit."""
        return self.kind is not DepositKind.NONE and self.value > 0

    @property
    def for_everyone(self) -> bool:
        return self.applies_to is DepositFor.EVERYONE

    @property
    def asked_of(self) -> str:
        """Whom it is asked of, in words ("first-time customers"); "" for everyone."""
        return AUDIENCE[self.applies_to]

    def applies(self, history: CustomerHistory) -> bool:
        return {
            DepositFor.EVERYONE: True,
            DepositFor.FIRST_TIME: history.first_time,
            DepositFor.MISSED: history.missed,
            DepositFor.FIRST_TIME_OR_MISSED: history.first_time or history.missed,
        }[self.applies_to]

    def amount(self, price: Decimal, step: Decimal = CENT) -> Decimal:
        """The deposit for a customer it applies to, rounded half up to `step` (the
        currency's minor unit) and never above the price."""
        if not self:
            return Decimal(0)
        raw = self.value if self.kind is DepositKind.FIXED else price * self.value / HUNDRED
        return min(raw.quantize(step, rounding=ROUND_HALF_UP), max(price, Decimal(0)))

    def owed(self, price: Decimal, history: CustomerHistory, step: Decimal = CENT) -> Decimal:
        """What this customer is asked for: the amount, or nothing when the rule skips them."""
        return self.amount(price, step) if self.applies(history) else Decimal(0)


NO_DEPOSIT = DepositRule()


AUDIENCE = {
    DepositFor.EVERYONE: "",
    DepositFor.FIRST_TIME: "first-time customers",
    DepositFor.MISSED: "customers with a past no-show or late cancellation",
    DepositFor.FIRST_TIME_OR_MISSED:
        "first-time customers and customers with a past no-show or late cancellation",
}


def amount_words(rule: DepositRule, price: Decimal, currency: str) -> str:
    """"$30 deposit", "20% deposit ($9)": what the rule asks, leaving out of whom."""
    owed = formats.money(rule.amount(price, formats.minor_unit(currency)), currency)
    if rule.kind is DepositKind.PERCENT:
        return f"{rule.value.normalize():f}% deposit ({owed})"
    return f"{owed} deposit"


def terms(rule: DepositRule, price: Decimal, currency: str) -> str:
    """The policy in words for a price list ("$30 deposit", "20% deposit ($9) for first-time
    customers"); empty with no deposit."""
    if not rule:
        return ""
    text = amount_words(rule, price, currency)
    return f"{text} for {rule.asked_of}" if rule.asked_of else text


def parse(text: str, applies_to: DepositFor = DepositFor.EVERYONE) -> DepositRule:
    """A deposit as owners write it in a form, the catalog file or the API: "30.00" (an
    amount) or "20%" (of the price); empty or zero is no deposit."""
    raw = text.strip()
    number = raw.removesuffix("%").strip() or "0"
    try:
        value = Decimal(number)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise InvalidRequest(f'"{text}" is not an amount like "30.00" or a percentage like'
                             ' "20%"', field="deposit")
    if not value:
        return DepositRule(applies_to=applies_to)
    kind = DepositKind.PERCENT if raw.endswith("%") else DepositKind.FIXED
    return DepositRule(kind, value, applies_to)


def text(rule: DepositRule) -> str:
    """The inverse of `parse`: "30.00", "20%", or "0.00" for none."""
    if rule.kind is DepositKind.PERCENT:
        return f"{rule.value.normalize():f}%"
    return f"{rule.value:.2f}"


def audience(text: str) -> DepositFor:
    """Who a deposit is for, by its name ("everyone", "first_time", "missed",
    "first_time_or_missed")."""
    try:
        return DepositFor(text.strip() or DepositFor.EVERYONE)
    except ValueError:
        names = ", ".join(f'"{who.value}"' for who in DepositFor)
        raise InvalidRequest(f'deposit_for must be one of {names}, not "{text}"',
                             field="deposit_for") from None
