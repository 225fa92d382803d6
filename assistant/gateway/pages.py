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


def render(request: web.Request, name: str, status: int = 200,
           framed_by: tuple[str, ...] | None = None, **context: Any) -> web.Response:
    """The page; `framed_by` (the booking page's embed) lists the origins besides our own
    that may frame it, and every other page may be framed by none."""
    html = request.app[TEMPLATES].get_template(name).render(**context)
    ancestors = "'none'" if framed_by is None else " ".join(("'self'", *framed_by))
    return web.Response(text=html, content_type="text/html", status=status,
                        headers={"Content-Security-Policy": "default-src 'self'; "
                                 "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                                 f"connect-src 'self' ws: wss:; frame-ancestors {ancestors}"})


def embeddable(response: web.StreamResponse) -> bool:
    """Whether the page says who may frame it (see `render`), so nothing may overrule that."""
    policy = response.headers.get("Content-Security-Policy", "")
    return "frame-ancestors" in policy and "frame-ancestors 'none'" not in policy
