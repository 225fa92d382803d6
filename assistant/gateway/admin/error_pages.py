"""A refusal on the dashboard (404 for an appointment another staff member holds, 403 for a
stale form, 422...) answered as a page: the handlers raise aiohttp's HTTP errors with a
sentence as plain text, which a phone shows zoomed out to 980 px, with no title, no language
and no way back. The status and the sentence stay; only the wrapping changes.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler
from markupsafe import Markup

from assistant.gateway.pages import render

KEPT_HEADERS = ("Allow", "Retry-After")


@web.middleware
async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if not request.path.startswith("/admin"):
        return await handler(request)
    try:
        response = await handler(request)
    except web.HTTPException as error:
        if not 400 <= error.status < 500 or error.content_type != "text/plain":
            raise
        return _page(request, error.status, error.text or error.reason, error.headers)
    if 400 <= response.status < 500 and isinstance(response, web.Response) \
            and response.content_type == "text/plain":
        return _page(request, response.status, response.text or response.reason,
                     response.headers)
    return response


def _page(request: web.Request, status: int, sentence: str, headers: Mapping[str, str]
          ) -> web.Response:
    """The sentence as it was (quotes kept: it is element text, never an attribute); the
    style sheet capitalises it."""
    words = Markup(html.escape(sentence, quote=False))
    page = render(request, "admin/error.html", status=status, status_code=status,
                  sentence=words)
    for name in KEPT_HEADERS:
        value = headers.get(name)
        if value:
            page.headers[name] = value
    return page
