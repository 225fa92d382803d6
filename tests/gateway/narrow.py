"""Looking at admin pages as a phone shows them (375 px): what is wrong with the page in front of
the browser, and which admin pages exist (from the app's router, so a page added later is
looked at too, with no list to keep up to date).

Shared by test_admin_narrow (every page) and test_front_desk_proof (the front desk's walk).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.web_urldispatcher import AbstractResource
from playwright.async_api import Page

from tests.browser import ARTIFACTS, accessibility_problems

WIDTH = 375
# The elements that stick out on the right, so a failure says what to fix.
WIDER = """(width) => Array.from(document.querySelectorAll('body *'))
  .filter(e => e.getBoundingClientRect().right > width + 0.5)
  .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= width + 0.5)
  .slice(0, 4).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className.trim()
       ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
    + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')"""
# Where the page's links and GET forms (as they stand filled in) lead.
LINKS = """() => Array.from(document.querySelectorAll('a[href]'), a => a.href).concat(
  Array.from(document.querySelectorAll('form'))
    .filter(f => f.method.toLowerCase() === 'get')
    .map(f => f.action + '?' + new URLSearchParams(new FormData(f)).toString()))"""
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")
CHOICES = re.compile(r"\(\?P<(\w+)>([\w|-]+)\)")


async def page_problems(page: Page, name: str) -> list[str]:
    """Keep a full-page screenshot (test-artifacts/<name>.png) and say what is wrong: sideways
    scrolling at the phone's width (naming what sticks out), serious or critical axe-core
    findings."""
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    found = []
    scroll = await page.evaluate("() => document.documentElement.scrollWidth")
    if scroll > WIDTH:
        wider = await page.evaluate(WIDER, WIDTH)
        found.append(f"scrolls sideways: {scroll} px wide; {', '.join(wider)}")
    found += [f"axe {p['id']} ({p['impact']}): {p['help']} at {p['nodes']}"
              for p in await accessibility_problems(page)]
    return found


def admin_pages(app: web.Application) -> list[AbstractResource]:
    """Every resource under /admin that answers GET."""
    found = {r.resource for r in app.router.routes()
             if r.method == "GET" and r.resource is not None
             and r.resource.canonical.startswith("/admin")}
    return sorted(found, key=lambda r: r.canonical)


def matches(resource: AbstractResource, path: str) -> bool:
    info = resource.get_info()
    if "path" in info:
        return bool(info["path"] == path)
    return bool("pattern" in info and info["pattern"].fullmatch(path))


def enumerated(resource: AbstractResource) -> list[str]:
    """The paths of a route whose every variable is one of a few words (the wizard's steps),
    e.g. /admin/setup/{step:business|hours}; none for a route that needs an id."""
    info = resource.get_info()
    if "path" in info:
        return [info["path"]]
    pattern = info["pattern"].pattern
    words = dict(CHOICES.findall(pattern))
    if set(words) != set(info["pattern"].groupindex):
        return []
    paths = [info["formatter"]]
    for name, choices in words.items():
        paths = [p.replace("{" + name + "}", c) for p in paths for c in choices.split("|")]
    return paths


def shape(path: str) -> str:
    """A path with its ids blanked: one appointment's page stands for every appointment's."""
    return ID.sub("*", path)


def admin_links(hrefs: Iterable[str], origin: str) -> list[str]:
    """The links (path and query) that stay on this gateway's admin pages."""
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin and parts.path.startswith("/admin"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


async def links_on(page: Page, origin: str) -> list[str]:
    return admin_links(await page.evaluate(LINKS), origin)
