"""What the referral API documents and refuses before any handler runs.

These requests never reach the store, so the app runs without its lifespan:
no broker or database is touched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from referral.main import compose
from referral.settings import Settings


@pytest.fixture
async def client(auth: Any) -> AsyncIterator[httpx.AsyncClient]:
    _, app = compose(Settings(service_name="referral-contract"))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://referral") as http:
        yield http


async def test_transitions_document_404_and_409_with_the_current_state(
    client: httpx.AsyncClient,
) -> None:
    spec = (await client.get("/openapi.json")).json()
    for step in ("accept", "reject", "start", "complete"):
        answers = spec["paths"][f"/v1/referrals/{{referral_id}}/{step}"]["post"]["responses"]
        for media in ("application/problem+json", "application/json"):
            assert answers["404"]["content"][media]["schema"]["$ref"].endswith("/Problem")
            ref = answers["409"]["content"][media]["schema"]["$ref"]
            assert ref.endswith("/TransitionProblem")
    problem = spec["components"]["schemas"]["TransitionProblem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code", "state"}
    assert problem["properties"]["status"]["type"] == "integer"
    assert {"acted_by", "acted_at"} <= set(problem["properties"])
    person = spec["paths"]["/v1/referrals/{referral_id}/person"]["get"]
    assert "HOME_CARE" in person["description"] or "home-care" in person["description"]
    assert "404" in person["responses"]
    queue = {p["name"] for p in spec["paths"]["/v1/queue"]["get"]["parameters"]}
    assert {"provider", "code", "center", "window"} <= queue
    assert "404" in spec["paths"]["/v1/providers/{provider}/board"]["get"]["responses"]
    for path in ("/v1/referrals/{referral_id}", "/v1/centers/{center}/board", "/v1/queue"):
        assert "404" in spec["paths"][path]["get"]["responses"]


@pytest.mark.parametrize(
    "body",
    [
        {"code": "other"},
        {"code": "other", "reason": "   "},
        {"code": "not_a_code", "reason": "x"},
        {"code": "other", "reason": "x", "extra": 1},
    ],
)
async def test_a_rejection_needs_a_known_code_and_a_reason(
    client: httpx.AsyncClient, token: Any, body: dict[str, Any]
) -> None:
    operator = token("window_operator", "op-1", service_center="psc-1735207")
    answer = await client.post("/v1/referrals/r-1/reject", json=body, headers=operator)
    assert answer.status_code == 422


async def test_callers_without_a_token_or_the_role_are_refused(
    client: httpx.AsyncClient, token: Any
) -> None:
    assert (await client.post("/v1/referrals/r-1/accept")).status_code == 401
    worker = token("social_worker", "sw-1", district="1735207")
    assert (await client.post("/v1/referrals/r-1/accept", headers=worker)).status_code == 403
    assert (await client.get("/v1/queue", headers=worker)).status_code == 403
    operator = token("window_operator", "op-1", service_center="psc-1735207")
    assert (await client.get("/v1/referrals/bad$id", headers=operator)).status_code == 422
