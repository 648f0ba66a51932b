"""Infrastructure failures become answers a client can act on."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.service import install_error_handlers
from pymongo.errors import AutoReconnect, ServerSelectionTimeoutError


def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/down")
    async def down() -> None:
        raise ServerSelectionTimeoutError("127.0.0.1:27017: connection refused")

    @app.post("/flapping")
    async def flapping() -> None:
        raise AutoReconnect("connection reset")

    @app.post("/raced")
    async def raced() -> None:
        raise ConcurrencyConflict("case-1", 4)

    return TestClient(app, raise_server_exceptions=False)


def test_store_outage_is_503_with_retry_after_not_500() -> None:
    for path in ("/down", "/flapping"):
        response = client().post(path)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert "27017" not in response.text  # no internals leak to the caller


def test_lost_race_is_409() -> None:
    response = client().post("/raced")
    assert response.status_code == 409
    assert "reload" in response.json()["detail"]
