"""The admin API's catalog bodies, from the resource tables (`setup_resources`)."""

from __future__ import annotations

from typing import Any

from assistant.gateway.api.schemas import UUID, WHEN, Schema, array, obj, ref
from assistant.gateway.api.setup_codecs import TIME_OFF_SCHEMA
from assistant.gateway.api.setup_resources import (
    LOCATION,
    PARTS,
    PROFILE,
    RULES,
    SERVICE,
    STAFF,
    Resource,
)

NOTIFY: Schema = {"type": "boolean", "description": "Cancel the appointments the change "
                  "strands, by the owner: each customer is offered new times."}
ARCHIVED: Schema = {"type": "boolean"}
OFFSETS: Schema = {"type": "array", "maxItems": 5,
                   "items": {"type": "integer", "minimum": 1, "maximum": 60 * 24 * 30}}


def _entity(name: str, resource: Resource[Any]) -> dict[str, Schema]:
    """The value, a list of them, a create, an edit and what a change answers."""
    return {
        f"Admin{name}": resource.schema(request=False, archived=ARCHIVED),
        f"Admin{name}List": obj(["items"], items=array(ref(f"Admin{name}"))),
        f"Admin{name}Create": resource.schema(request=True, create=True, notify=NOTIFY),
        f"Admin{name}Edit": resource.schema(request=True, notify=NOTIFY),
        f"Admin{name}Changed": obj(["item", "stranded", "notified"], item=ref(f"Admin{name}"),
                                   stranded=array(ref("Appointment")), notified=array(UUID)),
    }


SETUP_COMPONENTS: dict[str, Schema] = {
    **_entity("Location", LOCATION),
    **_entity("Service", SERVICE),
    **_entity("Staff", STAFF),
    "AdminBusiness": PROFILE.schema(request=False, id=UUID),
    "AdminBusinessEdit": PROFILE.schema(request=True, notify=NOTIFY),
    "AdminBusinessChanged": obj(["item", "stranded", "notified"], item=ref("AdminBusiness"),
                                stranded=array(ref("Appointment")), notified=array(UUID)),
    "AdminRules": RULES.schema(request=False),
    "AdminRulesEdit": RULES.schema(request=True),
    "AdminMessages": PARTS.schema(request=False),
    "AdminMessagesEdit": PARTS.schema(request=True),
    "AdminArchive": {"type": "object", "additionalProperties": False,
                     "properties": {"notify": NOTIFY}},
    "AdminTimeOff": obj(["items"], items=array(TIME_OFF_SCHEMA)),
    "AdminTimeOffCreate": {**TIME_OFF_SCHEMA, "additionalProperties": False,
                           "properties": {**TIME_OFF_SCHEMA["properties"], "notify": NOTIFY}},
    "AdminReminders": obj(["offsets_minutes"], offsets_minutes=OFFSETS),
    "AdminRemindersEdit": {"type": "object", "additionalProperties": False,
                           "required": ["offsets_minutes"],
                           "properties": {"offsets_minutes": OFFSETS}},
    "AdminBlocklist": obj(["items"], items=array(obj(
        ["customer_id", "name", "reason", "created_at"], customer_id=UUID,
        name={"type": "string"}, reason={"type": "string"},
        created_at={**WHEN, "nullable": True}))),
    "AdminBlock": {"type": "object", "additionalProperties": False,
                   "description": "The customer by exactly one of customer_id, or the phone "
                                  "or e-mail they booked with",
                   "properties": {"customer_id": UUID,
                                  "phone": {"type": "string", "maxLength": 16},
                                  "email": {"type": "string", "maxLength": 320},
                                  "reason": {"type": "string", "maxLength": 500}}},
}
