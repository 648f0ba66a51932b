"""The insight API on FerretDB: exact figures for a supervisor's own district, small
counts hidden elsewhere, an admin's view, and refusals as problems in three scripts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from .journey import DISTRICT, CaseJourney

pytestmark = pytest.mark.integration

START = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
OTHER_DISTRICT = "1735204"


@pytest.fixture
async def client(insight: tuple[Any, FastAPI]) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=insight[1])
    return httpx.AsyncClient(transport=transport, base_url="http://insight")


@pytest.fixture
async def journeys(project: Callable[[list[Any]], Awaitable[None]]) -> None:
    case = CaseJourney("case-api-1", START).applied(0).visited(26).assessed(27).approved(48)
    case.referred("ref-api-1", 49, provider_type="social_service_window").refused("ref-api-1", 60)
    await project(case.envelopes)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_supervisor_sees_their_districts_figures(
    client: httpx.AsyncClient, token: Callable[..., str], journeys: None
) -> None:
    supervisor = bearer(token("supervisor", district=DISTRICT))
    answer = await client.get("/v1/indicators", headers=supervisor)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["district"] == DISTRICT and body["level"] == "district"
    (row,) = body["rows"]
    assert (row["area"], row["period"], row["small_counts_hidden"]) == (DISTRICT, "2026-03", False)
    figures = row["figures"]
    assert figures["applications"] == {"total": 1, "by_channel": {"mahalla_tablet": 1}}
    assert figures["durations"]["home_visit"] == {
        "count": 1,
        "median_hours": 26.0,
        "p90_hours": 26.0,
    }
    assert figures["referrals"]["refusals_by_reason"] == {"not_eligible": 1}
    weeks = await client.get(
        "/v1/indicators", params={"level": "mahalla", "period": "week"}, headers=supervisor
    )
    assert [(r["area"], r["period"]) for r in weeks.json()["rows"]] == [("1735207001", "2026-W10")]

    coverage = await client.get("/v1/coverage", headers=supervisor)
    (district,) = coverage.json()["districts"]
    assert district["district"] == DISTRICT
    assert district["figures"]["open_cases"] == 1
    assert district["figures"]["mahallas_with_cases"] == 1


async def test_small_counts_are_hidden_in_another_district_and_region(
    client: httpx.AsyncClient, token: Callable[..., str], journeys: None
) -> None:
    elsewhere = bearer(token("supervisor", district=OTHER_DISTRICT))
    answer = await client.get("/v1/indicators", params={"level": "region"}, headers=elsewhere)
    (row,) = answer.json()["rows"]
    assert row["small_counts_hidden"] is True
    assert row["figures"]["applications"]["total"] is None
    assert row["figures"]["durations"]["home_visit"]["median_hours"] is None
    assert row["figures"]["cases"]["closed"] == 0
    admin = bearer(token("admin"))
    full = await client.get("/v1/indicators", params={"level": "region"}, headers=admin)
    assert full.json()["rows"][0]["figures"]["applications"]["total"] == 1


async def test_refusals_are_problems_in_the_readers_script(
    client: httpx.AsyncClient, token: Callable[..., str]
) -> None:
    worker = await client.get(
        "/v1/indicators", headers=bearer(token("social_worker", mahallas=["1735207001"]))
    )
    assert worker.status_code == 403
    assert worker.headers["content-type"].startswith("application/problem+json")
    nowhere = await client.get(
        "/v1/indicators", headers={**bearer(token("supervisor")), "Accept-Language": "ru"}
    )
    assert nowhere.status_code == 403
    assert nowhere.json()["code"] == "area.none"
    assert nowhere.headers["content-language"] == "ru"
    unknown = await client.get(
        "/v1/coverage", params={"district": "1799999"}, headers=bearer(token("admin"))
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "district.not_found"
    bad = await client.get(
        "/v1/indicators", params={"period": "year"}, headers=bearer(token("admin"))
    )
    assert bad.status_code == 422


async def test_the_kpi_page_and_its_report(
    client: httpx.AsyncClient, token: Callable[..., str], journeys: None
) -> None:
    page = await client.get("/kpi", params={"lang": "uz-Cyrl"})
    assert page.status_code == 200
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "Кўрсаткичлар" in page.text
    report = await client.get(
        "/kpi/report", params={"lang": "ru"}, headers=bearer(token("supervisor", district=DISTRICT))
    )
    assert report.status_code == 200
    assert f'data-area="{DISTRICT}"' in report.text
    assert "<svg" in report.text and "Нет права" in report.text  # the refusal's reason
    refused = await client.get("/kpi/report")
    assert refused.status_code == 401
