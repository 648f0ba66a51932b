"""Swagger UI renders in a real headless Chromium with no way out: every
request that leaves the service is refused, as on a machine without internet,
and the page still shows every operation of the service's OpenAPI document,
with the example an operation gives.

Chromium is Debian's (/usr/bin/chromium, `make browser-tools`); Playwright
downloads no browser of its own here. The apps are served without their
lifespan (no broker, no store: the pages need neither). Screenshots go to
.local/screenshots/.
"""

from __future__ import annotations

import importlib
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from inson_runtime.testing.browser import chromium, serving, shoot
from playwright.async_api import Browser, Page, Route, expect

pytestmark = pytest.mark.integration

SERVICES = ("intake", "assessment", "referral", "notification", "insight")
# One operation per service, opened: text of its example request and of its answer.
EXAMPLE_SHOWN = {
    "intake": ("post", "/v1/cases/{case_id}/erasure", "subject_request", '"erased": true'),
    "assessment": (
        "post",
        "/v1/cases/{case_id}/assessment/complete",
        "unemployed_seeking",
        "need-score/1",
    ),
    "referral": ("post", "/v1/referrals/{referral_id}/reject", "documents_missing", "rejected"),
    "notification": ("post", "/v1/subscriptions", "hooks.example.org", "whsec_"),
    # Insight only answers: no request body to show.
    "insight": ("get", "/v1/indicators", None, '"small_counts_hidden"'),
}


# method and path of every operation Swagger UI shows
SHOWN_OPERATIONS = """() => [...document.querySelectorAll('.opblock')].map(block =>
    [...block.classList].find(c => c.startsWith('opblock-') && c !== 'opblock-deprecated')
    + ' ' + block.querySelector('.opblock-summary-path').dataset.path)"""


def composed(service: str) -> FastAPI:
    main = importlib.import_module(f"{service}.main")
    settings = importlib.import_module(f"{service}.settings").Settings()
    _, app = main.compose(settings)
    return app


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def offline_page(browser: Browser, base: str, refused: list[str]) -> Page:
    """A page whose requests anywhere but ``base`` are refused (and noted)."""
    page = await browser.new_page(viewport={"width": 1280, "height": 900})
    origin = urlsplit(base).netloc

    async def only_the_service(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == origin or url.startswith("data:"):
            await route.continue_()
        else:
            refused.append(url)
            await route.abort()

    await page.route("**/*", only_the_service)
    return page


@pytest.mark.parametrize("service", SERVICES)
async def test_swagger_ui_shows_every_operation_offline(browser: Browser, service: str) -> None:
    app = composed(service)
    spec = app.openapi()
    count = sum(
        1
        for item in spec["paths"].values()
        for method in item
        if method in ("get", "post", "put", "delete")
    )
    refused: list[str] = []
    errors: list[str] = []
    async with serving(app) as base:
        page = await offline_page(browser, base, refused)
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(f"{base}/docs")
        await expect(page.locator(".swagger-ui .info .title")).to_contain_text(
            spec["info"]["title"]
        )
        # An operation with two tags is shown under each: count them once.
        await expect(page.locator(".opblock").first).to_be_visible()
        shown = await page.evaluate(SHOWN_OPERATIONS)
        assert len(set(shown)) == count, sorted(set(shown))
        await shoot(page, f"swagger-{service}.png", full_page=False)

        method, path, request, answer = EXAMPLE_SHOWN[service]
        operation = page.locator(f".opblock-{method}").filter(
            has=page.locator(f"[data-path='{path}']")
        )
        await operation.locator(".opblock-summary").click()
        if request is not None:
            await expect(operation.locator(".body-param__example")).to_contain_text(request)
        success = operation.locator(".responses-table .response").first
        await expect(success.locator(".example")).to_contain_text(answer)
        await shoot(operation, f"swagger-{service}-example.png")
    assert refused == []
    assert errors == []
