"""`python -m assistant catalog export [FILE]` and `catalog import FILE.yml [--dry-run]`.

The served business (the first in the database), its booking rules and reminder lead times
as the YAML file docs/catalog-yaml.md describes, and back: an import is checked whole (every
problem printed as `FILE:LINE: field: what`) before anything is written, then replaces the
catalog in one transaction (`scheduling.desk.setup.replace`). The embedded database is
borrowed if `make run` has it running, and the schema is brought up to date first.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path

from assistant.run import database
from assistant.settings import Settings
from scheduling import formats
from scheduling.booking.model import Appointment
from scheduling.catalog import Catalog
from scheduling.catalog_yaml.nodes import CatalogFileError
from scheduling.catalog_yaml.read import CatalogFile, read_file
from scheduling.catalog_yaml.write import write_catalog
from scheduling.desk.setup.replace import (
    BusinessHasBookings,
    ReplaceCatalog,
    Replaced,
    Served,
    read_served,
    replace_catalog,
)
from scheduling.errors import DomainError
from scheduling.persistence.catalog_replace import CatalogReplaceUnitOfWork
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.persistence.migrate import upgrade


def export(settings: Settings, path: str | None) -> int:
    with database(settings, borrow=True) as url:
        upgrade(url)
        served = asyncio.run(_served(url))
    if served is None:
        print("error: there is no business in the database", file=sys.stderr)
        return 1
    text = write_catalog(served.catalog, served.rules, served.reminders)
    if path is None:
        sys.stdout.write(text)
    else:
        Path(path).write_text(text, encoding="utf-8")
        print(f"wrote {served.catalog.business.name} to {path}", file=sys.stderr)
    return 0


def import_file(settings: Settings, path: str, dry_run: bool, discard_bookings: bool) -> int:
    found = _read(path)
    if found is None:
        return 1
    command = ReplaceCatalog(found.catalog, found.rules, found.reminders,
                             discard_bookings=discard_bookings, dry_run=dry_run)
    with database(settings, borrow=True) as url:
        upgrade(url)
        try:
            done = asyncio.run(_replace(url, command))
        except BusinessHasBookings as error:
            print(f"error: {error} (--discard-bookings deletes them)", file=sys.stderr)
            return 1
        except DomainError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
    print(summary(done, dry_run))
    return 0


def _read(path: str) -> CatalogFile | None:
    """What the file sets, or None with every problem printed."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
        return read_file(text)
    except OSError as error:
        print(f"error: {path}: {error.strerror}", file=sys.stderr)
    except UnicodeDecodeError as error:
        line = error.object[:error.start].count(b"\n") + 1
        print(f"{path}:{line}: not UTF-8 text (byte {error.start})", file=sys.stderr)
    except CatalogFileError as error:
        print("\n".join(error.lines(path)), file=sys.stderr)
    return None


def summary(done: Replaced, dry_run: bool) -> str:
    catalog = done.catalog
    counts = (f"{len(catalog.business.locations)} location(s), {len(catalog.staff)} staff, "
              f"{len(catalog.services)} service(s)")
    how = "updated in place" if done.updated_in_place else "replaced the business served before"
    lines = [f"{catalog.business.name}: {how}; {counts}"]
    if done.archived:
        lines.append(f"archived (no longer in the file): {', '.join(done.archived)}")
    if done.stranded:
        lines.append(f"{len(done.stranded)} upcoming appointment(s) now outside working time"
                     " (they stand until moved or cancelled):")
        lines.extend(f"  {_appointment(catalog, a)}" for a in done.stranded)
    if dry_run:
        lines.append("dry run: nothing was written")
    return "\n".join(lines)


def _appointment(catalog: Catalog, appointment: Appointment) -> str:
    place = catalog.location(appointment.location_id)
    when = formats.short_when(appointment.start, place.zone)
    service = catalog.service(appointment.service_id).name
    return f"{when} {service} with {catalog.staff_member(appointment.staff_id).name}"


async def _served(url: str) -> Served | None:
    engine = make_engine(url)
    try:
        return await read_served(CatalogReplaceUnitOfWork(make_session_factory(engine)))
    finally:
        await engine.dispose()


async def _replace(url: str, command: ReplaceCatalog) -> Replaced:
    engine = make_engine(url)
    try:
        uow = CatalogReplaceUnitOfWork(make_session_factory(engine))
        return await replace_catalog(command, uow, datetime.now(UTC))
    finally:
        await engine.dispose()
