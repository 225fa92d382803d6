"""Payments at the front desk: what an appointment owes and has paid, marking it paid in
person, refunds and fees, and the payments list."""

from __future__ import annotations

from aiohttp import web

routes = web.RouteTableDef()
