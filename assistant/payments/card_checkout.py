"""No-show protection at the Stripe edge: the setup-mode checkout a booking waiting for a card
is sent to (`card_checkout`, made by the pay link `/appointments/pay`), and the provider's word
that the card was saved (`card_saved`, from the webhook or the release job's read-back).

The card is read back from Stripe's SetupIntent (not from the event's copy) outside any
transaction, then `scheduling.booking.saved_cards.settle` records it and confirms the booking
once. Stripe busy: `ProviderBusy` goes up, so the webhook answers 503 and Stripe sends again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from assistant.payments.stripe_api import CardSetup, ProviderRefused, StripeApi
from scheduling.booking import fees, saved_cards
from scheduling.booking.model import Appointment
from scheduling.booking.online_payments import Checkout, ProviderEvent
from scheduling.catalog import Catalog
from scheduling.persistence.card_store import CardUnitOfWork
from scheduling.persistence.database import SessionFactory

log = logging.getLogger(__name__)


async def card_checkout(provider: StripeApi, back: str, appointment: Appointment,
                        catalog: Catalog, expires: datetime) -> Checkout:
    """Stripe's page saving a card for `appointment` (returning to `back`), its terms shown
    above the button."""
    service = catalog.service(appointment.service_id)
    contact = appointment.contact
    consent = (fees.consent(catalog, service.id, "saving it")
               or saved_cards.terms(catalog, service))
    setup = CardSetup(appointment_id=str(appointment.id),
                      description=f"Card to confirm: {service.name} at {catalog.business.name}",
                      currency=catalog.business.policies.currency, success_url=back,
                      cancel_url=back, expires_at=expires, consent=consent,
                      email=contact.email if contact else None,
                      name=contact.name if contact and contact.name else None)
    return await provider.checkout_card(setup, f"card-{appointment.id}-"
                                        f"{int(expires.timestamp())}")


async def card_saved(provider: StripeApi, factory: SessionFactory, event: ProviderEvent,
                     now: datetime) -> saved_cards.CardOutcome:
    """Record the card `event` reports saved, once; a SetupIntent Stripe does not know (or
    not ours) is recorded and ignored."""
    card = None
    if event.reference is not None:
        try:
            card = await provider.setup_card(event.reference)
        except ProviderRefused as refused:
            log.warning("stripe event %s: setup intent not read (%s)", event.id, refused)
    return await saved_cards.settle(event, card, CardUnitOfWork(factory), now)
