"""The PostgreSQL unit of work of the front desk: the booking one plus the desk's repository."""

from __future__ import annotations

from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.desk_repository import DeskRepository


class DeskUnitOfWork(BookingUnitOfWork):
    desk: DeskRepository

    def _start(self) -> None:
        super()._start()
        self.desk = DeskRepository(self.session)
