"""Staff accounts: invitations by e-mail, set-password links, and the role that limits a staff
login to its own schedule."""

from __future__ import annotations

from aiohttp import web

routes = web.RouteTableDef()
