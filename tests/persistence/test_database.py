"""The test database is real PostgreSQL, migrated, with the extensions the schema needs."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

pytestmark = pytest.mark.db


async def test_btree_gist_is_installed(db_session: AsyncSession) -> None:
    rows = await db_session.execute(text("SELECT extname FROM pg_extension"))
    assert "btree_gist" in set(rows.scalars())


async def test_migrations_are_at_every_head(db_session: AsyncSession) -> None:
    from alembic.script import ScriptDirectory

    from scheduling.persistence.migrate import MIGRATIONS

    heads = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    current = await db_session.execute(text("SELECT version_num FROM alembic_version"))
    assert set(current.scalars()) == heads


async def test_rolled_back_session_leaves_no_trace(db_session: AsyncSession) -> None:
    await db_session.execute(text("CREATE TABLE scratch (id int)"))
    await db_session.commit()
    assert (await db_session.execute(text("SELECT count(*) FROM scratch"))).scalar_one() == 0
