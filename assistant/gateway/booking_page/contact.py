"""Steps 4 and 5: the customer's details, then the one-time code that proves their contact.

The code goes to the phone (else the e-mail) through the same `verification` use case the
chat and the API use, for the profile that contact belongs to (a new one is made for a
newcomer, holding only that contact). Entering it proves the contact; the booking is then
made with `Proof(customer_id=...)`, so it lands on that profile and nobody can book on, or
read, another person's profile by typing their phone number. Sending codes is rate-limited
per client and per contact; wrong codes per client and, in the use case, per code.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID, uuid4

import phonenumbers
from aiohttp import web
from email_validator import EmailNotValidError, validate_email

from assistant.gateway import ratelimit
from assistant.gateway.api import context
from assistant.gateway.booking_page import deposit_policy
from assistant.gateway.booking_page.choose import start_of, week_page
from assistant.gateway.booking_page.draft import Draft, seal, unseal
from assistant.gateway.booking_page.view import (
    facts,
    field,
    link,
    location_of,
    page,
    prices,
    render,
    service_named,
    slug,
    staff_named,
    zone_hint,
)
from assistant.gateway.free_times import Search, display_zone, free_day
from assistant.gateway.resources import SETTINGS
from assistant.settings import Settings
from scheduling.booking.model import Contact
from scheduling.catalog import Catalog, Location, Service, Staff
from scheduling.desk import customers, verification
from scheduling.errors import InvalidRequest, PolicyViolation

NAME_LIMIT = 120


@dataclass(frozen=True, slots=True)
class Choice:
    """The service, staff member (None: anyone), time and location (None: any) chosen in the
    first three steps, as the details page's URL names them."""

    catalog: Catalog
    service: Service
    staff: Staff | None
    start: datetime
    time_zone: str | None
    location: Location | None = None

    @property
    def search(self) -> Search:
        return Search(self.service.id, self.staff.id if self.staff else None, self.time_zone,
                      location_id=self.location.id if self.location else None)


def choice_of(request: web.Request, catalog: Catalog) -> Choice:
    service = service_named(catalog, request.match_info["service"])
    location = location_of(catalog, service, request.query.get("location"))
    return Choice(catalog, service,
                  staff_named(catalog, service, request.query.get("staff"), location),
                  start_of(request.query.get("start")), zone_hint(request.query.get("tz")),
                  location)


@page
async def details(request: web.Request) -> web.StreamResponse:
    """Step 4: the chosen time, its price, and the name and contact form."""
    catalog = await context.catalog(request)
    chosen = choice_of(request, catalog)
    taken = await _not_free(request, chosen)
    return taken or _details_page(request, chosen, {}, {})


@page
async def send_code(request: web.Request) -> web.StreamResponse:
    """Step 4's form: check the details, send the code, go on to step 5."""
    catalog = await context.catalog(request)
    chosen = choice_of(request, catalog)
    form = await request.post()
    given = {k: field(form, k) for k in ("name", "phone", "email")}
    contact, errors = contact_of(given, _region(catalog))
    if errors:
        return _details_page(request, chosen, given, errors, 422)
    taken = await _not_free(request, chosen)
    if taken:
        return taken
    draft = Draft(chosen.service.id, chosen.staff.id if chosen.staff else None, chosen.start,
                  contact.name, contact.phone, contact.email, chosen.service.price,
                  None, uuid4().hex, chosen.time_zone,
                  location_id=chosen.location.id if chosen.location else None)
    await _limit_codes(request, draft)
    draft = replace(draft, customer_id=await _code_holder(request, catalog, draft))
    await verification.issue_code(context.uow(request), _holder(draft), draft.sent_to,
                                  context.now())
    raise web.HTTPSeeOther(link(request, "/book/code", state=seal(_settings(request), draft)))


@page
async def code(request: web.Request) -> web.StreamResponse:
    """Step 5: where the code went and the box to type it in."""
    draft = unseal(_settings(request), request.query.get("state", ""))
    return await _code_page(request, draft, resent=request.query.get("sent") == "again")


@page
async def check_code(request: web.Request) -> web.StreamResponse:
    """Step 5's form: a match proves the contact and goes on to confirm; a miss says so."""
    await ratelimit.check(request, "login", ratelimit.client_ip(request))
    form = await request.post()
    draft = unseal(_settings(request), field(form, "state"))
    typed = "".join(field(form, "code").split())
    if not (typed.isascii() and typed.isdigit() and len(typed) == 6):
        return await _code_page(request, draft, error="The code is the 6 digits in our "
                                "message.", status=422)
    try:
        matches = await verification.check_code(context.uow(request), _holder(draft), typed,
                                                context.now())
    except PolicyViolation:
        return await _code_page(request, draft, status=410, error="That code has run out "
                                "(codes last 10 minutes and allow 5 tries). Send a new one.")
    if not matches:
        return await _code_page(request, draft, status=422, error="That code does not match. "
                                "Check the message and try again.")
    proved = seal(_settings(request), replace(draft, verified=True))
    raise web.HTTPSeeOther(link(request, "/book/confirm", state=proved))


@page
async def new_code(request: web.Request) -> web.StreamResponse:
    """Send another code to the same contact (the last one is the one that counts)."""
    form = await request.post()
    draft = unseal(_settings(request), field(form, "state"))
    await _limit_codes(request, draft)
    await verification.issue_code(context.uow(request), _holder(draft), draft.sent_to,
                                  context.now())
    sealed = seal(_settings(request), draft)
    raise web.HTTPSeeOther(link(request, "/book/code", state=sealed, sent="again"))


def contact_of(given: dict[str, str], region: str) -> tuple[Contact, dict[str, str]]:
    """The contact typed in, normalised (phone to E.164, e-mail as `email-validator` has it),
    and what is wrong with it, by field."""
    errors: dict[str, str] = {}
    name = " ".join(given["name"].split())
    if not name or len(name) > NAME_LIMIT or not name.isprintable():
        errors["name"] = f"Enter your name (up to {NAME_LIMIT} characters)."
    phone = _phone(given["phone"], region) if given["phone"] else None
    if given["phone"] and phone is None:
        errors["phone"] = "Enter a phone number we can text, like +1 212 555 0142."
    email = _email(given["email"]) if given["email"] else None
    if given["email"] and email is None:
        errors["email"] = "Enter an e-mail address like name@example.com."
    if not given["phone"] and not given["email"]:
        errors["phone"] = "Give a phone number or an e-mail address for your code."
    return Contact(name, phone, email), errors


def phone_number(text: str, catalog: Catalog) -> str | None:
    """`text` as the booking form reads a phone (E.164, in the business's country when typed
    without one), or None when it is not one: the front desk's search reads it the same way."""
    return _phone(text, _region(catalog))


def _phone(text: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(text[:40], region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(text: str) -> str | None:
    try:
        return validate_email(text[:320], check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _region(catalog: Catalog) -> str:
    """The country a phone number typed without one is read in: the business's own."""
    phone = catalog.business.contact.phone
    if phone:
        found = phonenumbers.region_code_for_number(phonenumbers.parse(phone))
        if found:
            return str(found)
    return "US"


async def _not_free(request: web.Request, chosen: Choice) -> web.Response | None:
    """The week page saying so, when the chosen time is not (or no longer) free."""
    shown = display_zone(chosen.catalog, chosen.search)
    day = chosen.start.astimezone(shown).date()
    async with context.uow(request) as work:
        try:
            found = await free_day(work.appointments, chosen.catalog, chosen.search, day,
                                   context.now())
        except InvalidRequest as error:
            return await week_page(request, chosen.catalog, chosen.service, chosen.staff, None,
                                   str(error), 422)
    if any(t.start == chosen.start for t in found.times):
        return None
    return await week_page(request, chosen.catalog, chosen.service, chosen.staff, day,
                           "That time is no longer free. Please choose another.", 409)


async def _limit_codes(request: web.Request, draft: Draft) -> None:
    await ratelimit.check(request, "login", ratelimit.client_ip(request))
    await ratelimit.check(request, "login", f"code-to:{draft.sent_to.lower()}",
                          "too many codes sent to this contact; wait a minute and try again")


async def _code_holder(request: web.Request, catalog: Catalog, draft: Draft) -> UUID:
    """The profile the code proves: the one holding the contact it goes to, or a new one
    holding only that contact (registering proves nothing, so it changes no one's profile)."""
    phone = draft.phone
    email = None if phone else draft.email
    business_id = catalog.business.id
    found = await customers.find(context.uow(request), business_id, phone=phone, email=email)
    if found is not None:
        return found.id
    made = await customers.register(context.uow(request), business_id,
                                    Contact(draft.name, phone, email), customers.ANONYMOUS,
                                    context.now())
    return made.id


def _holder(draft: Draft) -> UUID:
    if draft.customer_id is None:
        raise InvalidRequest("this booking form has no contact to check", field="state")
    return draft.customer_id


def _details_page(request: web.Request, chosen: Choice, given: dict[str, str],
                  errors: dict[str, str], status: int = 200) -> web.Response:
    return render(request, "details.html", chosen.catalog, status, choice=chosen,
                  path=f"/book/{slug(chosen.service.name)}", given=given, errors=errors,
                  deposit_notice=deposit_policy.sentence(chosen.catalog, chosen.service),
                  facts=facts(chosen.catalog, chosen.service, chosen.staff, chosen.start,
                              chosen.time_zone, location=chosen.location)
                  + prices(chosen.catalog, chosen.service.price,
                           deposit_policy.listed(chosen.catalog, chosen.service)))


async def _code_page(request: web.Request, draft: Draft, error: str | None = None,
                     resent: bool = False, status: int = 200) -> web.Response:
    catalog = await context.catalog(request)
    return render(request, "code.html", catalog, status, draft=draft,
                  state=seal(_settings(request), draft), error=error, resent=resent)


def _settings(request: web.Request) -> Settings:
    return request.app[SETTINGS]
