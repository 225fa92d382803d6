"""Every admin page on a phone (375 px in Chromium), with every table holding rows: answered
200, no sideways scrolling, no serious or critical axe-core finding, a screenshot kept in
test-artifacts/narrow-*.png.

The pages come from the app's router, so a page added later is looked at without editing this
test. A route that needs an id is reached as the owner would reach it: by a link on a page
already looked at (one link per kind of page: /admin/appointments/<id> once, whatever the id);
a route no page links to fails the test. The wizard's later steps are shown with answers in
them, given through its own forms. Pages are listed with everything wrong on them at once, so
one run says every page that needs fixing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp.test_utils import TestClient
from aiohttp.web_urldispatcher import AbstractResource
from playwright.async_api import Browser, BrowserContext, Page
from playwright.async_api import Error as PlaywrightError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from tests.browser import PHONE, chromium
from tests.fill import Filled
from tests.gateway import test_pages_filled as pages_filled
from tests.gateway.admin_login import login_as
from tests.gateway.narrow import (
    admin_pages,
    enumerated,
    links_on,
    matches,
    page_problems,
    shape,
)

pytestmark = [pytest.mark.db, pytest.mark.slow]
filled = pages_filled.filled
Client = TestClient  # type: ignore[type-arg]
Factory = async_sessionmaker[AsyncSession]
EXTRA_QUERY = pages_filled.EXTRA_QUERY  # a conversation's transcript, not just the list
# Pages no admin page links to, with where they are looked at on a phone instead.
REACHED_ELSEWHERE = {
    "/admin/invite/{token}": "the invitation e-mail's link; test_front_desk_proof follows it",
    "/admin/bookings/done": "shown after a booking is made; test_front_desk_proof makes one",
    "/admin/appointments/{appointment_id}/cancel-series": "linked only from an occurrence of "
    "a series (none in tests.fill); test_series_cancel_browser follows it",
}
NEEDS_QUERY = {400, 404}  # a page that says what it is about in its query (a result page)


STAFF_SEES = {"/admin", "/admin/calendar", "/admin/appointments", "/admin/customers",
              "/admin/appointments/{appointment_id}", "/admin/customers/{customer_id}"}


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


@pytest.fixture
async def phone(browser: Browser) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                        bypass_csp=True, has_touch=True, is_mobile=True)
    yield context
    await context.close()


async def test_every_admin_page_fits_a_phone(phone: BrowserContext, gateway: Client,
                                             filled: Filled) -> None:
    page = await phone.new_page()
    origin = str(gateway.make_url("")).rstrip("/")
    await _sign_in(page, origin)
    await _answer_the_wizard(page, origin)
    crawl = Crawl(page, origin, admin_pages(gateway.app))
    await crawl.run([p for r in crawl.resources for p in enumerated(r)])
    assert set(REACHED_ELSEWHERE) <= {r.canonical for r in crawl.resources}, "stale entry"
    problems = crawl.problems(set(REACHED_ELSEWHERE))
    refused = await page.goto(origin + "/admin/no-such-page")  # a refusal is a page too
    assert refused is not None and refused.status == 404
    if found := await page_problems(page, "narrow-refused"):
        problems["/admin/no-such-page (404)"] = found
    _report(problems, crawl)


async def test_a_staff_accounts_pages_fit_a_phone(phone: BrowserContext, gateway: Client,
                                                  session_factory: Factory,
                                                  filled: Filled) -> None:
    """Ana's staff account (tests.fill) sees fewer links and other words on the same pages;
    every page it is led to from Today fits too, and none of its links ends in a refusal."""
    origin = str(gateway.make_url("")).rstrip("/")
    cookies = await login_as(session_factory, "fill-staff@example.com")
    await phone.add_cookies([{"name": name, "value": value, "url": origin}
                             for name, value in cookies.items()])
    crawl = Crawl(await phone.new_page(), origin, admin_pages(gateway.app), "narrow-staff")
    await crawl.run(["/admin"])
    assert STAFF_SEES <= set(crawl.found), sorted(crawl.found)
    _report(crawl.problems({r.canonical for r in crawl.resources}), crawl)


def _report(problems: dict[str, list[str]], crawl: Crawl) -> None:
    report = "\n".join(f"{path}: {'; '.join(found)}" for path, found in problems.items())
    assert not problems, (f"{len(problems)} of {len(crawl.seen)} pages are wrong at 375 px:\n"
                          f"{report}")


@dataclass
class Crawl:
    """Every page of the router, then every page a link or GET form leads to, each kind of
    page (route, path with ids blanked) once."""

    page: Page
    origin: str
    resources: list[AbstractResource]
    prefix: str = "narrow"
    seen: set[tuple[str, str]] = field(default_factory=set)
    found: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    tried: set[str] = field(default_factory=set)

    async def run(self, queue: list[str]) -> None:
        while queue:
            path = queue.pop(0)
            resource = next((r for r in self.resources
                             if matches(r, path.partition("?")[0])), None)
            key = (resource.canonical if resource else "", shape(path.partition("?")[0]))
            if resource is None or key in self.seen or path in self.tried:
                continue
            self.seen.add(key)
            self.tried.add(path)
            status, wrong = await _look(self.page, self.origin,
                                        path + EXTRA_QUERY.get(path, ""), self.prefix)
            if status in NEEDS_QUERY and "?" not in path and "{" not in resource.canonical:
                self.seen.discard(key)  # a link with its query may come later
                self.refused[resource.canonical] = status
            else:
                self.found.setdefault(resource.canonical, {})[path] = wrong
            queue += await links_on(self.page, self.origin)

    def problems(self, excused: set[str]) -> dict[str, list[str]]:
        """What is wrong, by page; a route no page leads to is wrong unless excused."""
        wrong: dict[str, list[str]] = {}
        for resource in self.resources:
            canonical = resource.canonical
            visits = self.found.get(canonical, {})
            if not visits and canonical not in excused:
                refused = self.refused.get(canonical)
                wrong[canonical] = [f"answered {refused} without a query" if refused else
                                    "no page links to it, so no id to show it with"]
            wrong |= {path: found for path, found in visits.items() if found}
        return wrong


async def _look(page: Page, origin: str, path: str, prefix: str) -> tuple[int, list[str]]:
    """A page's status and what is wrong with it: where it landed, and page_problems."""
    try:
        response = await page.goto(origin + path)
    except PlaywrightError as error:  # a download (an export) is not a page to look at
        if "Download is starting" not in str(error):
            raise
        answer = await page.context.request.get(origin + path)
        return answer.status, [] if answer.ok else [f"download answered {answer.status}"]
    status = response.status if response else 0
    if status != 200:
        return status, [f"answered {status}"]
    if not page.url.startswith(origin + path.partition("?")[0]):
        return status, [f"landed on {page.url.removeprefix(origin)} instead"]
    if response and not response.headers.get("content-type", "").startswith("text/html"):
        return status, []  # data a page's script reads (/admin/queue.json), not a page
    name = prefix + shape(path.partition("?")[0]).replace("/", "-").replace("*", "id")
    return status, await page_problems(page, name)


async def _sign_in(page: Page, origin: str) -> None:
    await page.goto(origin + "/admin/login")
    await page.get_by_label("E-mail").fill("owner@example.com")
    await page.get_by_label("Password").fill("correct horse")
    await _press(page, "Log in")
    assert page.url == origin + "/admin", page.url


async def _answer_the_wizard(page: Page, origin: str) -> None:
    """Answers for every step but the last (which would replace the business), so each step's
    page is shown filled in rather than sent back to the first unanswered one."""
    await page.goto(origin + "/admin/setup/business")
    for label, value in (("Business name", "Narrow & Co"), ("Address", "1 Long Road"),
                         ("Time zone", "Europe/Lisbon"), ("Currency", "EUR")):
        await page.get_by_label(label).fill(value)
    await _press(page, "Save and continue")
    for day in ("mon", "tue", "wed"):
        await page.locator(f"#{day}_opens").fill("09:00")
        await page.locator(f"#{day}_closes").fill("18:00")
    await _press(page, "Save and continue")
    for name, value in (("name", "Colour and a very long treatment name"), ("minutes", "90"),
                        ("price", "120"), ("seats", "1")):
        await page.locator(f"#service0_{name}").fill(value)
    await _press(page, "Save and continue")
    await page.locator("#staff0_name").fill("Maximiliana Worthington-Smythe")
    await page.locator("input[name=staff0_services]").first.check()
    await _press(page, "Save and continue")
    assert page.url == origin + "/admin/setup/review", page.url


async def _press(page: Page, button: str) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name=button).click()
