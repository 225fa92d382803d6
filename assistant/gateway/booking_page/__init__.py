"""The public booking page, `/book`: book without chatting, on the same services as chat and
the API (README, "Booking page").

    /book                     1 service        GET
    /book/{service}           2 staff or anyone GET    ({service}: its id or a slug of its name)
    /book/{service}/times     3 a week of times GET
    /book/{service}/details   4 your details   GET, POST (sends the one-time code)
    /book/code                5 the code       GET, POST; POST /book/code/new sends another
    /book/confirm             6 confirm        GET, POST (books)
    /book/booked              the booking, with its manage link

Every POST redirects to the next GET (a reload repeats nothing). `?embed=1` on any step gives
the page without its header, framable by the sites BOOKING_EMBED_ORIGINS lists.
"""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.booking_page import choose, confirm, contact


def setup(app: web.Application) -> None:
    """The fixed paths first: a service slugged "code" must not hide step 5."""
    app.router.add_get("/book", choose.services)
    app.router.add_get("/book/code", contact.code)
    app.router.add_post("/book/code", contact.check_code)
    app.router.add_post("/book/code/new", contact.new_code)
    app.router.add_get("/book/confirm", confirm.review)
    app.router.add_post("/book/confirm", confirm.book)
    app.router.add_get("/book/booked", confirm.booked)
    app.router.add_get("/book/{service}", choose.staff)
    app.router.add_get("/book/{service}/times", choose.times)
    app.router.add_get("/book/{service}/details", contact.details)
    app.router.add_post("/book/{service}/details", contact.send_code)
