"""The one-time code on the web, for any form that needs to know who is asking.

The manage form asks it before showing or changing appointments; the booking form asks it
when a web visitor wants "the same as last time" (their history is shown only to whoever
proves the phone or e-mail it was booked with). The contact is looked up, a code sent to it
and checked; what follows the proof is each form's own (`proved`).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.forms import Slots, Turn
from actions.runtime import now, runtime
from scheduling.desk import customers, verification
from scheduling.errors import PolicyViolation


class VerifySteps:
    """Extraction and validation of `verify_contact` and `otp_code`; mixed into a form."""

    async def proved(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     customer: UUID) -> Slots:
        """The slots once `customer` proved a contact (beyond `customer_id`)."""
        return {}

    async def extract_verify_contact(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if not turn.answers("verify_contact"):
            return {}
        found = parsing.email_in(turn.text) or parsing.phone_in(turn.text)
        return {"verify_contact": found or "invalid"}

    async def validate_verify_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        customer = await customer_for(str(value))
        if customer is None:
            dispatcher.utter_message(text="I couldn't find any booking under that. Please check "
                                          "the e-mail or phone number, or say stop.")
            return {"verify_contact": None}
        await verification.issue_code(runtime.uow(), customer, str(value), now())
        return {"verify_contact": value}

    async def extract_otp_code(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if not turn.answers("otp_code"):
            return {}
        return {"otp_code": parsing.code_in(turn.text) or "invalid"}

    async def validate_otp_code(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        contact = str(tracker.get_slot("verify_contact"))
        customer = await customer_for(contact)
        if customer is None or value == "invalid":
            dispatcher.utter_message(text="The code is the six digits I sent you.")
            return {"otp_code": None}
        try:
            matches = await verification.check_code(runtime.uow(), customer, str(value), now())
        except PolicyViolation:
            await verification.issue_code(runtime.uow(), customer, contact, now())
            dispatcher.utter_message(text="That code has run out, so I've sent you a new one.")
            return {"otp_code": None}
        if not matches:
            dispatcher.utter_message(text="That code doesn't match. Please try again.")
            return {"otp_code": None}
        return {"otp_code": "verified", "customer_id": str(customer),
                **await self.proved(dispatcher, tracker, customer)}


async def customer_for(contact: str) -> UUID | None:
    """The customer a typed phone or e-mail names (only ever to send them a code)."""
    if contact in ("", "None", "invalid"):
        return None
    business_id = await runtime.business_id()
    kind = "email" if "@" in contact else "phone"
    found = await customers.find(runtime.uow(), business_id, **{kind: contact})
    return found.id if found else None
