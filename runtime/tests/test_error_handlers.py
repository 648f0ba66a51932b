"""Infrastructure failures become problems a client can act on."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.problems import install_problems
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError


def client() -> TestClient:
    app = FastAPI()
    install_problems(app)

    @app.post("/down")
    async def down() -> None:
        raise ServerSelectionTimeoutError("127.0.0.1:27017: connection refused")

    @app.post("/flapping")
    async def flapping() -> None:
        raise AutoReconnect("connection reset")

    @app.post("/raced")
    async def raced() -> None:
        raise ConcurrencyConflict("case-1", 4)

    @app.post("/broken")
    async def broken() -> None:
        raise RuntimeError("internal detail: case-1 at 127.0.0.1:27017")

    return TestClient(app, raise_server_exceptions=False)


def test_store_outage_is_503_with_retry_after_not_500() -> None:
    for path in ("/down", "/flapping"):
        response = client().post(path)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert response.json()["code"] == "store.unavailable"
        assert "27017" not in response.text  # no internals leak to the caller


def test_lost_race_is_409() -> None:
    response = client().post("/raced", headers={"Accept-Language": "ru"})
    assert response.status_code == 409
    problem = response.json()
    assert problem["code"] == "record.changed"
    assert "загрузите данные заново" in problem["detail"]
    assert "case-1" not in response.text


def test_an_unexpected_failure_is_a_500_problem_without_internals() -> None:
    response = client().post("/broken")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "server.error"
    assert "127.0.0.1" not in response.text and "case-1" not in response.text
