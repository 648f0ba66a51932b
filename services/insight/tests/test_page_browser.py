"""The KPI page in a real headless Chromium against the insight service serving HTTP
on a free port, its read model filled with walkthrough-like journeys (FerretDB):
a supervisor signs in with their token, the district's figures, coverage and SVG
charts appear, the page switches to uz-Cyrl and ru keeping the filters, and a
region view shows small counts hidden. Screenshots go to .local/screenshots/.

Chromium is Debian's (/usr/bin/chromium, `make browser-tools`), as referral's
console test uses it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from inson_runtime.testing.browser import chromium, serving, shoot
from playwright.async_api import Browser, expect

from .journey import DISTRICT, CaseJourney

pytestmark = pytest.mark.integration

START = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


async def walkthrough(project: Callable[[list[Any]], Awaitable[None]]) -> None:
    """Like scripts/walkthrough.sh, several times over: families through a visit,
    a plan, referrals (one refused), and for some completion."""
    for i in range(6):
        case = CaseJourney(
            f"case-page-{i}", START, channel="mahalla_tablet" if i % 3 else "service_window"
        )
        case.applied(i).messaged(i + 0.1).visited(20 + 4 * i).assessed(22 + 4 * i).approved(
            40 + 6 * i
        )
        case.referred(f"ref-page-{i}-a", 41 + 6 * i, provider_type="social_service_window")
        case.referred(f"ref-page-{i}-b", 41 + 6 * i, provider_type="health_facility")
        case.accepted(f"ref-page-{i}-a", 50 + 6 * i)
        case.refused(f"ref-page-{i}-b", 55 + i, "not_eligible" if i % 2 else "documents_missing")
        if i % 2:
            case.registered(60).completed(150 + 10 * i)
        await project(case.envelopes)


async def test_a_supervisor_reads_their_districts_kpis_in_three_scripts(
    insight: tuple[Any, FastAPI],
    project: Callable[[list[Any]], Awaitable[None]],
    token: Callable[..., str],
    browser: Browser,
) -> None:
    await walkthrough(project)
    supervisor = token("supervisor", sub=f"sup-{DISTRICT}", district=DISTRICT)
    async with serving(insight[1]) as base:
        page = await browser.new_page(viewport={"width": 1360, "height": 900}, locale="uz-UZ")
        problems: list[str] = []  # CSP violations and script errors show up here
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

        answer = await page.goto(f"{base}/kpi")
        assert answer is not None and answer.status == 200
        await expect(page.locator("body[data-ready=true]")).to_be_attached()
        await page.fill("#token", supervisor)
        await page.click("#show")
        row = page.locator(f"#rows tr[data-area='{DISTRICT}'][data-period='2026-03']")
        await expect(row).to_be_visible()
        await expect(row.locator(".applications")).to_have_text("6")
        await expect(row.locator(".opened")).to_have_text("6")
        await expect(page.locator(f".card[data-district='{DISTRICT}'] .open-cases")).to_have_text(
            "3"
        )
        await expect(page.locator(".charts svg")).to_have_count(4)
        await expect(page.locator(".charts")).to_contain_text("Hujjatlar yetishmaydi")
        await shoot(page, "insight-kpi.png")

        await page.click("a.lang[data-lang='uz-Cyrl']")
        await expect(page.locator("h1")).to_have_text("Кўрсаткичлар")
        await expect(row).to_be_visible()  # the token and filters survived the switch
        await page.click("a.lang[data-lang='ru']")
        await expect(page.locator("h1")).to_have_text("Показатели")
        await expect(page.locator(".charts")).to_contain_text("Визит на дом")
        await shoot(page, "insight-kpi-ru.png")

        # Regions mix districts: outside their own, a supervisor sees no small count.
        await page.select_option("#level", "region")
        await page.click("#show")
        region = page.locator("#rows tr[data-area='1735']")
        await expect(region).to_have_class("hidden-counts")
        await expect(page.locator(".hidden-note")).to_be_visible()
        assert problems == []
