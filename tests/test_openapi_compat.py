"""The HTTP APIs only grow: every operation, parameter, request body and answer
of the released API (tests/openapi/<service>.json) is still there and the same.

Requests and parameters must not change at all (clients are built on them);
an answer may gain a schema where it was free-form, and descriptions; new
operations and optional parameters may be added. An API changed on purpose
comes with new snapshots (``tests/openapi/snapshot.py write``) in the same
commit.
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent


def _snapshots() -> ModuleType:
    spec = importlib.util.spec_from_file_location("openapi_snapshot", HERE / "openapi/snapshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


snapshots = _snapshots()


@pytest.mark.parametrize("service", snapshots.SERVICES)
def test_the_api_keeps_everything_it_released(service: str) -> None:
    problems = snapshots.differences(snapshots.snapshot(service), snapshots.document(service))
    assert problems == [], "\n".join(problems)


def test_the_check_sees_a_removed_route_a_changed_parameter_and_a_narrowed_answer() -> None:
    released = snapshots.snapshot("referral")
    changed = copy.deepcopy(released)
    changed["paths"].pop("/v1/queue")
    accept = changed["paths"]["/v1/referrals/{referral_id}/accept"]["post"]
    accept["parameters"][0]["schema"] = {"type": "integer"}
    board = next(
        p for p in changed["components"]["schemas"].values() if "open" in p.get("properties", {})
    )
    board["properties"].pop("open")
    problems = snapshots.differences(released, changed)
    assert any("GET /v1/queue: gone" in p for p in problems)
    assert any("accept: parameter" in p for p in problems)
    assert any(p.endswith(".open: gone") for p in problems)


def test_a_request_may_widen_but_not_narrow() -> None:
    old = {
        "type": "object",
        "properties": {"reason": {"type": "string", "maxLength": 200}},
        "required": ["reason"],
    }
    wider = {
        "type": "object",
        "properties": {
            "reason": {"type": "string", "maxLength": 2000},
            "needs": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["reason"],
    }
    assert snapshots.accepted(old, wider, "body") == []
    narrower = {**wider, "required": ["reason", "needs"]}
    assert any("newly required" in p for p in snapshots.accepted(old, narrower, "body"))
    shorter = {**old, "properties": {"reason": {"type": "string", "maxLength": 20}}}
    assert any("maxLength" in p for p in snapshots.accepted(old, shorter, "body"))


def test_a_free_form_answer_may_become_typed() -> None:
    free = {"type": "object", "additionalProperties": True}
    typed = {"type": "object", "properties": {"case_id": {"type": "string"}}}
    assert snapshots.grown(free, typed, "answer") == []
    assert snapshots.grown(typed, free, "answer") != []
