"""The .ics attachment: one VEVENT per appointment chain, updated in place by SEQUENCE.

Calendar clients match events by UID, so the UID is the first appointment of the reschedule
chain (`scheduling.persistence.lineage`) and every move raises SEQUENCE; a cancellation is
METHOD:CANCEL with STATUS:CANCELLED and a SEQUENCE above the last request's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//Booking Assistant//Notifications//EN"
UID_DOMAIN = "booking-assistant"


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    chain_id: UUID
    sequence: int
    start: datetime
    end: datetime
    summary: str
    description: str
    location: str
    organizer_name: str
    organizer_email: str
    attendee_email: str | None

    @property
    def uid(self) -> str:
        return f"{self.chain_id}@{UID_DOMAIN}"


def build(event: CalendarEvent, method: str, stamp: datetime) -> bytes:
    """A calendar with one event; `method` is REQUEST (new or moved) or CANCEL.

    Times are written in UTC: payload times carry a bare offset, not a zone a VTIMEZONE could
    describe, and every client shows UTC times in its own zone correctly."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start.astimezone(UTC))
    vevent.add("dtend", event.end.astimezone(UTC))
    vevent.add("summary", event.summary)
    vevent.add("description", event.description)
    vevent.add("location", event.location)
    vevent.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{event.organizer_email}")
    organizer.params["cn"] = vText(event.organizer_name)
    vevent["organizer"] = organizer
    if event.attendee_email:
        attendee = vCalAddress(f"mailto:{event.attendee_email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        vevent.add("attendee", attendee, encode=False)
    calendar.add_component(vevent)
    return bytes(calendar.to_ical())
