"""The Google event that stands for an appointment, built from the outbox payload. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from calendar_sync.event_links import AppointmentFacts

Json = dict[str, Any]
SOURCE = "booking-assistant"


def event_id(appointment_id: UUID) -> str:
    """A client-chosen id (base32hex: 0-9a-v), so a retried insert cannot make a second event."""
    return appointment_id.hex


def event_body(payload: Mapping[str, Any], facts: AppointmentFacts,
               links: Mapping[str, str]) -> Json:
    """Summary, times, description, location; the customer invited if the business wants it."""
    body: Json = {
        "summary": f"{payload['service']}: {facts.customer_name or 'customer'}",
        "description": description(payload, facts, links),
        "start": {"dateTime": payload["start"]},
        "end": {"dateTime": payload["end"]},
        "extendedProperties": {"private": {"appointment_id": payload["appointment_id"],
                                           "source": SOURCE}},
    }
    if payload.get("location_type") == "in_person" and payload.get("address"):
        body["location"] = payload["address"]
    if facts.invite_customer and facts.customer_email:
        body["attendees"] = [{"email": facts.customer_email, "displayName": facts.customer_name}]
    return body


def new_event(payload: Mapping[str, Any], facts: AppointmentFacts,
              links: Mapping[str, str]) -> Json:
    """The body to insert: a fixed id and, for a virtual visit, a Google Meet request."""
    body = event_body(payload, facts, links) | {"id": event_id(UUID(payload["appointment_id"]))}
    if payload.get("location_type") == "virtual" and not payload.get("meeting_link"):
        body["conferenceData"] = {"createRequest": {
            "requestId": payload["appointment_id"],
            "conferenceSolutionKey": {"type": "hangoutsMeet"},
        }}
    return body


def description(payload: Mapping[str, Any], facts: AppointmentFacts,
                links: Mapping[str, str]) -> str:
    lines = [f"Service: {payload['service']}", f"With: {payload.get('staff', '')}",
             f"Customer: {facts.customer_name}"]
    lines += [f"{label}: {value}" for label, value in
              (("Phone", facts.customer_phone), ("E-mail", facts.customer_email),
               ("Notes", facts.notes), ("Meeting", payload.get("meeting_link"))) if value]
    lines += [f"{action.capitalize()}: {url}" for action, url in sorted(links.items())]
    return "\n".join(lines)


def meet_link(event: Mapping[str, Any]) -> str | None:
    """The Meet address Google made, once conference creation has succeeded."""
    if event.get("hangoutLink"):
        return str(event["hangoutLink"])
    points = event.get("conferenceData", {}).get("entryPoints", [])
    video = [p["uri"] for p in points if p.get("entryPointType") == "video"]
    return str(video[0]) if video else None


def send_updates(facts: AppointmentFacts) -> str:
    """Google e-mails invitees only when the business invites customers at all."""
    return "all" if facts.invite_customer and facts.customer_email else "none"
