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

No-show protection: `POST /v1/customers`, a session in `mode=setup` for a customer (no line
items, nothing charged), and `GET /v1/setup_intents/{id}`. `pay` on a setup session saves the
card to the session's customer through a succeeded SetupIntent and returns the signed
`checkout.session.completed`; `setup_succeeded` returns the `setup_intent.succeeded` Stripe
sends beside it.
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
SETUP_METADATA = "setup_intent_data[metadata]["


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
        self.customers: dict[str, Json] = {}
        self.setups: dict[str, Json] = {}
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
        app.router.add_post("/v1/customers", self.create_customer)
        app.router.add_get("/v1/setup_intents/{id}", self.get_setup)
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

    async def _read(self, request: web.Request, store: dict[str, Json], what: str
                    ) -> web.Response:
        """`GET /v1/<objects>/{id}` of one of the fake's stores."""
        refused, _, _ = await self._guard(request)
        found = store.get(request.match_info["id"])
        if refused or found is None:
            return refused or _error(404, "invalid_request_error", f"No such {what}", "id",
                                     "resource_missing")
        return web.json_response(found)

    async def get_session(self, request: web.Request) -> web.Response:
        return await self._read(request, self.sessions, "checkout.session")

    def _session(self, form: Json, request: web.Request) -> tuple[int, Json]:
        if form.get("mode") == "setup":
            return self._setup_session(form, request)
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

    def _setup_session(self, form: Json, request: web.Request) -> tuple[int, Json]:
        """A setup-mode session: saves a card to an existing customer, charges nothing
        (Stripe refuses line items and `customer_creation` in this mode)."""
        for field in ("success_url", "currency", "customer"):
            if not form.get(field):
                return 400, {"error": {"type": "invalid_request_error", "param": field,
                                       "message": f"Missing required param: {field}."}}
        bad = next((k for k in form if k.startswith(("line_items", "customer_creation",
                                                      "payment_intent_data"))), None)
        if bad is not None or form["customer"] not in self.customers:
            return 400, {"error": {"type": "invalid_request_error", "param": bad or "customer",
                                   "message": "not allowed in setup mode" if bad else
                                   "No such customer"}}
        status, session = self._session({**form, "mode": "payment",
                                          "line_items[0][price_data][currency]": form["currency"],
                                          "line_items[0][price_data][unit_amount]": "0",
                                          "line_items[0][quantity]": "1"}, request)
        if status != 200:
            return status, session
        session |= {"mode": "setup", "amount_total": None, "customer": form["customer"],
                    "payment_status": "no_payment_required", "setup_intent": None,
                    "setup_metadata": {k[len(SETUP_METADATA):-1]: v for k, v in form.items()
                                       if k.startswith(SETUP_METADATA)}}
        return 200, session

    async def create_customer(self, request: web.Request) -> web.Response:
        refused, form, key = await self._guard(request)
        return refused or await self._once(key, lambda: self._customer(form))

    def _customer(self, form: Json) -> tuple[int, Json]:
        customer = {"id": f"cus_{uuid.uuid4().hex[:14]}", "object": "customer",
                    "email": form.get("email"), "name": form.get("name"),
                    "metadata": {k[9:-1]: v for k, v in form.items()
                                 if k.startswith("metadata[")}}
        self.customers[customer["id"]] = customer
        return 200, customer

    async def get_setup(self, request: web.Request) -> web.Response:
        return await self._read(request, self.setups, "setupintent")

    def _save_card(self, session: Json, card: str) -> tuple[bytes, str]:
        """The customer saves `card` at a setup session's page: a succeeded SetupIntent with
        the card attached to the session's customer."""
        method = f"pm_{uuid.uuid4().hex[:24]}"
        self.methods[method] = {"card": card, "customer": session["customer"]}
        setup = {"id": f"seti_{uuid.uuid4().hex[:24]}", "object": "setup_intent",
                 "status": "succeeded", "customer": session["customer"],
                 "payment_method": method, "usage": "off_session",
                 "metadata": session["setup_metadata"]}
        self.setups[setup["id"]] = setup
        session |= {"status": "complete", "setup_intent": setup["id"]}
        return signed(self.event("checkout.session.completed", session))

    def setup_succeeded(self, session_id: str) -> tuple[bytes, str]:
        """The signed `setup_intent.succeeded` of a setup session that saved a card."""
        setup = self.setups[self.sessions[session_id]["setup_intent"]]
        return signed(self.event("setup_intent.succeeded", setup))

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
        if session["mode"] == "setup":
            return self._save_card(session, card)
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
        return await self._read(request, self.intents, "payment_intent")

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
