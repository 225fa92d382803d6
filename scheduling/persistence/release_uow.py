"""The unit of work of the owner's release screens: the front desk's, with the release store
(customers are looked up by contact and added to an audience in one transaction)."""

from __future__ import annotations

from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.persistence.release_store import ReleaseStore


class ReleaseUnitOfWork(DeskUnitOfWork):
    releases: ReleaseStore

    def _start(self) -> None:
        super()._start()
        self.releases = ReleaseStore(self.session)
