"""Schemathesis drives every operation in /openapi.json with generated requests (as an admin):
no 5xx, and every response, errors included, matches the documented status and schema."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationConfig
from sqlalchemy import text

from assistant.gateway import ratelimit
from assistant.gateway.app import create_app
from scheduling.demo import seed_demo_if_empty
from scheduling.persistence import tables
from scheduling.persistence.database import make_engine, make_session_factory
from tests.gateway.conftest import API_KEY, gateway_settings
from tests.gateway.served import ServedApp

pytestmark = [pytest.mark.db, pytest.mark.slow]


async def _reset(url: str, seed: bool) -> None:
    engine = make_engine(url, pool_size=1, max_overflow=0)
    names = ", ".join(f'"{t.name}"' for t in tables.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    if seed:
        await seed_demo_if_empty(make_session_factory(engine))
    await engine.dispose()


@pytest.fixture(scope="module")
def api_schema(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    asyncio.run(_reset(database_url, seed=True))

    def make() -> object:
        app = create_app(gateway_settings(database_url, Path(tmp_path_factory.mktemp("gw")), 9))
        unlimited = ratelimit.RateLimiter(rate=1e9, burst=1e9)
        app[ratelimit.LIMITS] = dict.fromkeys(ratelimit.default_limits(), unlimited)
        return app

    served = ServedApp(make).start()  # type: ignore[arg-type]
    try:
        yield schemathesis.from_uri(f"{served.url}/openapi.json", base_url=served.url)
    finally:
        served.stop()
        asyncio.run(_reset(database_url, seed=False))


schema = schemathesis.from_pytest_fixture(
    "api_schema",
    # credentials are ours (an admin key on every request); generated Authorization and Cookie
    # values are mostly bytes HTTP forbids in headers, refused by aiohttp's parser as text
    generation_config=GenerationConfig(with_security_parameters=False))


@schema.parametrize()
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow,
                                 HealthCheck.function_scoped_fixture])
def test_every_operation_conforms(case: schemathesis.Case) -> None:
    # the ignored_auth check re-sends without credentials and assumes these containers exist
    case.cookies, case.headers = case.cookies or {}, case.headers or {}
    case.query = case.query or {}
    case.call_and_validate(headers={"X-API-Key": API_KEY})
