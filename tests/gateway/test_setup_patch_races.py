"""Two PATCHes at once on the business profile, the booking rules or the parts of messages:
each reads the stored value and lays its fields over it, so without a check the second would
save the first's fields back as they were. Now either both land (one after the other) or the
stale one is a 422 that says to read again; no field a 200 reported is lost."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
ADMIN = {"X-API-Key": API_KEY}
Client = TestClient[web.Request, web.Application]
ROUNDS = 4


async def _patch(gateway: Client, path: str, body: dict[str, Any]) -> tuple[int, Any]:
    response = await gateway.patch(f"/api/v1/admin{path}", json=body, headers=ADMIN)
    return response.status, await response.json()


@pytest.mark.parametrize(("path", "first", "second"), [
    ("/messages", {"signature": "Ana, {n}"}, {"parking_notes": "Lot {n}"}),
    ("/booking-rules", {"hold_minutes": "{n}"}, {"max_active_per_customer": "{n}"}),
    ("/business", {"name": "Salon {n}"}, {"phone": "+1555000100{n}"}),
])
async def test_two_patches_at_once_lose_nothing(
    gateway: Client, demo: None, path: str, first: dict[str, str], second: dict[str, str]
) -> None:
    for n in range(1, ROUNDS + 1):
        bodies = [{k: _value(v, n) for k, v in body.items()} for body in (first, second)]
        answers = await asyncio.gather(*(_patch(gateway, path, b) for b in bodies))
        assert {status for status, _ in answers} <= {200, 422}, answers
        assert any(status == 200 for status, _ in answers), answers
        stored = await (await gateway.get(f"/api/v1/admin{path}", headers=ADMIN)).json()
        for (status, answer), body in zip(answers, bodies, strict=True):
            if status == 200:
                assert {k: stored[k] for k in body} == body, (answers, stored)
            else:
                assert "changed meanwhile" in str(answer), answer


def _value(template: str, n: int) -> Any:
    text = template.format(n=n)
    return int(text) + 10 if text.isdigit() else text
