"""Bad input to the intake API is refused with 422 (or 413, 401, 403) pointing at
the field with a code for the reason, before anything is written.

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

# (what is changed, to what, the pointer of the field at fault, its code)
BAD = [
    ("applicant.pinfl", "3010185012345", "/body/applicant/pinfl", "pinfl_format"),
    ("applicant.pinfl", "70101850123456", "/body/applicant/pinfl", "pinfl_century"),
    ("applicant.pinfl", "33213850123456", "/body/applicant/pinfl", "pinfl_birth_date"),
    ("applicant.pinfl", {"$gt": ""}, "/body/applicant/pinfl", "not_string"),
    ("applicant.birth_date", "1985-02-30", "/body/applicant/birth_date", "not_date"),
    ("applicant.birth_date", "2999-01-01", "/body/applicant/birth_date", "birth_date_future"),
    ("applicant.birth_date", "1850-01-01", "/body/applicant/birth_date", "birth_date_too_early"),
    ("applicant.phone", "12345", "/body/applicant/phone", "phone_format"),
    ("applicant.language", "en", "/body/applicant/language", "not_allowed_value"),
    (
        "applicant.name.last_name",
        "Robert'); DROP",
        "/body/applicant/name/last_name",
        "pattern_mismatch",
    ),
    ("applicant.name.first_name", "", "/body/applicant/name/first_name", "too_short"),
    ("address.region", "1799", "/body/address/region", "unknown_code"),
    ("address.district", "1735999", "/body/address/district", "unknown_code"),
    ("address.district", "1703236", "/body/address/district", "district_not_in_region"),
    ("address.mahalla", "1735207999", "/body/address/mahalla", "unknown_code"),
    ("circumstances", [], "/body/circumstances", "too_few_items"),
    ("circumstances", ["bad_luck"], "/body/circumstances/0", "not_allowed_value"),
    ("circumstances", ["other"], "/body/circumstances_note", "circumstances_note_required"),
    (
        "circumstances",
        ["low_income", "low_income"],
        "/body/circumstances",
        "circumstances_repeated",
    ),
    ("consent.given", False, "/body/consent/given", "not_allowed_value"),
    ("consent", DELETE, "/body/consent", "missing"),
    ("channel", "carrier_pigeon", "/body/channel", "not_allowed_value"),
    (
        "household.0.relation",
        "cousin_twice_removed",
        "/body/household/0/relation",
        "not_allowed_value",
    ),
    ("surprise", 1, "/body/surprise", "unknown_field"),
    ("applicant.$where", "1", "/body/applicant/$where", "unknown_field"),
]


@pytest.mark.parametrize(("path", "value", "pointer", "code"), BAD)
def test_bad_applications_are_refused_pointing_at_the_field_with_its_code(
    client: TestClient, auth: AuthSettings, path: str, value: Any, pointer: str, code: str
) -> None:
    response = client.post("/v1/applications", json=with_change(path, value), headers=token(auth))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "request.invalid" and problem["status"] == 422
    assert {"pointer": pointer, "code": code} in [
        {"pointer": e["pointer"], "code": e["code"]} for e in problem["errors"]
    ], problem["errors"]
    # Nothing that was sent comes back: not the PINFL, the name, the phone, the value.
    for sent in ("30101850123456", "Karimova", "Dilnoza", "901234567", "DROP", "carrier_pigeon"):
        assert sent not in response.text


def test_an_oversized_body_is_refused_with_413(client: TestClient, auth: AuthSettings) -> None:
    body = with_change("circumstances_note", "x" * 70_000)
    response = client.post("/v1/applications", json=body, headers=token(auth))
    assert response.status_code == 413
    assert response.json()["code"] == "request.body_too_large"
    assert "65536" in response.json()["detail"]


def test_an_oversized_chunked_body_is_413_too(client: TestClient, auth: AuthSettings) -> None:
    def chunks() -> Any:
        for _ in range(160):  # 10 MB, sent without a Content-Length
            yield b" " * 65_536

    headers = {**token(auth), "content-type": "application/json"}
    response = client.post("/v1/applications", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert response.json()["code"] == "request.body_too_large"


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
    assert response.json()["errors"] == [
        {
            "pointer": "/header/idempotency-key",
            "code": "pattern_mismatch",
            "detail": "Qiymat talab qilingan koʻrinishda emas",
        }
    ]


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
    assert response.json()["code"] == "area.outside"


def test_a_window_operator_submits_through_the_window_channel(
    client: TestClient, auth: AuthSettings
) -> None:
    response = client.post(
        "/v1/applications", json=valid_application(), headers=token(auth, "window_operator")
    )
    assert response.status_code == 403
    assert response.json()["code"] == "application.wrong_channel"
    assert "service_window" in response.json()["detail"]


def test_query_parameters_are_typed_not_operators(client: TestClient, auth: AuthSettings) -> None:
    response = client.get("/v1/cases", params={"district": '{"$ne": null}'}, headers=token(auth))
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("path", "params", "pointer"),
    [
        ("/v1/cases", {"status": "bogus"}, "/query/status"),
        ("/v1/applications", {"status": "open"}, "/query/status"),
        ("/v1/cases", {"district": "1799999"}, "/query/district"),
        ("/v1/applications", {"mahalla": "9999999001"}, "/query/mahalla"),
        ("/v1/applications", {"channel": "carrier_pigeon"}, "/query/channel"),
    ],
)
def test_a_filter_value_that_can_match_nothing_is_422(
    client: TestClient, auth: AuthSettings, path: str, params: dict[str, str], pointer: str
) -> None:
    response = client.get(path, params=params, headers=token(auth))
    assert response.status_code == 422
    assert [e["pointer"] for e in response.json()["errors"]] == [pointer]
