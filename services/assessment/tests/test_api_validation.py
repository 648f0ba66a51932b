"""Bad input to the assessment API is refused before anything is decided."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from assessment.main import compose
from assessment.settings import Settings
from fastapi.testclient import TestClient
from inson_runtime.auth import AuthSettings, mint_dev_token


@pytest.fixture(scope="module")
def auth(tmp_path_factory: pytest.TempPathFactory) -> AuthSettings:
    return AuthSettings(dev_key_path=Path(tmp_path_factory.mktemp("auth")) / "key.pem")


@pytest.fixture(scope="module")
def client(auth: AuthSettings) -> TestClient:
    mp = pytest.MonkeyPatch()
    mp.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    _, app = compose(Settings(mongodb_database="test_assessment_validation"))
    mp.undo()
    return TestClient(app)


def bearer(auth: AuthSettings, role: str = "supervisor") -> dict[str, str]:
    token = mint_dev_token(sub="sup-1735207", role=role, district="1735207", settings=auth)
    return {"Authorization": f"Bearer {token}"}


MEMBER = {"member_ref": "m1", "age": 70, "sex": "female", "employment": "pensioner"}


@pytest.mark.parametrize(
    ("situation", "pointer", "code"),
    [
        ({"members": [], "housing": "adequate"}, "/body/situation/members", "too_few_items"),
        (
            {"members": [{**MEMBER, "age": 200}], "housing": "adequate"},
            "/body/situation/members/0/age",
            "too_large",
        ),
        (
            {"members": [{**MEMBER, "disability_group": "group_9"}], "housing": "adequate"},
            "/body/situation/members/0/disability_group",
            "not_allowed_value",
        ),
        (
            {"members": [MEMBER], "housing": "castle"},
            "/body/situation/housing",
            "not_allowed_value",
        ),
        (
            {
                "members": [MEMBER],
                "housing": "adequate",
                "income_sources": [{"kind": "pension", "monthly_amount_uzs": -5}],
            },
            "/body/situation/income_sources/0/monthly_amount_uzs",
            "too_small",
        ),
        ({"members": [MEMBER]}, "/body/situation/housing", "missing"),
        (
            {"members": [{**MEMBER, "$where": "1"}], "housing": "adequate"},
            "/body/situation/members/0/$where",
            "unknown_field",
        ),
    ],
)
def test_an_invalid_questionnaire_is_422_pointing_at_the_field(
    client: TestClient, auth: AuthSettings, situation: dict[str, Any], pointer: str, code: str
) -> None:
    response = client.post(
        "/v1/cases/c1/assessment/complete", json={"situation": situation}, headers=bearer(auth)
    )
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "request.invalid"
    found = [(e["pointer"], e["code"]) for e in problem["errors"]]
    assert (pointer, code) in found, found


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/v1/cases/c1/plan/revise", {"items": [], "reason": ""}),
        ("/v1/cases/c1/plan/close", {"reason": "got_bored"}),
        (
            "/v1/cases/c1/care-register",
            {"category": "lonely_elderly", "decision_ref": "", "pinfl": "1"},
        ),
        (
            "/v1/cases/c1/temporary-housing",
            {"institution_code": "I", "valid_from": "2026-02-30", "valid_until": "x"},
        ),
        ("/v1/cases/c1/reassign", {"reason": "whim"}),
        (
            "/v1/cases/c1/plan/draft",
            {"items": [{"item_id": "i", "service_code": "NOPE", "provider_type": "x"}]},
        ),
    ],
)
def test_bad_bodies_are_422(
    client: TestClient, auth: AuthSettings, path: str, body: dict[str, Any]
) -> None:
    method = client.put if path.endswith("draft") else client.post
    response = method(path, json=body, headers=bearer(auth))
    assert response.status_code == 422, response.text


def test_roles_are_enforced(client: TestClient, auth: AuthSettings) -> None:
    assert client.post("/v1/cases/c1/plan/approve").status_code == 401
    assert (
        client.post(
            "/v1/cases/c1/plan/approve", headers=bearer(auth, "window_operator")
        ).status_code
        == 403
    )
    worker = bearer(auth, "social_worker")
    assert (
        client.post(
            "/v1/cases/c1/care-register",
            json={"category": "lonely_elderly", "decision_ref": "D1"},
            headers=worker,
        ).status_code
        == 403
    )
