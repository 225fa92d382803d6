"""Server-rendered pages: one Jinja2 environment (autoescaping on), made with the app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from aiohttp import web

TEMPLATES = web.AppKey("templates", jinja2.Environment)
FOLDER = Path(__file__).with_name("templates")


def setup(app: web.Application) -> None:
    app[TEMPLATES] = jinja2.Environment(loader=jinja2.FileSystemLoader(FOLDER),
                                        autoescape=True, undefined=jinja2.StrictUndefined)


def render(request: web.Request, name: str, status: int = 200, **context: Any) -> web.Response:
    html = request.app[TEMPLATES].get_template(name).render(**context)
    return web.Response(text=html, content_type="text/html", status=status,
                        headers={"Content-Security-Policy": "default-src 'self'; "
                                 "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                 "connect-src 'self' ws: wss:; frame-ancestors 'none'"})
