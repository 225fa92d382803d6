"""Engines and session factories, made at start-up and passed in (never at import time)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SessionFactory = async_sessionmaker[AsyncSession]


def psycopg_url(url: str) -> str:
    """The same server and database with psycopg 3, which serves both sync and asyncio."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def make_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20) -> AsyncEngine:
    """An asyncio engine on `url` (any postgresql:// form is accepted)."""
    return create_async_engine(
        psycopg_url(url), pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True
    )


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay readable after commit, for building results."""
    return async_sessionmaker(engine, expire_on_commit=False)


async def server_version(engine: AsyncEngine) -> str:
    """The server's version: a readiness probe that also says which PostgreSQL answered."""
    async with engine.connect() as connection:
        return str((await connection.execute(text("SHOW server_version"))).scalar_one())
