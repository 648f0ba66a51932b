"""Bad input to the intake API is refused with 422 (or 413, 401, 403) naming the
field and the reason, before anything is written.

These requests never reach a handler, so the app runs without its lifespan:
no broker or database is touched.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from inson_contracts.codes.mahallas import mahallas_of
from inson_runtime.auth import AuthSettings, mint_dev_token
from intake.main import compose
from intake.settings import Settings

DISTRICT = "1735207"  # Beruniy
MAHALLA = mahallas_of(DISTRICT)[0].code


def valid_application() -> dict[str, Any]:
    return {
        "channel": "mahalla_tablet",
        "applicant": {
            "pinfl": "30101850123456",
            "name": {"last_name": "Karimova", "first_name": "Dilnoza"},
            "birth_date": "1985-01-30",
            "sex": "female",
            "phone": "+998 90 123 45 67",
            "language": "uz-Latn",
        },
        "address": {"region": "1735", "district": DISTRICT, "mahalla": MAHALLA},
        "household": [
            {
                "relation": "child",
                "name": {"last_name": "Karimov", "first_name": "Aziz"},
                "birth_date": "2015-05-01",
            }
        ],
        "circumstances": ["low_income", "child_at_risk"],
        "consent": {"given": True, "text_version": "2026-01"},
    }


@pytest.fixture(scope="module")
def auth(tmp_path_factory: pytest.TempPathFactory) -> AuthSettings:
    key = Path(tmp_path_factory.mktemp("auth")) / "key.pem"
    return AuthSettings(dev_key_path=key)


@pytest.fixture(scope="module")
def client(auth: AuthSettings) -> TestClient:
    mp = pytest.MonkeyPatch()
    mp.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    _, app = compose(Settings(mongodb_database="test_intake_validation"))
    mp.undo()
    return TestClient(app)


def token(
    auth: AuthSettings, role: str = "social_worker", mahallas: tuple[str, ...] = (MAHALLA,)
) -> dict[str, str]:
    jwt = mint_dev_token(
        sub="worker-1", role=role, mahallas=mahallas, district=DISTRICT, settings=auth
    )
    return {"Authorization": f"Bearer {jwt}"}


def with_change(path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(valid_application())
    *parents, last = path.split(".")
    target: Any = body
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return body


DELETE = object()

BAD = [
    ("applicant.pinfl", "3010185012345", ("applicant", "pinfl"), "14 digits"),
    ("applicant.pinfl", "70101850123456", ("applicant", "pinfl"), "start with a digit"),
    ("applicant.pinfl", "33213850123456", ("applicant", "pinfl"), "real birth date"),
    ("applicant.pinfl", {"$gt": ""}, ("applicant", "pinfl"), "string"),
    ("applicant.birth_date", "1985-02-30", ("applicant", "birth_date"), "date"),
    ("applicant.birth_date", "2999-01-01", ("applicant", "birth_date"), "future"),
    ("applicant.birth_date", "1850-01-01", ("applicant", "birth_date"), "before 1900"),
    ("applicant.phone", "12345", ("applicant", "phone"), "Uzbek number"),
    ("applicant.language", "en", ("applicant", "language"), "uz-Latn"),
    ("applicant.name.last_name", "Robert'); DROP", ("applicant", "name", "last_name"), "pattern"),
    ("applicant.name.first_name", "", ("applicant", "name", "first_name"), "at least 1"),
    ("address.region", "1799", ("address",), "unknown region"),
    ("address.district", "1735999", ("address",), "unknown district"),
    ("address.district", "1703236", ("address",), "not in region"),
    ("address.mahalla", "1735207999", ("address",), "unknown mahalla"),
    ("circumstances", [], ("circumstances",), "at least 1"),
    ("circumstances", ["bad_luck"], ("circumstances", 0), "disability"),
    ("circumstances", ["other"], (), "circumstances_note is required"),
    ("circumstances", ["low_income", "low_income"], (), "must not repeat"),
    ("consent.given", False, ("consent", "given"), "true"),
    ("consent", DELETE, ("consent",), "required"),
    ("channel", "carrier_pigeon", ("channel",), "mahalla_tablet"),
    ("household.0.relation", "cousin_twice_removed", ("household", 0, "relation"), "spouse"),
    ("surprise", 1, ("surprise",), "Extra inputs are not permitted"),
    ("applicant.$where", "1", ("applicant", "$where"), "Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("path", "value", "loc", "reason"), BAD)
def test_bad_applications_are_refused_naming_the_field_and_the_reason(
    client: TestClient, auth: AuthSettings, path: str, value: Any, loc: tuple[Any, ...], reason: str
) -> None:
    response = client.post("/v1/applications", json=with_change(path, value), headers=token(auth))

    assert response.status_code == 422, response.text
    errors = response.json()["detail"]
    assert any(
        tuple(error["loc"][1 : 1 + len(loc)]) == loc and reason.lower() in error["msg"].lower()
        for error in errors
    ), errors


def test_an_oversized_body_is_refused_with_413(client: TestClient, auth: AuthSettings) -> None:
    body = with_change("circumstances_note", "x" * 70_000)
    response = client.post("/v1/applications", json=body, headers=token(auth))
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


def test_a_malformed_json_body_is_422(client: TestClient, auth: AuthSettings) -> None:
    response = client.post(
        "/v1/applications",
        content=b'{"channel": ',
        headers={**token(auth), "content-type": "application/json"},
    )
    assert response.status_code == 422


def test_a_bad_idempotency_key_is_422(client: TestClient, auth: AuthSettings) -> None:
    headers = {**token(auth), "Idempotency-Key": "short"}
    response = client.post("/v1/applications", json=valid_application(), headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "idempotency-key"]


def test_without_a_token_401_and_with_the_wrong_role_403(
    client: TestClient, auth: AuthSettings
) -> None:
    assert client.post("/v1/applications", json=valid_application()).status_code == 401
    partner = token(auth, role="partner_admin")
    assert (
        client.post("/v1/applications", json=valid_application(), headers=partner).status_code
        == 403
    )


def test_a_worker_submits_only_for_their_own_mahallas(
    client: TestClient, auth: AuthSettings
) -> None:
    elsewhere = token(auth, mahallas=("1735207002",))
    response = client.post("/v1/applications", json=valid_application(), headers=elsewhere)
    assert response.status_code == 403
    assert "outside your scope" in response.json()["detail"]


def test_a_window_operator_submits_through_the_window_channel(
    client: TestClient, auth: AuthSettings
) -> None:
    response = client.post(
        "/v1/applications", json=valid_application(), headers=token(auth, "window_operator")
    )
    assert response.status_code == 403
    assert "service_window" in response.json()["detail"]


def test_query_parameters_are_typed_not_operators(client: TestClient, auth: AuthSettings) -> None:
    response = client.get("/v1/cases", params={"district": '{"$ne": null}'}, headers=token(auth))
    assert response.status_code == 422
