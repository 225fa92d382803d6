"""A fake of the parts of Stripe's API the payments use, spoken to by the real `stripe`
library (its API base set to the fake): `POST /v1/checkout/sessions`, `POST /v1/refunds`.

Checks the bearer key and the form fields the way Stripe does (errors as
`{"error": {"type", "code", "message", "param"}}`), honours `Idempotency-Key` (the same key
answers the same object), and injects faults through its `Ledger` (429, 5xx, "timeout").
`pay` plays the customer at the hosted checkout: a good card completes the session and returns
the signed `checkout.session.completed` webhook Stripe would send; a declined card changes
nothing and returns None. `signed` signs any event as Stripe does (`Stripe-Signature`).
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
        self.answers: dict[str, tuple[int, Json]] = {}
        self.base = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1/checkout/sessions", self.create_session)
        app.router.add_post("/v1/refunds", self.create_refund)
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
        if card != GOOD_CARD or session["status"] != "open":
            return None
        session |= {"status": "complete", "payment_status": "paid",
                    "payment_intent": f"pi_{uuid.uuid4().hex[:24]}"}
        return signed(self.event("checkout.session.completed", session))

    @staticmethod
    def event(kind: str, data: Json) -> Json:
        return {"id": f"evt_{uuid.uuid4().hex[:24]}", "object": "event", "type": kind,
                "api_version": "2025-01-27.acacia", "created": int(time.time()),
                "livemode": False, "data": {"object": dict(data)}}
