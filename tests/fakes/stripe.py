"""A fake of the parts of Stripe's API the payments use, spoken to by the real `stripe`
library (its API base set to the fake): `POST /v1/checkout/sessions`, `POST /v1/refunds`,
`POST /v1/payment_intents` (an off-session charge of a saved card, confirmed at once) and
`GET /v1/payment_intents/{id}`.

Checks the bearer key and the form fields the way Stripe does (errors as
`{"error": {"type", "code", "message", "param"}}`), honours `Idempotency-Key` (the same key
answers the same object), and injects faults through its `Ledger` (429, 5xx, "timeout").
`pay` plays the customer at the hosted checkout: a good card completes the session and returns
the signed `checkout.session.completed` webhook Stripe would send; a declined card changes
nothing and returns None. A checkout with `customer_creation=always` and
`payment_intent_data[setup_future_usage]=off_session` saves the card paid with to a new
customer; off-session charges of it then behave as Stripe's test cards do: `GOOD_CARD`
succeeds, `DECLINES_LATER` is declined (`card_declined`), `WANTS_CUSTOMER` needs the customer
(`authentication_required`), both a 402 `card_error`. `signed` signs any event as Stripe does
(`Stripe-Signature`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any

from aiohttp import web

from tests.fakes.server import Ledger

Json = dict[str, Any]
GOOD_CARD, DECLINED_CARD = "4242424242424242", "4000000000000002"
DECLINES_LATER, WANTS_CUSTOMER = "4000000000000341", "4000002760003184"
OFF_SESSION_ERRORS = {DECLINES_LATER: ("card_declined", "Your card was declined."),
                      WANTS_CUSTOMER: ("authentication_required", "Your card was declined. "
                                       "This transaction requires authentication.")}
SECRET_KEY, WEBHOOK_SECRET = "sk_test_fake", "whsec_fake"


def _error(status: int, kind: str, message: str, param: str | None = None,
           code: str | None = None) -> web.Response:
    return web.json_response({"error": {"type": kind, "code": code, "message": message,
                                        "param": param}}, status=status)


def signed(event: Json | bytes, secret: str = WEBHOOK_SECRET, at: int | None = None
           ) -> tuple[bytes, str]:
    """The body and `Stripe-Signature` header of a webhook delivery of `event` (or of these
    bytes as they are: a malformed body, signed)."""
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    stamp = int(time.time()) if at is None else at
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return body, f"t={stamp},v1={mac}"


class FakeStripe:
    def __init__(self, secret_key: str = SECRET_KEY) -> None:
        self.secret_key = secret_key
        self.ledger = Ledger()
        self.sessions: dict[str, Json] = {}
        self.refunds: dict[str, Json] = {}
        self.intents: dict[str, Json] = {}
        self.methods: dict[str, Json] = {}
        """Saved payment methods: their card number and customer."""
        self.answers: dict[str, tuple[int, Json]] = {}
        self.base = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/checkout/sessions", self.create_session)
        app.router.add_get("/v1/checkout/sessions/{id}", self.get_session)
        app.router.add_post("/v1/refunds", self.create_refund)
        app.router.add_post("/v1/payment_intents", self.create_intent)
        app.router.add_get("/v1/payment_intents/{id}", self.get_intent)
        return app

    async def _guard(self, request: web.Request) -> tuple[web.Response | None, Json, str]:
        """An error answer (auth, injected fault), else the form and the idempotency key."""
        if request.headers.get("Authorization") != f"Bearer {self.secret_key}":
            return _error(401, "invalid_request_error", "Invalid API Key provided"), {}, ""
        status = await self.ledger.fault()
        if status == 429:
            return _error(429, "invalid_request_error", "Too many requests",
                          code="rate_limit"), {}, ""
        if status is not None:
            return _error(status, "api_error", "injected failure"), {}, ""
        form = dict(await request.post())
        return None, {k: str(v) for k, v in form.items()}, request.headers.get(
            "Idempotency-Key", uuid.uuid4().hex)

    async def _once(self, key: str, make: Any) -> web.Response:
        self.ledger.requests[key] += 1
        if key not in self.answers:
            self.answers[key] = make()
        status, body = self.answers[key]
        return web.json_response(body, status=status)

    async def create_session(self, request: web.Request) -> web.Response:
        refused, form, key = await self._guard(request)
        return refused or await self._once(key, lambda: self._session(form, request))

    async def get_session(self, request: web.Request) -> web.Response:
        refused, _, _ = await self._guard(request)
        session = self.sessions.get(request.match_info["id"])
        if refused or session is None:
            return refused or _error(404, "invalid_request_error", "No such checkout.session",
                                     "id", "resource_missing")
        return web.json_response(session)

    def _session(self, form: Json, request: web.Request) -> tuple[int, Json]:
        for field in ("mode", "success_url", "line_items[0][price_data][currency]",
                      "line_items[0][price_data][unit_amount]", "line_items[0][quantity]"):
            if not form.get(field):
                return 400, {"error": {"type": "invalid_request_error",
                                       "message": f"Missing required param: {field}.",
                                       "param": field}}
        expires = int(form.get("expires_at", time.time() + 86400))
        if not time.time() + 1790 <= expires <= time.time() + 86400:
            return 400, {"error": {"type": "invalid_request_error", "param": "expires_at",
                                   "message": "expires_at must be 30 minutes to 24 hours away"}}
        session_id = f"cs_test_{uuid.uuid4().hex}"
        metadata = {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}
        session = {
            "id": session_id, "object": "checkout.session", "mode": form["mode"],
            "url": f"{request.scheme}://{request.host}/pay/{session_id}",
            "amount_total": int(form["line_items[0][price_data][unit_amount]"]),
            "currency": form["line_items[0][price_data][currency]"],
            "client_reference_id": form.get("client_reference_id"), "metadata": metadata,
            "expires_at": expires, "payment_status": "unpaid", "status": "open",
            "payment_intent": None, "success_url": form["success_url"],
            "customer": None, "customer_creation": form.get("customer_creation"),
            "setup_future_usage": form.get("payment_intent_data[setup_future_usage]"),
            "consent_text": form.get("custom_text[submit][message]"),
        }
        self.sessions[session_id] = session
        return 200, session

    async def create_refund(self, request: web.Request) -> web.Response:
        refused, form, key = await self._guard(request)
        return refused or await self._once(key, lambda: self._refund(form))

    def _refund(self, form: Json) -> tuple[int, Json]:
        paid = {s["payment_intent"]: s for s in self.sessions.values() if s["payment_intent"]}
        session = paid.get(form.get("payment_intent"))
        if session is None:
            return 400, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                   "param": "payment_intent",
                                   "message": "No such payment_intent"}}
        amount = int(form.get("amount", session["amount_total"]))
        refunded = sum(r["amount"] for r in self.refunds.values()
                       if r["payment_intent"] == session["payment_intent"])
        if amount + refunded > session["amount_total"]:
            return 400, {"error": {"type": "invalid_request_error", "param": "amount",
                                   "code": "charge_already_refunded",
                                   "message": "Refund amount is greater than unrefunded amount"}}
        refund = {"id": f"re_{uuid.uuid4().hex[:24]}", "object": "refund", "amount": amount,
                  "payment_intent": session["payment_intent"], "status": "succeeded",
                  "currency": session["currency"]}
        self.refunds[refund["id"]] = refund
        return 200, refund

    def pay(self, session_id: str, card: str = GOOD_CARD) -> tuple[bytes, str] | None:
        """The customer pays at the hosted page: the signed completion event, or None when the
        card is declined (the session stays open, nothing is sent)."""
        session = self.sessions[session_id]
        if (card != GOOD_CARD and card not in OFF_SESSION_ERRORS) or session["status"] != "open":
            return None
        intent = {"id": f"pi_{uuid.uuid4().hex[:24]}", "object": "payment_intent",
                  "amount": session["amount_total"], "currency": session["currency"],
                  "status": "succeeded", "customer": None, "payment_method": None,
                  "setup_future_usage": session["setup_future_usage"],
                  "metadata": session["metadata"]}
        if session["customer_creation"] == "always":
            customer = f"cus_{uuid.uuid4().hex[:14]}"
            method = f"pm_{uuid.uuid4().hex[:24]}"
            self.methods[method] = {"card": card, "customer": customer}
            intent |= {"customer": customer, "payment_method": method}
            session["customer"] = customer
        self.intents[intent["id"]] = intent
        session |= {"status": "complete", "payment_status": "paid",
                    "payment_intent": intent["id"]}
        return signed(self.event("checkout.session.completed", session))

    async def get_intent(self, request: web.Request) -> web.Response:
        refused, _, _ = await self._guard(request)
        if refused:
            return refused
        found = self.intents.get(request.match_info["id"])
        if found is None:
            return _error(404, "invalid_request_error", "No such payment_intent", "intent",
                          "resource_missing")
        return web.json_response(found)

    async def create_intent(self, request: web.Request) -> web.Response:
        refused, form, key = await self._guard(request)
        return refused or await self._once(key, lambda: self._intent(form))

    def _intent(self, form: Json) -> tuple[int, Json]:
        """An off-session charge of a saved card, confirmed at once (as the fees make it)."""
        for field in ("amount", "currency", "customer", "payment_method"):
            if not form.get(field):
                return 400, {"error": {"type": "invalid_request_error", "param": field,
                                       "message": f"Missing required param: {field}."}}
        if form.get("off_session") != "true" or form.get("confirm") != "true":
            return 400, {"error": {"type": "invalid_request_error", "param": "off_session",
                                   "message": "the fake only charges off-session, confirmed"}}
        method = self.methods.get(form["payment_method"])
        if method is None or method["customer"] != form["customer"]:
            return 400, {"error": {"type": "invalid_request_error", "code": "resource_missing",
                                   "param": "payment_method",
                                   "message": "No such PaymentMethod for this customer"}}
        intent = {"id": f"pi_{uuid.uuid4().hex[:24]}", "object": "payment_intent",
                  "amount": int(form["amount"]), "currency": form["currency"],
                  "customer": form["customer"], "payment_method": form["payment_method"],
                  "description": form.get("description"), "setup_future_usage": None,
                  "metadata": {k[9:-1]: v for k, v in form.items()
                               if k.startswith("metadata[")}}
        error = OFF_SESSION_ERRORS.get(method["card"])
        if error is not None:
            intent["status"] = "requires_payment_method"
            self.intents[intent["id"]] = intent
            return 402, {"error": {"type": "card_error", "code": error[0],
                                   "message": error[1], "payment_intent": intent}}
        intent["status"] = "succeeded"
        self.intents[intent["id"]] = intent
        return 200, intent

    @staticmethod
    def event(kind: str, data: Json) -> Json:
        return {"id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": kind,
                "api_version": "2025-01-27.acacia", "created": int(time.time()),
                "livemode": False, "data": {"object": dict(data)}}
