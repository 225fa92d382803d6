"""Pages in a real browser: the system Chromium through Playwright's async API (the gateway
under test runs in the same event loop), axe-core for accessibility, screenshots kept.

Never `playwright install`: `.ci/run` installs Debian's chromium, `make test` installs
axe-core from the npm registry into node_modules.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from playwright.async_api import Browser, Page, async_playwright

from assistant.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
BLOCKING = frozenset({"serious", "critical"})


@asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                   args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def accessibility_problems(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.1 AA)."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"] if v["impact"] in BLOCKING]


async def check_page(page: Page, name: str) -> None:
    """Keep a screenshot as a test artifact and fail on a serious accessibility problem."""
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    problems = await accessibility_problems(page)
    assert not problems, f"{name}: {problems}"


async def press_enter(page: Page) -> None:
    """Press Enter and wait for the page it opens: a key press, unlike a click, does not wait
    for the navigation it starts, and axe-core injected meanwhile would be lost with the page
    being left."""
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


def fits_width(width: int) -> str:
    """A script that is true when nothing on the page is wider than `width` pixels (no
    sideways scrolling on a phone)."""
    return f"() => document.documentElement.scrollWidth <= {width}"
