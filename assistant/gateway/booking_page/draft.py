"""What the booking page carries from one step to the next: a sealed draft of the booking.

The draft travels in a hidden field and, after each POST, in the query string of the page it
redirects to (so a reload never repeats an action). It holds the customer's name and contact,
so it is encrypted as well as signed (Fernet, under SECRET_KEY's "booking-page" subkey):
a browser can neither read it from a URL nor change the time, the price shown, or the
customer a one-time code proved. It lasts half an hour. The price and deposit in it are only
what the customer was shown: booking re-reads both from the catalog and compares. The deposit
is None until the confirm step works it out for the customer the code proved (a deposit rule
may ask it of first-time customers only).
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from cryptography.fernet import Fernet, InvalidToken

from assistant.settings import Settings
from scheduling.booking.model import Contact
from scheduling.catalog import Service

LIFETIME_SECONDS = 30 * 60


class BadDraft(Exception):
    """The sealed draft was changed, made with another key, or is too old."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A booking being made: `key` makes its confirmation idempotent; `customer_id` is the
    profile the code went to, `verified` says the code came back; `location_id` is where
    (None: wherever the engine places it)."""

    service_id: UUID
    staff_id: UUID | None
    start: datetime
    name: str
    phone: str | None
    email: str | None
    price: Decimal
    deposit: Decimal | None
    key: str
    time_zone: str | None = None
    customer_id: UUID | None = None
    verified: bool = False
    location_id: UUID | None = None

    @property
    def sent_to(self) -> str:
        """Where the one-time code goes: the phone when given, else the e-mail."""
        return self.phone or self.email or ""

    @property
    def contact(self) -> Contact:
        return Contact(self.name, self.phone, self.email)

    def priced(self, service: Service, deposit: Decimal) -> Draft:
        """The draft with the service's price and this customer's deposit as they are now."""
        return replace(self, price=service.price, deposit=deposit)

    def price_changed(self, service: Service, deposit: Decimal) -> bool:
        """Whether the price or the deposit owed differ from what the customer was shown (a
        deposit not yet shown differs from any)."""
        return (self.price, self.deposit) != (service.price, deposit)


def _fernet(settings: Settings) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(settings.subkey("booking-page")))


def seal(settings: Settings, draft: Draft) -> str:
    return _fernet(settings).encrypt(json.dumps(asdict(draft), default=str).encode()).decode()


def unseal(settings: Settings, sealed: str) -> Draft:
    try:
        fields: dict[str, Any] = json.loads(
            _fernet(settings).decrypt(sealed.encode(), ttl=LIFETIME_SECONDS))
    except (InvalidToken, ValueError) as error:
        raise BadDraft("this booking form has expired or was changed") from error
    return Draft(
        UUID(fields["service_id"]), _uuid(fields["staff_id"]),
        datetime.fromisoformat(fields["start"]), fields["name"], fields["phone"],
        fields["email"], Decimal(fields["price"]), _decimal(fields["deposit"]), fields["key"],
        fields["time_zone"], _uuid(fields["customer_id"]), bool(fields["verified"]),
        _uuid(fields.get("location_id")))


def _uuid(value: str | None) -> UUID | None:
    return None if value is None else UUID(value)


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)
