"""A fake of Twilio's Messages API: `POST /2010-04-01/Accounts/{sid}/Messages.json`.

Form-encoded, HTTP basic auth with the account SID and auth token; answers 201 with a JSON
message resource carrying its `sid`, or Twilio's JSON error (`code`, `message`, `more_info`,
`status`). Numbers in `ledger.refuse` get that status with code 21610 (the recipient texted
STOP). Deduplicates by the `Idempotency-Key` header and counts every request.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from aiohttp import BasicAuth, web

from tests.fakes.server import Ledger


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response({"code": code, "message": message, "status": status,
                              "more_info": f"https://www.twilio.com/docs/errors/{code}"},
                             status=status)


class FakeTwilio:
    def __init__(self, account_sid: str = "AC" + "0" * 32, auth_token: str = "fake-token"):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.ledger = Ledger()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self.create)
        return app

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        try:
            auth = BasicAuth.decode(header)
        except ValueError:
            return False
        return (auth.login, auth.password) == (self.account_sid, self.auth_token) and \
            request.match_info["sid"] == self.account_sid

    async def create(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _error(401, 20003, "Authenticate")
        status = await self.ledger.fault()
        if status is not None:
            return _error(status, 20429 if status == 429 else 20500, "injected failure")
        form = await request.post()
        to, sender, body = form.get("To"), form.get("From"), form.get("Body")
        if not (to and sender and body):
            return _error(400, 21604, "A 'To', 'From' and 'Body' parameter is required.")
        if str(to) in self.ledger.refuse:
            return _error(self.ledger.refuse[str(to)], 21610,
                          "Attempt to send to unsubscribed recipient")
        message = {"to": str(to), "from": str(sender), "body": str(body)}
        key = request.headers.get("Idempotency-Key") or uuid.uuid4().hex
        sid = self.ledger.accept(key, message, "SM" + uuid.uuid4().hex)
        return web.json_response(self._resource(sid, message), status=201)

    def _resource(self, sid: str, message: dict[str, str]) -> dict[str, object]:
        now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        return {"sid": sid, "account_sid": self.account_sid, "to": message["to"],
                "from": message["from"], "body": message["body"], "status": "queued",
                "num_segments": "1", "direction": "outbound-api", "date_created": now,
                "date_updated": now, "date_sent": None, "error_code": None,
                "error_message": None, "price": None, "price_unit": "USD",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json"}
