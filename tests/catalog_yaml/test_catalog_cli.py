"""`python -m assistant catalog export|import` as a subprocess against PostgreSQL: a dry run
writes nothing, an import makes the file the catalog and a second one updates it in place
(archiving what the file dropped), export writes it back, a bad file is refused whole with its
lines and leaves the database as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.settings import PROJECT_ROOT
from scheduling.booking.policies import BookingRules
from scheduling.catalog import Archived, Catalog
from scheduling.catalog_yaml.read import read_catalog
from scheduling.catalog_yaml.write import write_catalog
from scheduling.desk.setup.replace import Reminders, read_served
from scheduling.notifications.reminders import DEFAULT_OFFSETS
from scheduling.persistence.catalog_replace import CatalogReplaceUnitOfWork
from scheduling.persistence.catalog_repository import CatalogRepository

pytestmark = [pytest.mark.db, pytest.mark.slow]
STUDIOS = PROJECT_ROOT / "docs" / "examples" / "two-studios.yml"
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
async def empty(database_url: str, clean_tables: None) -> AsyncIterator[str]:
    yield database_url


def catalog_command(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "assistant", "catalog", *args],
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


async def _stored(factory: Factory) -> list[Catalog]:
    async with factory() as session:
        repository = CatalogRepository(session)
        return [await repository.get(i) for i in await repository.business_ids()]


async def test_import_then_export(
    empty: str, session_factory: Factory, tmp_path: Path
) -> None:
    nothing = catalog_command(empty, "export")
    assert nothing.returncode == 1 and "no business" in nothing.stderr

    dry = catalog_command(empty, "import", str(STUDIOS), "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "dry run: nothing was written" in dry.stdout
    assert await _stored(session_factory) == []

    done = catalog_command(empty, "import", str(STUDIOS))
    assert done.returncode == 0, done.stderr
    assert "2 location(s), 4 staff, 6 service(s)" in done.stdout
    wanted = read_catalog(STUDIOS.read_text())
    assert await _stored(session_factory) == [wanted]

    exported = catalog_command(empty, "export")
    assert exported.stdout == write_catalog(wanted, BookingRules(), Reminders(DEFAULT_OFFSETS))
    target = tmp_path / "out.yml"
    assert catalog_command(empty, "export", str(target)).returncode == 0
    assert target.read_text() == exported.stdout


async def test_a_second_import_updates_in_place_and_archives_what_the_file_dropped(
    empty: str, session_factory: Factory, tmp_path: Path
) -> None:
    assert catalog_command(empty, "import", str(STUDIOS)).returncode == 0
    before = (await _stored(session_factory))[0]
    exported = tmp_path / "studios.yml"
    catalog_command(empty, "export", str(exported))
    text = exported.read_text()
    start = text.index("  - id", text.index("name: Hot stone massage") - 60)
    end = text.index("  - id", start + 10)
    edited = text[:start] + text[end:]
    edited = edited.replace("price: '95.00'", "price: '99.00'\n    reminders: [3h]")
    exported.write_text(edited.replace("booking_rules: {}", "booking_rules:\n  hold_ttl: 10 min"))

    done = catalog_command(empty, "import", str(exported))
    assert done.returncode == 0, done.stderr
    assert "updated in place" in done.stdout
    assert "archived (no longer in the file): Hot stone massage" in done.stdout
    [after] = await _stored(session_factory)
    assert after.business.id == before.business.id
    assert after.find_service("Deep tissue massage").price == 99
    assert [s.name for s in after.archived.services] == ["Hot stone massage"]
    assert replace_archived(after) == read_catalog(exported.read_text())
    served = await read_served(CatalogReplaceUnitOfWork(session_factory))
    assert served is not None
    assert served.rules == BookingRules(hold_ttl=timedelta(minutes=10))
    assert served.reminders == Reminders(DEFAULT_OFFSETS,
                                         {"Deep tissue massage": (timedelta(hours=3),)})


def replace_archived(catalog: Catalog) -> Catalog:
    return Catalog(catalog.business, catalog.staff, catalog.services, Archived())


async def test_a_bad_file_is_refused_whole_and_nothing_is_written(
    empty: str, session_factory: Factory, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(STUDIOS.read_text().replace("duration: 1h30", "duration: -5 min")
                   .replace("time_zone: America/Denver", "time_zone: America/Denvr"))
    done = catalog_command(empty, "import", str(bad))
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.startswith(str(bad))]
    assert lines == [
        f"{bad}:30: locations[1].time_zone: unknown time zone 'America/Denvr'",
        f'{bad}:105: services[1].duration: "-5 min" is not a positive duration']
    assert await _stored(session_factory) == []

    bad.write_bytes(b"business:\n  name: Caf\xe9\n")
    assert f"{bad}:2: not UTF-8 text (byte 21)" in catalog_command(empty, "import", str(bad)).stderr
    missing = catalog_command(empty, "import", str(tmp_path / "none.yml"))
    assert missing.returncode == 1 and "No such file" in missing.stderr
