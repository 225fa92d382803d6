"""One catalog change: read the catalog, apply a pure edit, list what it strands, save.

Every catalog use case goes through `apply`, so each is one transaction that reads the catalog
it changes (never a cached copy) and reports the appointments it leaves outside hours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any, TypeVar
from uuid import UUID

from scheduling.catalog import Catalog
from scheduling.desk.setup.stranded import stranded
from scheduling.desk.setup.values import Changed, Kind
from scheduling.errors import InvalidRequest
from scheduling.ports import SetupUnitOfWork

Edit = Callable[[Catalog], Catalog]
Item = TypeVar("Item")
REACH = timedelta(days=5 * 366)
"""How far ahead stranded appointments are looked for: as far as anything can be booked."""


async def apply(uow: SetupUnitOfWork, business_id: UUID, edit: Edit, now: datetime,
                archive: tuple[Kind, UUID] | None = None) -> Changed:
    """`archive` names the entry `edit` moved to the archived part, archived as of `now`."""
    async with uow:
        await uow.setup.lock(business_id)
        old = await uow.catalog.get(business_id)
        new = edit(old)
        staff_ids = [member.id for member in (*old.staff, *old.archived.staff)]
        upcoming = await uow.appointments.booked_between(business_id, staff_ids, now, now + REACH)
        await uow.setup.save(new)
        if archive is not None:
            await uow.setup.archive(business_id, *archive, now)
        await uow.commit()
    return Changed(new, stranded(old, new, upcoming))


def upsert(items: Sequence[Item], item: Item, key: Callable[[Item], UUID]) -> tuple[Item, ...]:
    """`items` with `item` in place of the one with its id, or appended when new."""
    if any(key(existing) == key(item) for existing in items):
        return tuple(item if key(existing) == key(item) else existing for existing in items)
    return (*items, item)


def offered(archived: Sequence[Item], item_id: UUID, key: Callable[[Item], UUID],
            what: str) -> None:
    """An archived entry stays as it was: old appointments name it as it then was."""
    if any(key(item) == item_id for item in archived):
        raise InvalidRequest(f"{what}: archived, edit refused", field=what)


def unchanged(items: Sequence[Item], was: Item | None, key: Callable[[Item], UUID],
              what: str) -> None:
    """An edit made from `was` (None: no such claim) is refused when the stored value is no
    longer `was`: two edits at once would otherwise have the second undo the first."""
    if was is not None and next((i for i in items if key(i) == key(was)), None) != was:
        raise InvalidRequest(f"{what}: changed meanwhile; read it again and retry", field=what)


def unique_name(names: Sequence[tuple[UUID, str]], item_id: UUID, name: str, what: str) -> None:
    """Names are how the owner, the bot and customers tell things apart."""
    taken = any(other != item_id and n.casefold() == name.casefold() for other, n in names)
    if taken:
        raise InvalidRequest(f"name: another {what} is already called {name!r}", field="name")


def with_business(catalog: Catalog, **changes: Any) -> Catalog:
    return replace(catalog, business=replace(catalog.business, **changes))
