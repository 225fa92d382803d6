"""The desk's note on an appointment: written whole, and only over the note the editor read.

The form sends back the note it started from (`was`); the write is one statement that updates
only when the stored note is still that one, so of two desks editing at once the second is
told the note changed meanwhile instead of silently erasing the first one's words.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import text

from scheduling.booking.model import Actor, AuditEntry
from scheduling.errors import InvalidRequest
from scheduling.persistence.booking_repository import BookingRepository
from scheduling.persistence.database import SessionFactory

NOTE_LIMIT = 4000
SAVE = text(
    "INSERT INTO appointment_desk_notes (appointment_id, body, updated_by, updated_at) "
    "SELECT CAST(:id AS uuid), CAST(:body AS text), CAST(:by AS varchar), "
    "CAST(:at AS timestamptz) WHERE coalesce((SELECT body FROM appointment_desk_notes "
    "WHERE appointment_id = CAST(:id AS uuid)), '') = CAST(:was AS text) "
    "ON CONFLICT (appointment_id) DO UPDATE SET body = excluded.body, "
    "updated_by = excluded.updated_by, updated_at = excluded.updated_at "
    "WHERE appointment_desk_notes.body = CAST(:was AS text) RETURNING appointment_id")
"""The conflict's WHERE re-reads the stored note under its row lock: two first notes written
at once both pass the SELECT, and the second finds the first's."""


class NoteChanged(InvalidRequest):
    code = "note_changed"

    def __init__(self) -> None:
        super().__init__("someone changed the note meanwhile; read it again and redo your edit",
                         field="note")


class DeskNotes:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    async def save(self, appointment_id: UUID, status: str, body: str, was: str, by: str,
                   now: datetime) -> None:
        """Replace the note (`status`, the appointment's, goes in the audit entry)."""
        if len(body) > NOTE_LIMIT or "\x00" in body + was:
            raise InvalidRequest(f"a note holds at most {NOTE_LIMIT} characters of text",
                                 field="note")
        async with self._sessions() as session:
            saved = await session.scalar(SAVE, {"id": appointment_id, "body": body, "by": by,
                                                "at": now, "was": was})
            if saved is None:
                raise NoteChanged()
            await BookingRepository(session).record([AuditEntry(
                appointment_id, now, Actor.OWNER, status, status, f"desk note edited by {by}")])
            await session.commit()


__all__ = ["NOTE_LIMIT", "DeskNotes", "NoteChanged"]
