"""The dashboard's, the admin listings' and the metrics scrape's reads, on the gateway's engine.

`scheduling.persistence.admin_reads` holds the SQL and returns frozen values; handlers call
`reads(request)` and never hold a session, so nothing they render can outlive its unit of work.
"""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.resources import ENGINE
from scheduling.persistence.admin_reads import AdminReads


def reads(request: web.Request | web.Application) -> AdminReads:
    app = request.app if isinstance(request, web.Request) else request
    return AdminReads.on(app[ENGINE])
