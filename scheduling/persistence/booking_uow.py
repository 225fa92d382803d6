"""The unit of work the booking services run in: catalog, appointments, waitlist, outbox."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.occupancy import BusyTimeSource
from scheduling.persistence.booking_repository import BookingRepository
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.outbox import Outbox
from scheduling.persistence.uow import SqlUnitOfWork
from scheduling.persistence.waitlist_repository import WaitlistRepository


class BookingUnitOfWork(SqlUnitOfWork):
    """`busy`: outside calendars whose busy time placement must respect (the composition root
    passes `calendar_sync`'s Google source; None means no calendar is connected)."""

    catalog: CatalogRepository
    appointments: BookingRepository
    waitlist: WaitlistRepository
    outbox: Outbox

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession],
        busy: BusyTimeSource | None = None,
    ) -> None:
        super().__init__(session_factory)
        self.busy = busy

    def _start(self) -> None:
        self.catalog = CatalogRepository(self.session)
        self.appointments = BookingRepository(self.session, self.busy)
        self.waitlist = WaitlistRepository(self.session)
        self.outbox = Outbox(self.session)
