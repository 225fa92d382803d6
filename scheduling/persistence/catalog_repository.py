"""Loads and saves the catalog as domain values; rows never leave this module.

The repository only adds to the session and flushes: committing is the caller's (the unit of
work's) decision, so one command stays one transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar
from uuid import UUID

from sqlalchemy import delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.catalog import (
    Archived,
    Business,
    Catalog,
    Customer,
    Location,
    LocationType,
    Service,
    Staff,
)
from scheduling.deposit_rules import DepositFor, DepositKind, DepositRule
from scheduling.errors import NotFound
from scheduling.hours import TimeOff, WeeklyHours
from scheduling.persistence import catalog_codec as codec
from scheduling.persistence.catalog_tables import (
    BusinessRow,
    CustomerRow,
    LocationRow,
    ServiceRow,
    StaffLocationRow,
    StaffRow,
    StaffTimeOffRow,
)

RowT = TypeVar("RowT", LocationRow, StaffRow, ServiceRow)


def _minutes(value: timedelta) -> int:
    return int(value.total_seconds() // 60)


class CatalogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def has_any_business(self) -> bool:
        return bool(await self.session.scalar(select(exists().select_from(BusinessRow))))

    async def business_ids(self) -> list[UUID]:
        rows = await self.session.scalars(select(BusinessRow.id).order_by(BusinessRow.created_at))
        return list(rows)

    async def get(self, business_id: UUID) -> Catalog:
        row = await self.session.get(BusinessRow, business_id)
        if row is None:
            raise NotFound("business", business_id)
        locations = await self._ordered(LocationRow, business_id)
        business = Business(
            id=row.id, name=row.name, time_zone=row.time_zone,
            locations=tuple(_location(loc) for loc in locations if loc.archived_at is None),
            contact=codec.contact_of(row.contact), policies=codec.policies_of(row.policies),
        )
        staff = await self._staff(business_id)
        services = await self._ordered(ServiceRow, business_id)
        archived = Archived(
            locations=tuple(_location(loc) for loc in locations if loc.archived_at is not None),
            staff=tuple(member for member, retired in staff if retired),
            services=tuple(_service(s) for s in services if s.archived_at is not None),
        )
        return Catalog(business=business, staff=tuple(m for m, retired in staff if not retired),
                       services=tuple(_service(s) for s in services if s.archived_at is None),
                       archived=archived)

    async def _ordered(self, table: type[RowT], business_id: UUID) -> list[RowT]:
        query = select(table).where(table.business_id == business_id)
        return list(await self.session.scalars(query.order_by(table.position, table.name)))

    async def _staff(self, business_id: UUID) -> list[tuple[Staff, bool]]:
        """Each member and whether they are archived."""
        rows = await self._ordered(StaffRow, business_id)
        ids = [row.id for row in rows]
        links = await self.session.scalars(
            select(StaffLocationRow).where(StaffLocationRow.staff_id.in_(ids))
        )
        places: dict[UUID, set[UUID]] = {staff_id: set() for staff_id in ids}
        for link in links:
            places[link.staff_id].add(link.location_id)
        absences = await self.session.scalars(
            select(StaffTimeOffRow)
            .where(StaffTimeOffRow.staff_id.in_(ids))
            .order_by(StaffTimeOffRow.starts_at)
        )
        off: dict[UUID, list[TimeOff]] = {staff_id: [] for staff_id in ids}
        for row in absences:
            off[row.staff_id].append(TimeOff(row.starts_at, row.ends_at, row.reason))
        return [(_staff(member, places[member.id], off[member.id]), member.archived_at is not None)
                for member in rows]

    async def save(self, catalog: Catalog) -> None:
        """Insert or update everything in `catalog`; staff links and time off are replaced.

        Staff or services missing from `catalog` are left alone: removing one is a decision
        about its appointments, not a side effect of saving. What `catalog` offers is saved
        as offered (an archived entry listed again is offered again); its archived part is
        not written (archiving is `SetupRepository.archive`).
        """
        business = catalog.business
        await self.session.merge(_business_row(business))
        await self.session.flush()
        for position, location in enumerate(business.locations):
            await self.session.merge(_location_row(business.id, position, location))
        for position, member in enumerate(catalog.staff):
            await self.session.merge(_staff_row(business.id, position, member))
        for position, service in enumerate(catalog.services):
            await self.session.merge(_service_row(business.id, position, service))
        await self.session.flush()
        await self._replace_staff_details(catalog.staff)

    async def _replace_staff_details(self, staff: tuple[Staff, ...]) -> None:
        ids = [member.id for member in staff]
        for table in (StaffLocationRow, StaffTimeOffRow):
            await self.session.execute(delete(table).where(table.staff_id.in_(ids)))
        for member in staff:
            self.session.add_all(
                StaffLocationRow(staff_id=member.id, location_id=location_id)
                for location_id in sorted(member.location_ids)
            )
            self.session.add_all(
                StaffTimeOffRow(staff_id=member.id, starts_at=off.start, ends_at=off.end,
                                reason=off.reason)
                for off in member.time_off
            )
        await self.session.flush()

    async def get_customer(self, customer_id: UUID) -> Customer:
        row = await self.session.get(CustomerRow, customer_id)
        if row is None:
            raise NotFound("customer", customer_id)
        return _customer(row)

    async def customer_by_phone(self, business_id: UUID, phone: str) -> Customer:
        row = await self.session.scalar(
            select(CustomerRow).where(
                CustomerRow.business_id == business_id, CustomerRow.phone == phone
            )
        )
        if row is None:
            raise NotFound("customer", phone)
        return _customer(row)

    async def save_customer(self, business_id: UUID, customer: Customer) -> None:
        await self.session.merge(_customer_row(business_id, customer))
        await self.session.flush()


def _business_row(business: Business) -> BusinessRow:
    return BusinessRow(
        id=business.id, name=business.name, time_zone=business.time_zone,
        contact=codec.contact_json(business.contact),
        policies=codec.policies_json(business.policies),
    )


def _location_row(business_id: UUID, position: int, location: Location) -> LocationRow:
    return LocationRow(
        id=location.id, business_id=business_id, position=position, name=location.name,
        archived_at=None,
        time_zone=location.time_zone, address=location.address,
        opening_hours=location.opening_hours.as_dict(),
        closures=codec.closures_json(location.closures),
    )


def _location(row: LocationRow) -> Location:
    return Location(
        id=row.id, name=row.name, time_zone=row.time_zone, address=row.address,
        opening_hours=WeeklyHours.of(row.opening_hours), closures=codec.closures_of(row.closures),
    )


def _staff_row(business_id: UUID, position: int, staff: Staff) -> StaffRow:
    return StaffRow(
        id=staff.id, business_id=business_id, position=position, name=staff.name,
        archived_at=None,
        weekly_hours=staff.weekly_hours.as_dict(), breaks=staff.breaks.as_dict(),
        overrides=codec.overrides_json(staff.overrides), skills=sorted(staff.skills),
        languages=sorted(staff.languages), max_bookings_per_day=staff.max_bookings_per_day,
        google_calendar_id=staff.google_calendar_id,
    )


def _staff(row: StaffRow, location_ids: set[UUID], time_off: list[TimeOff]) -> Staff:
    return Staff(
        id=row.id, name=row.name, location_ids=frozenset(location_ids),
        weekly_hours=WeeklyHours.of(row.weekly_hours), breaks=WeeklyHours.of(row.breaks),
        time_off=tuple(time_off), overrides=codec.overrides_of(row.overrides),
        skills=frozenset(row.skills), languages=frozenset(row.languages),
        max_bookings_per_day=row.max_bookings_per_day, google_calendar_id=row.google_calendar_id,
    )


def _service_row(business_id: UUID, position: int, service: Service) -> ServiceRow:
    cancellation = service.cancellation
    return ServiceRow(
        id=service.id, business_id=business_id, position=position, name=service.name,
        archived_at=None,
        aliases=list(service.aliases), category=service.category,
        duration_minutes=_minutes(service.duration), price=service.price,
        deposit=service.deposit.value, deposit_kind=service.deposit.kind.value,
        deposit_for=service.deposit.applies_to.value, card_required=service.card_required,
        buffer_before_minutes=_minutes(service.buffer_before),
        buffer_after_minutes=_minutes(service.buffer_after),
        slot_interval_minutes=_minutes(service.slot_interval), capacity=service.capacity,
        min_participants=service.min_participants, max_participants=service.max_participants,
        required_skills=sorted(service.required_skills), location_type=service.location_type.value,
        location_ids=sorted(service.location_ids), min_notice_minutes=_minutes(service.min_notice),
        max_advance_days=service.max_advance_days,
        cancellation=codec.cancellation_json(cancellation) if cancellation else None,
    )


def _service(row: ServiceRow) -> Service:
    minutes = timedelta(minutes=1)
    return Service(
        id=row.id, name=row.name, aliases=tuple(row.aliases), category=row.category,
        duration=row.duration_minutes * minutes, price=row.price,
        deposit=DepositRule(DepositKind(row.deposit_kind), row.deposit,
                            DepositFor(row.deposit_for)),
        card_required=row.card_required,
        buffer_before=row.buffer_before_minutes * minutes,
        buffer_after=row.buffer_after_minutes * minutes,
        slot_interval=row.slot_interval_minutes * minutes, capacity=row.capacity,
        min_participants=row.min_participants, max_participants=row.max_participants,
        required_skills=frozenset(row.required_skills),
        location_type=LocationType(row.location_type), location_ids=frozenset(row.location_ids),
        min_notice=row.min_notice_minutes * minutes, max_advance_days=row.max_advance_days,
        cancellation=codec.cancellation_of(row.cancellation) if row.cancellation else None,
    )


def _customer_row(business_id: UUID, customer: Customer) -> CustomerRow:
    return CustomerRow(
        id=customer.id, business_id=business_id, name=customer.name, phone=customer.phone,
        email=customer.email, time_zone=customer.time_zone,
        notifications=codec.notifications_json(customer.notifications),
        preferences=codec.preferences_json(customer.preferences),
        phone_verified_at=customer.phone_verified_at, email_verified_at=customer.email_verified_at,
    )


def _customer(row: CustomerRow) -> Customer:
    return Customer(
        id=row.id, name=row.name, phone=row.phone, email=row.email, time_zone=row.time_zone,
        notifications=codec.notifications_of(row.notifications),
        preferences=codec.preferences_of(row.preferences),
        phone_verified_at=row.phone_verified_at, email_verified_at=row.email_verified_at,
    )
