"""JSON Schemas (OpenAPI 3.0) of every body the API reads or writes; `serialize` writes these
shapes and the Schemathesis test checks every response against them."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]
UUID: Schema = {"type": "string", "format": "uuid"}
WHEN: Schema = {"type": "string", "format": "date-time"}
MONEY: Schema = {"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}
COUNTS: Schema = {"type": "object", "additionalProperties": {"type": "integer"}}
REVENUE = ("booked", "paid", "completed", "deposits_paid", "deposits_owed", "late_cancel_fees",
           "no_show_fees")
"""The analytics summary's money (scheduling.persistence.booking_analytics.Revenue)."""
STATUSES = ["held", "pending", "confirmed", "completed", "no_show", "cancelled", "late_cancel",
            "rescheduled"]


def nullable(schema: Schema) -> Schema:
    return {**schema, "nullable": True}


def obj(required: list[str], /, **properties: Schema) -> Schema:
    return {"type": "object", "required": required, "properties": properties}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


CONTACT_IN = obj(["name"], name={"type": "string", "minLength": 1, "maxLength": 120},
                 phone=nullable({"type": "string", "pattern": r"^\+[1-9]\d{6,14}$"}),
                 email=nullable({"type": "string", "format": "email", "maxLength": 320}))
APPOINTMENT_PROPS: dict[str, Schema] = {
    "id": UUID, "reference": {"type": "string"}, "business_id": UUID,
    "customer_id": nullable(UUID), "service_id": UUID, "staff_id": UUID, "location_id": UUID,
    "start": WHEN, "end": WHEN, "status": {"type": "string", "enum": STATUSES},
    "channel": {"type": "string"}, "price": MONEY, "seats": {"type": "integer"},
    "notes": {"type": "string"}, "created_at": WHEN, "updated_at": WHEN,
    "checked_in_at": nullable(WHEN), "rescheduled_from": nullable(UUID),
    "rescheduled_to": nullable(UUID),
    "payment": obj(["required", "amount", "status"], required={"type": "boolean"},
                   amount=MONEY, status={"type": "string"}),
    "cancellation": nullable(obj(["by", "reason", "fee", "refund"], by={"type": "string"},
                                 reason={"type": "string"}, fee=MONEY, refund=MONEY)),
    "contact": nullable(obj(["name", "phone", "email"], name={"type": "string"},
                            phone=nullable({"type": "string"}),
                            email=nullable({"type": "string"}))),
}
SLOT = obj(["start", "end", "service_id", "location_id", "staff_ids", "seats_left"],
           start=WHEN, end=WHEN, service_id=UUID, location_id=UUID, staff_ids=array(UUID),
           seats_left={"type": "integer"})

COMPONENTS: dict[str, Schema] = {
    "Error": obj(["error"], error={"type": "object", "required": ["code", "message"],
                                   "properties": {"code": {"type": "string"},
                                                  "message": {"type": "string"}},
                                   "additionalProperties": True}),
    "Business": obj(["id", "name", "time_zone", "currency", "contact", "locations"],
                    id=UUID, name={"type": "string"}, time_zone={"type": "string"},
                    currency={"type": "string"},
                    contact=obj([], phone=nullable({"type": "string"}),
                                email=nullable({"type": "string"}),
                                website=nullable({"type": "string"})),
                    locations=array(obj(["id", "name", "address", "time_zone"], id=UUID,
                                        name={"type": "string"}, address={"type": "string"},
                                        time_zone={"type": "string"}))),
    "Services": obj(["items"], items=array(obj(
        ["id", "name", "category", "duration_minutes", "price", "deposit", "deposit_for",
         "card_required", "capacity", "location_ids"],
        id=UUID, name={"type": "string"}, category={"type": "string"},
        duration_minutes={"type": "integer"}, price=MONEY, deposit=MONEY,
        deposit_for={"type": "string", "enum": ["everyone", "first_time", "missed",
                                                "first_time_or_missed"]},
        card_required={"type": "boolean"},
        capacity={"type": "integer"}, location_ids=array(UUID)))),
    "StaffList": obj(["items"], items=array(obj(["id", "name", "skills", "languages",
                                                 "location_ids"], id=UUID,
                                               name={"type": "string"},
                                               skills=array({"type": "string"}),
                                               languages=array({"type": "string"}),
                                               location_ids=array(UUID)))),
    "ReleaseReminderRequest": obj(["service_id"], service_id=UUID),
    "ReleaseReminder": obj(["opens_at"], opens_at=WHEN),
    "Slots": obj(["items"], items=array(SLOT), releases=array(obj(
        ["opens_at", "first_day", "last_day", "message"], opens_at=WHEN,
        first_day={"type": "string", "format": "date"},
        last_day={"type": "string", "format": "date"}, message={"type": "string"}))),
    "Suggestions": obj(["items"], items=array(obj(
        ["slot", "staff_id", "score", "reasons"], slot=SLOT, staff_id=UUID,
        score={"type": "number"}, reasons=array(obj(["code", "text"], code={"type": "string"},
                                                    text={"type": "string"}))))),
    "Appointment": obj(list(APPOINTMENT_PROPS), **APPOINTMENT_PROPS),
    "Booked": obj(["appointment", "replayed", "token"], appointment=ref("Appointment"),
                  replayed={"type": "boolean"}, token={"type": "string"}),
    "AppointmentPage": obj(["items", "next_cursor"], items=array(ref("Appointment")),
                           next_cursor=nullable({"type": "string"})),
    "AppointmentStatus": obj(["id", "status", "history"], id=UUID,
                             status={"type": "string", "enum": STATUSES},
                             history=array(obj(["at", "actor", "from_status", "to_status",
                                                "reason"],
                                               at=WHEN, actor={"type": "string"},
                                               from_status=nullable({"type": "string"}),
                                               to_status={"type": "string"},
                                               reason={"type": "string"}))),
    "Cancelled": obj(["appointment", "fee", "refund"], appointment=ref("Appointment"),
                     fee=MONEY, refund=MONEY),
    "Rescheduled": obj(["old", "new"], old=ref("Appointment"), new=ref("Appointment")),
    "BookRequest": obj(["service_id", "start", "customer"], service_id=UUID, start=WHEN,
                       staff_id=nullable(UUID), location_id=nullable(UUID),
                       customer=CONTACT_IN,
                       notes={"type": "string", "maxLength": 1000}),
    "CancelRequest": obj([], reason={"type": "string", "maxLength": 500}),
    "RescheduleRequest": obj(["start"], start=WHEN, staff_id=nullable(UUID),
                             reason={"type": "string", "maxLength": 500}),
    "CodeRequest": obj(["contact"], contact={"type": "string", "minLength": 3,
                                             "maxLength": 320}),
    "TokenRequest": obj(["contact", "code"], contact={"type": "string", "maxLength": 320},
                        code={"type": "string", "pattern": r"^\d{6}$"}),
    "Accepted": obj(["status"], status={"type": "string"}),
    "WaitingPlaceRequest": obj(["service_id", "day"], service_id=UUID,
                               day={"type": "string", "format": "date"}),
    "WaitingPlace": obj(["place"], place=obj(
        ["id", "state", "position", "estimated_wait_seconds", "hold_until"], id=UUID,
        state={"type": "string", "enum": ["waiting", "admitted", "booking", "booked", "left",
                                          "expired"]},
        position={"type": "integer", "minimum": 0},
        estimated_wait_seconds={"type": "integer", "minimum": 0}, hold_until=nullable(WHEN))),
    "LeftPlace": obj(["left"], left={"type": "boolean"}),
    "CustomerToken": obj(["token", "customer_id", "expires_at"], token={"type": "string"},
                         customer_id=UUID, expires_at=WHEN),
    "Appointments": obj(["items"], items=array(ref("Appointment"))),
    "WaitlistRequest": obj(["service_id", "windows", "customer"], service_id=UUID,
                           staff_id=nullable(UUID), customer=CONTACT_IN,
                           windows={"type": "array", "minItems": 1, "maxItems": 10,
                                    "items": obj(["start", "end"], start=WHEN, end=WHEN)}),
    "WaitlistEntry": obj(["id", "customer_id", "service_id", "staff_id", "windows", "status",
                          "created_at"], id=UUID, customer_id=UUID, service_id=UUID,
                         staff_id=nullable(UUID), status={"type": "string"}, created_at=WHEN,
                         windows=array(obj(["start", "end"], start=WHEN, end=WHEN))),
    "Waitlist": obj(["items"], items=array(ref("WaitlistEntry"))),
    "Summary": obj(["by_status", "cancellation_rate", "no_show_rate", "average_lead_hours",
                    "revenue_by_service", "booked_minutes_by_staff", "utilisation_by_staff",
                    "collected"],
                   by_status={"type": "object", "additionalProperties": {"type": "integer"}},
                   cancellation_rate={"type": "number"}, no_show_rate={"type": "number"},
                   average_lead_hours={"type": "number"},
                   revenue_by_service={"type": "object", "additionalProperties": MONEY},
                   booked_minutes_by_staff={"type": "object",
                                            "additionalProperties": {"type": "number"}},
                   utilisation_by_staff={"type": "object",
                                         "additionalProperties": {"type": "number"}},
                   revenue=obj(["currency", *REVENUE], currency={"type": "string"},
                               **dict.fromkeys(REVENUE, MONEY)),
                   collected=obj(["total", "by_day"], total=MONEY, by_day=array(obj(
                       ["day", "amount"], day={"type": "string", "format": "date"},
                       amount=MONEY))),
                   **dict.fromkeys(("by_channel", "by_service", "by_staff"), COUNTS)),
    "Buckets": obj(["grain", "items"], grain={"type": "string"}, items=array(
        obj(["start", "count"], start={"type": "string", "format": "date"},
            count={"type": "integer"}))),
    "HeatMap": obj(["items"], items=array(obj(["weekday", "hour", "count"],
                                              weekday={"type": "integer"},
                                              hour={"type": "integer"},
                                              count={"type": "integer"}))),
}
