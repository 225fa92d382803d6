"""`booking_read_ahead`: a named booking's staff lock, then the customer's count and the staff
member's bookings read after it, inside the booking's head query (one round trip less).

A statement reads with the snapshot taken when it started, before it waited for any lock, so
the count and the bookings placement needs could not come with the head query: they were a
statement of their own, sent once the head query had returned with the locks held. A VOLATILE
PL/pgSQL function takes a new snapshot for each statement it runs, so called from the head
query once the customer's row is locked, it takes the staff member's advisory lock and then
reads what a statement sent after the lock would read. PL/pgSQL keeps its plans for the life of
the connection, whatever the client does with its own prepared statements.

The statuses are those of the hot path's statements (`booking_repository`): booked
(pending, confirmed) for the count, active (held too, unexpired) for the bookings, as the
exclusion constraint's predicate. One row: the count, then the bookings as parallel arrays (a
row per booking would repeat the head query's row for each).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

READ_AHEAD = """
CREATE FUNCTION booking_read_ahead(
    p_lock text, p_customer uuid, p_now timestamptz, p_staff uuid, p_low timestamptz,
    p_high timestamptz)
RETURNS TABLE (r_active bigint, r_ids uuid[], r_staff uuid[], r_starts timestamptz[],
               r_ends timestamptz[], r_blocked_starts timestamptz[],
               r_blocked_ends timestamptz[], r_services uuid[], r_seats integer[])
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext(p_lock));
    RETURN QUERY
    SELECT (SELECT count(*) FROM appointments a WHERE a.customer_id = p_customer
                AND a.ends_at > p_now AND a.status IN ('confirmed', 'pending')),
           array_agg(i.id), array_agg(i.staff_id), array_agg(i.starts_at),
           array_agg(i.ends_at), array_agg(i.blocked_start), array_agg(i.blocked_end),
           array_agg(i.service_id), array_agg(i.seats)
    FROM appointments i
    WHERE p_low IS NOT NULL AND p_high IS NOT NULL AND i.staff_id = p_staff
        AND tstzrange(i.blocked_start, i.blocked_end, '[)') && tstzrange(p_low, p_high, '[)')
        AND i.status IN ('held', 'pending', 'confirmed')
        AND (i.hold_expires_at IS NULL OR i.hold_expires_at > p_now);
END
$$
"""


def upgrade() -> None:
    op.execute(READ_AHEAD)


def downgrade() -> None:
    op.execute("DROP FUNCTION booking_read_ahead(text, uuid, timestamptz, uuid, timestamptz,"
               " timestamptz)")
