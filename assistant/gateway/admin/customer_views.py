"""Customers at the front desk: the list, one customer's history, notes and preferences, the
blocklist toggle, export and erasure of personal data."""

from __future__ import annotations

from aiohttp import web

routes = web.RouteTableDef()
