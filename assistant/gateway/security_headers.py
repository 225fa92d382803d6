"""Headers every response carries, set in `on_response_prepare` rather than a middleware so that
nothing escapes them: aiohttp's own errors, redirects raised as exceptions and static files are
prepared through the same signal.

- `X-Content-Type-Options: nosniff` everywhere: a browser never guesses a type we did not send.
- `Referrer-Policy`: the origin only, across origins; nothing at all from a URL that carries a
  secret (a link token, an OAuth code), so it cannot leak to a site the page links to.
- Admin pages (and any HTML) may not be framed: clickjacking an admin's "cancel" button. The
  one exception is the booking page's embed, which names the business's sites it may be
  framed by (`pages.render(framed_by=...)`, BOOKING_EMBED_ORIGINS).
- `Strict-Transport-Security` when PUBLIC_URL is https: browsers never try plain HTTP again.
"""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.pages import embeddable
from assistant.gateway.resources import SETTINGS

SECRET_PARAMS = frozenset({"token", "code", "state"})
HSTS = "max-age=31536000"


def referrer_policy(request: web.BaseRequest) -> str:
    if SECRET_PARAMS.intersection(request.query):
        return "no-referrer"
    return "strict-origin-when-cross-origin"


def framed_never(request: web.BaseRequest, response: web.StreamResponse) -> bool:
    if request.path.startswith("/admin"):
        return True
    return response.content_type == "text/html" and not embeddable(response)


async def secure(request: web.Request, response: web.StreamResponse) -> None:
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", referrer_policy(request))
    if framed_never(request, response):
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    public = request.app[SETTINGS].public_url or ""
    if public.startswith("https://"):
        headers.setdefault("Strict-Transport-Security", HSTS)
