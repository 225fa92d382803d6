"""The front desk's calendar: a day and a week per staff member and per location, gaps visible, on
the location's clock."""

from __future__ import annotations

from aiohttp import web

routes = web.RouteTableDef()
