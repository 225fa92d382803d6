"""Rasa models in the database: published by whoever trains, pulled by every Rasa replica
through the gateway (Rasa's model-server protocol), so one retrain reaches them all."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from scheduling.persistence.replica_tables import RasaModelRow


async def publish(connection: AsyncConnection, name: str, body: bytes, now: datetime) -> str:
    """Make `body` the served model (publishing an older file again makes it current: a
    rollback); returns its digest. Does not commit."""
    digest = hashlib.sha256(body).hexdigest()
    await connection.execute(
        insert(RasaModelRow).values(digest=digest, name=name, body=body, published_at=now)
        .on_conflict_do_update(index_elements=["digest"],
                               set_={"published_at": now, "name": name}))
    return digest


async def current(connection: AsyncConnection) -> tuple[str, str] | None:
    """The served model's (digest, name), without its body; None when none was published."""
    row = (await connection.execute(
        select(RasaModelRow.digest, RasaModelRow.name)
        .order_by(RasaModelRow.published_at.desc()).limit(1))).first()
    return None if row is None else (row.digest, row.name)


async def body(connection: AsyncConnection, digest: str) -> bytes | None:
    return await connection.scalar(select(RasaModelRow.body).where(RasaModelRow.digest == digest))
