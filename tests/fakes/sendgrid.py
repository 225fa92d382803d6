"""A fake of SendGrid's v3 Mail Send API: `POST /v3/mail/send`.

Checks the bearer key and the body's required parts, answers 202 with `X-Message-Id`, or JSON
errors the way SendGrid does (`{"errors": [{"message", "field", "help"}]}`). Deduplicates by
the `Idempotency-Key` header (or `custom_args.idempotency_key`) and counts every request.
"""

from __future__ import annotations

import uuid

from aiohttp import web

from tests.fakes.server import Ledger


def _errors(status: int, message: str, field: str | None = None) -> web.Response:
    return web.json_response(
        {"errors": [{"message": message, "field": field, "help": None}]}, status=status
    )


class FakeSendGrid:
    def __init__(self, api_key: str = "SG.fake-key") -> None:
        self.api_key = api_key
        self.ledger = Ledger()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/mail/send", self.send)
        return app

    async def send(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return _errors(401, "The provided authorization grant is invalid, expired, or "
                                "revoked")
        status = await self.ledger.fault()
        if status is not None:
            return _errors(status, "injected failure")
        body = await request.json()
        problem = _invalid(body)
        if problem:
            return _errors(400, problem[1], problem[0])
        to = body["personalizations"][0]["to"][0]["email"]
        if to in self.ledger.refuse:
            return _errors(self.ledger.refuse[to], "recipient refused", "personalizations")
        key = request.headers.get("Idempotency-Key") or body.get("custom_args", {}).get(
            "idempotency_key") or uuid.uuid4().hex
        message_id = self.ledger.accept(key, body, uuid.uuid4().hex[:22])
        return web.Response(status=202, headers={"X-Message-Id": message_id})


def _invalid(body: dict[str, object]) -> tuple[str, str] | None:
    personalizations = body.get("personalizations")
    if not isinstance(personalizations, list) or not personalizations:
        return "personalizations", "The personalizations field is required."
    if not isinstance(body.get("from"), dict):
        return "from.email", "The from object must be provided for every email send."
    if not body.get("subject"):
        return "subject", "The subject is required."
    if not body.get("content"):
        return "content", "Unless a valid template_id is provided, content is required."
    return None
