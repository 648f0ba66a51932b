"""CORS for the tablet app's origin only, and none at all unless configured."""

from __future__ import annotations

from fastapi.testclient import TestClient
from intake.main import compose
from intake.settings import Settings

TABLET = "http://127.0.0.1:8002"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
}


def client(origins: str) -> TestClient:
    return TestClient(compose(Settings(cors_origins=origins))[1])


def test_the_configured_origin_may_post_an_application() -> None:
    answer = client(f"{TABLET}, http://localhost:8002").options(
        "/v1/applications", headers={"Origin": TABLET, **PREFLIGHT}
    )
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == TABLET
    assert "idempotency-key" in answer.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in answer.headers


def test_another_origin_gets_no_permission() -> None:
    answer = client(TABLET).options(
        "/v1/applications", headers={"Origin": "http://elsewhere.example", **PREFLIGHT}
    )
    assert "access-control-allow-origin" not in answer.headers


def test_without_configured_origins_no_cors_header_is_sent() -> None:
    answer = client("").options("/v1/applications", headers={"Origin": TABLET, **PREFLIGHT})
    assert "access-control-allow-origin" not in answer.headers
    assert Settings().cors_origin_list == []
