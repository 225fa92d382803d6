"""Form bodies are decoded once, before any handler: one that is not UTF-8 (or not a form that
parses) is a 400 here, so no handler meets a half-decoded form and none answers 500.

aiohttp decodes a form lazily, inside the first `await request.post()`, and raises
UnicodeDecodeError there: from the admin guard's CSRF check, the login form, anywhere. The
decoded form is cached on the request, so the handlers' own `post()` calls read it for free.
The JSON API and Twilio read their bodies themselves (`api.params.body`, `twilio_auth`).
"""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.tracing import Handler

FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
OWN_READERS = ("/api/", "/twilio/")


@web.middleware
async def readable_forms(request: web.Request, handler: Handler) -> web.StreamResponse:
    if (request.method == "POST" and request.content_type in FORMS
            and not request.path.startswith(OWN_READERS)):
        try:
            await request.post()
        except web.HTTPException:
            raise  # 413: larger than the app's client_max_size
        except Exception:
            # this one call only parses the body the client sent: aiohttp raises
            # UnicodeDecodeError, ValueError (a broken boundary), RuntimeError (an unknown
            # part encoding), BadHttpMessage... for bodies that are not what they claim
            raise web.HTTPBadRequest(text="the form is not valid UTF-8 form data") from None
    return await handler(request)
