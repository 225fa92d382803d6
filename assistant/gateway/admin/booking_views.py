"""New bookings at the front desk: a walk-in or a caller, a recurring series, a group; the same
engine and rules as every channel."""

from __future__ import annotations

from aiohttp import web

routes = web.RouteTableDef()
