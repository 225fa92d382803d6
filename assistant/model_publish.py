"""Publishing a trained Rasa model to the database's model store, from which every gateway
serves it to every Rasa replica (`assistant.gateway.model_store`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from scheduling.persistence import model_store
from scheduling.persistence.database import make_engine


async def publish_file(url: str, model: Path, only_if_empty: bool = False) -> str | None:
    """Make the file at `model` the served model; returns its digest. With `only_if_empty`,
    leaves a store that already has a model alone (a replica starting with an older file
    must not roll back a retrain) and returns None."""
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            if only_if_empty and await model_store.current(connection) is not None:
                return None
            return await model_store.publish(connection, model.name, model.read_bytes(),
                                             datetime.now(UTC))
    finally:
        await engine.dispose()
