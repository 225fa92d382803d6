"""One appointment at the front desk: its detail (customer, contact, history, notes, payments,
messages, audit trail), search, and the owner's actions on it."""

from __future__ import annotations

from aiohttp import web

routes = web.RouteTableDef()
