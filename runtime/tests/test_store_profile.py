"""The store profile names commands by shape, never by the values they carry."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from inson_runtime.observability.store_profile import StoreProfile, _shape


def test_shapes_keep_keys_and_drop_values() -> None:
    pinfl = "41505900000017"
    assert (
        _shape("find", {"find": "people", "filter": {"pinfl": pinfl, "_id": "x"}})
        == "people:find(_id,pinfl)"
    )
    assert (
        _shape("update", {"update": "cases", "updates": [{"q": {"_id": pinfl}, "u": {}}]})
        == "cases:update(_id)"
    )
    assert (
        _shape("aggregate", {"aggregate": "r", "pipeline": [{"$match": {"window": "w1"}}]})
        == "r:aggregate(window)"
    )
    assert _shape("insert", {"insert": "c", "documents": [{"pinfl": pinfl}]}) == "c:insert()"


def test_totals_are_written_per_shape(tmp_path: Path) -> None:
    profile = StoreProfile(tmp_path / "svc.json")
    for request_id in (1, 2):
        profile.started(
            SimpleNamespace(  # type: ignore[arg-type]
                request_id=request_id,
                database_name="inson_intake",
                command_name="find",
                command={"find": "cases", "filter": {"_id": "secret-value"}},
            )
        )
        profile.succeeded(SimpleNamespace(request_id=request_id))  # type: ignore[arg-type]
    profile.write()
    written = (tmp_path / "svc.json").read_text()
    assert "secret-value" not in written
    assert json.loads(written)["inson_intake.cases:find(_id)"]["n"] == 2
