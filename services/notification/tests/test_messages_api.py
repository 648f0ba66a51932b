"""The delivery log API: scoped to the caller's district, and without addresses."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from inson_runtime.auth import AuthSettings, mint_dev_token
from notification.adapters.deliveries import DELIVERIES
from notification.main import compose
from notification.settings import Settings
from pymongo import MongoClient

pytestmark = pytest.mark.integration


async def test_supervisors_see_their_districts_messages_without_addresses(
    mongodb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    database = f"test_messages_{tmp_path.name[-8:]}"
    _, app = compose(Settings(mongodb_url=mongodb_url, mongodb_database=database))
    now = datetime.now(UTC)
    with MongoClient(mongodb_url) as client:
        client[database][DELIVERIES].insert_many(
            [
                {
                    "_id": "n1",
                    "case_id": "c1",
                    "district": "1735207",
                    "kind": "citizen",
                    "recipient_ref": "citizen",
                    "channel": "sms",
                    "address": "+998901234567",
                    "params": {"case": "c1"},
                    "language": "uz-Cyrl",
                    "template": "application_received",
                    "status": "sent",
                    "attempts": 1,
                    "created_at": now,
                    "updated_at": now,
                    "outcomes": [{"reason": None}],
                },
                {
                    "_id": "n2",
                    "case_id": "c2",
                    "district": "1703236",
                    "kind": "citizen",
                    "recipient_ref": "citizen",
                    "channel": "sms",
                    "address": "+998907654321",
                    "params": {},
                    "language": "ru",
                    "template": "visit_scheduled",
                    "status": "failed-retryable",
                    "attempts": 2,
                    "created_at": now,
                    "updated_at": now,
                    "outcomes": [{"reason": "gateway 503"}],
                },
            ]
        )
    try:
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://notification"
        )
        sup = {
            "Authorization": "Bearer "
            + mint_dev_token(sub="sup-1", role="supervisor", district="1735207", settings=auth)
        }
        admin = {"Authorization": "Bearer " + mint_dev_token(sub="a", role="admin", settings=auth)}

        mine = (await http.get("/v1/messages", headers=sup)).json()
        assert [m["id"] for m in mine["items"]] == ["n1"]
        assert "address" not in mine["items"][0] and "params" not in mine["items"][0]
        assert "+998" not in str(mine)
        failed = {"status": "failed-retryable"}
        everything = (await http.get("/v1/messages", params=failed, headers=admin)).json()
        assert [m["id"] for m in everything["items"]] == ["n2"]
        assert everything["items"][0]["last_reason"] == "gateway 503"
        assert (await http.get("/v1/messages/summary", headers=admin)).json() == {
            "sent": {"sms": 1},
            "failed-retryable": {"sms": 1},
        }
        worker = {
            "Authorization": "Bearer "
            + mint_dev_token(sub="w", role="social_worker", settings=auth)
        }
        assert (await http.get("/v1/messages", headers=worker)).status_code == 403
    finally:
        with MongoClient(mongodb_url) as client:
            client.drop_database(database)
