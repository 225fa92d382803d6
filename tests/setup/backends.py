"""`@both`: a test once on the in-memory fake, once on PostgreSQL (marked `db`)."""

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

Payloads = Callable[[str], Awaitable[list[dict[str, Any]]]]
"""The payloads of the queued messages of one kind (the `payloads` fixture)."""

both = pytest.mark.parametrize(
    "uow", ["fake", pytest.param("postgres", marks=pytest.mark.db)], indirect=True)
