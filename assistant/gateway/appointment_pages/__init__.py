"""The pages customers reach from the links in their messages: `/appointments/{manage,cancel,
reschedule,confirm}` for one appointment (`appointment`), `/appointments/claim` for a waitlist
offer (`offer`). Server-rendered forms that work without JavaScript; the same use cases as
chat and the API; any refusal is a page in words with a way forward (`problems`)."""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.appointment_pages import appointment, offer

ACTIONS = "|".join(appointment.ACTIONS)


def setup(app: web.Application) -> None:
    app.router.add_get(f"/appointments/{{action:{ACTIONS}}}", appointment.show)
    app.router.add_post(f"/appointments/{{action:{ACTIONS}}}", appointment.act)
    app.router.add_get("/appointments/claim", offer.show)
    app.router.add_post("/appointments/claim", offer.act)
