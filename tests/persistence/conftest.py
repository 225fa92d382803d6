"""Migration tests start from an empty database of their own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from assistant.embedded_db import fresh_database


@pytest.fixture
def url(postgres_admin_url: str) -> Iterator[str]:
    """A new database with no tables yet, dropped after the test."""
    with fresh_database(postgres_admin_url, "migration", migrate=False) as found:
        yield found
