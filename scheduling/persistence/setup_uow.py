"""The PostgreSQL unit of work of the owner's setup: the desk's plus the catalog's write side."""

from __future__ import annotations

from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.persistence.setup_repository import SetupRepository


class SetupUnitOfWork(DeskUnitOfWork):
    setup: SetupRepository

    def _start(self) -> None:
        super()._start()
        self.setup = SetupRepository(self.session)
