"""Every refusal of assessment answers a problem with its own code, in each of the three
scripts; what answers carried before (a tablet's conflict, both drafts) stays.

The refusals are raised through a test route of the composed app (no
lifespan: no broker or database), and every refusal raised in assessment's
source is checked to have a code of its own, not its class's general one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from assessment.api import input_problems as i
from assessment.api import problems as p
from assessment.api import register_problems as r
from assessment.api.errors import REFUSALS
from assessment.domain.case_file import CaseFileRuleViolation
from assessment.domain.drafts import SavedDraft
from assessment.handlers.errors import (
    DraftConflict,
    NotFound,
    OutOfScope,
    Refused,
    Unprocessable,
)
from assessment.handlers.tablets import ConflictRecorded
from assessment.main import compose
from assessment.projections.queries import NoArea
from assessment.settings import Settings
from fastapi.testclient import TestClient
from inson_contracts.events import EditConflicted
from inson_contracts.events.edits import ConflictingField, EditedCommand
from inson_contracts.events.values import Actor
from inson_runtime.problems import ProblemType
from inson_runtime.problems.common import REQUEST_INVALID
from inson_runtime.repository import VersionAhead
from inson_runtime.testing.problems import (
    answered_in_each_script,
    answering,
    raised,
    raising_client,
    specific,
)

SOURCE = Path(__file__).resolve().parents[1] / "src" / "assessment"
PINFL = "30101850123456"
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

CONFLICT = EditConflicted(
    case_id="c-1",
    conflict_id="k-1",
    command=EditedCommand.PLAN_EDIT,
    base_version=3,
    current_version=5,
    fields=[ConflictingField(path="items/i-1", base="1", current="2", submitted="3")],
    proposed_items=[],
    submitted_by=Actor(id="sw-1", role="social_worker"),
    submitted_at=NOW,
)
DRAFTS = DraftConflict(
    1, SavedDraft({"housing": "unsafe"}, "sw-1", NOW, 2), {"housing": "adequate"}
)
HOUSING_EVENT_ERROR = {"loc": (), "type": "value_error", "msg": f"x {PINFL}", "input": PINFL}

EXAMPLES: list[tuple[Exception, ProblemType]] = [
    (NoArea("your token's scope covers no district"), p.NO_AREA),
    (OutOfScope("this case is assigned to another social worker"), p.ASSIGNED_ELSEWHERE),
    (OutOfScope("district 1735207 is outside your scope"), p.OUTSIDE_AREA),
    (OutOfScope("a scope rule added later"), p.OUT_OF_SCOPE),
    (NotFound("no case file c-1"), p.CASE_FILE_NOT_FOUND),
    (NotFound("no draft saved for this case"), p.DRAFT_NOT_FOUND),
    (NotFound("no open conflict k-1 in this case"), p.CONFLICT_NOT_FOUND),
    (NotFound("nothing was recorded about case c-1 by 2020-01-01T00:00:00+00:00"), p.NOTHING_AS_OF),
    (NotFound("a lookup added later"), p.NOT_FOUND),
    (VersionAhead(3, 0), p.CASE_FILE_NOT_FOUND),
    (VersionAhead(10, 4), i.VERSION_AHEAD),
    (ConflictRecorded(CONFLICT), p.EDIT_CONFLICT),
    (DRAFTS, p.DRAFT_STALE),
    (Refused("the same answers or items changed again since (housing): reload"), p.CHANGED_AGAIN),
    (
        Refused("the tablet's proposal can no longer be read: keep the current data"),
        p.PROPOSAL_UNREADABLE,
    ),
    (Refused("no other social worker covers this mahalla"), r.NO_OTHER_WORKER),
    (Refused("the case is already with that social worker"), r.SAME_WORKER),
    (Refused("a refusal added later"), p.REFUSED),
    (CaseFileRuleViolation("case c-1 has no social worker yet"), p.NO_WORKER),
    (CaseFileRuleViolation("case c-1 is assigned to another social worker"), p.OTHER_WORKER),
    (CaseFileRuleViolation("the plan is already in force: revise it instead"), p.PLAN_IN_FORCE),
    (
        CaseFileRuleViolation("a temporary housing registration already covers that period"),
        r.HOUSING_OVERLAP,
    ),
    (
        CaseFileRuleViolation("the person is already on the register as lonely_elderly"),
        r.ALREADY_LISTED,
    ),
    (CaseFileRuleViolation("no register entry e-1 in this case"), r.NO_ENTRY),
    (
        CaseFileRuleViolation("a temporary housing registration from that day exists"),
        r.HOUSING_SAME_DAY,
    ),
    (CaseFileRuleViolation("registration h-1 is already continued by h-2"), r.HOUSING_CONTINUED),
    (CaseFileRuleViolation("only a drafted plan can be edited"), p.PLAN_NOT_DRAFTED),
    (CaseFileRuleViolation("that is not this case's plan"), p.PLAN_OTHER_CASE),
    (CaseFileRuleViolation("there is no drafted plan to approve"), p.NO_DRAFTED_PLAN),
    (
        CaseFileRuleViolation(
            "the plan changed since the revision was proposed, in the same items (items/i-1): "
            "the worker proposes it again"
        ),
        p.REVISION_OUTDATED,
    ),
    (CaseFileRuleViolation("only a plan in force can be revised"), p.PLAN_NOT_IN_FORCE),
    (CaseFileRuleViolation("there is no plan to close"), p.NO_PLAN),
    (CaseFileRuleViolation("no open conflict k-1 in this case"), p.CONFLICT_NOT_OPEN),
    (CaseFileRuleViolation("a rule added later"), p.REFUSED),
    (Unprocessable("no situation given and no draft saved"), i.NOTHING_TO_COMPLETE),
    (
        Unprocessable([{"loc": ["draft", "housing"], "type": "missing", "msg": "required"}]),
        i.DRAFT_INVALID,
    ),
    (
        Unprocessable(
            [{"loc": ["plan", "items", 0, "provider"], "msg": "no provider p in the directory"}]
        ),
        i.PLAN_ITEMS_INVALID,
    ),
    (Unprocessable([HOUSING_EVENT_ERROR]), REQUEST_INVALID),
    (Unprocessable("a refusal added later"), i.UNPROCESSABLE),
]

Refusing = tuple[TestClient, Callable[[Exception], None]]


@pytest.fixture(scope="module")
def refusing(tmp_path_factory: pytest.TempPathFactory) -> Refusing:
    mp = pytest.MonkeyPatch()
    mp.setenv("INSON_AUTH_DEV_KEY_PATH", str(tmp_path_factory.mktemp("auth") / "key.pem"))
    _, app = compose(Settings(mongodb_database="test_assessment_problems"))
    mp.undo()
    return raising_client(app)


@pytest.mark.parametrize(
    ("refusal", "problem"), EXAMPLES, ids=[f"{n}-{e[1].code}" for n, e in enumerate(EXAMPLES)]
)
def test_a_refusal_answers_its_problem_in_each_script(
    refusing: Refusing, refusal: Exception, problem: ProblemType
) -> None:
    client, refuse = refusing
    refuse(refusal)
    details = {body["detail"] for _, body in answered_in_each_script(client, problem)}
    assert len(details) == 3


def test_what_a_409_carried_stays_beside_the_problem(refusing: Refusing) -> None:
    client, refuse = refusing
    refuse(ConflictRecorded(CONFLICT))
    conflict = client.get("/_test/refusal").json()
    assert conflict["conflict_id"] == "k-1" and conflict["current_version"] == 5
    assert conflict["fields"][0]["submitted"] == 3 and isinstance(conflict["detail"], str)
    refuse(DRAFTS)
    drafts = client.get("/_test/refusal").json()
    assert drafts["base_revision"] == 1 and drafts["current"]["revision"] == 2
    assert drafts["current"]["draft"] == {"housing": "unsafe"}
    assert drafts["submitted"] == {"housing": "adequate"}


def test_a_version_ahead_points_at_base_version_and_says_the_current_one(
    refusing: Refusing,
) -> None:
    client, refuse = refusing
    refuse(VersionAhead(10, 4))
    answer = client.get("/_test/refusal").json()
    assert answer["current_version"] == 4
    assert [(e["pointer"], e["code"]) for e in answer["errors"]] == [
        ("/body/base_version", "version_ahead")
    ]


def test_an_event_the_rules_refuse_echoes_neither_its_fields_nor_the_input(
    refusing: Refusing,
) -> None:
    client, refuse = refusing
    refuse(Unprocessable([HOUSING_EVENT_ERROR, {"loc": ("decided_by", "id"), "msg": "sup-1"}]))
    answer = client.get("/_test/refusal")
    assert [e["pointer"] for e in answer.json()["errors"]] == ["/body", "/body"]
    assert PINFL not in answer.text and "decided_by" not in answer.text


def test_the_domains_field_rules_get_codes_of_their_own(refusing: Refusing) -> None:
    client, refuse = refusing
    words = {
        "valid_until must be after valid_from": "ends_before_start",
        "temporary registration is for at most 6 calendar months (housing-v1): from "
        "2026-01-31 it may last until 2026-07-31": "term_too_long",
        "a reason goes with extends: this registration continues none": "reason_without_extends",
        "registration h-1 is not one this registration continues (overlapping it, or with no "
        "day between)": "extends_not_continued",
        "under 18 the status is child_with_disability: groups I-III apply from 18": (
            "disability_child_under_18"
        ),
        "from 18 the status is group_1, group_2 or group_3, not child_with_disability": (
            "disability_group_from_18"
        ),
        "a draft is a JSON object": "not_object",
        "a draft is nested at most 8 deep": "too_deep",
        "keys hold letters, digits, _ and - (at most 64, not starting with a digit or -): no "
        "$ or .": "key_characters",
        "a list may not hold another list directly": "list_in_list",
        "integers are at most 64 bits (-2^63 to 2^63-1)": "integer_too_large",
        "numbers must be finite": "not_finite",
        "text may not hold NUL characters": "text_not_allowed_characters",
        "text must be valid Unicode (no unpaired surrogates)": "text_not_allowed_characters",
        "a draft is at most 65536 bytes of JSON": "draft_too_large",
        "ZZZ-99 is no catalogue service": "service_unknown",
        "HOME-01 is provided by provider type inson_center, not ngo": "provider_type_mismatch",
        "no provider p-1 in the directory": "provider_unknown",
        "p-1 is of provider type ngo in district 1: it does not take x": "provider_not_serving",
        "item id i-1 is used twice (also item 0)": "item_id_repeated",
        "item i-1 was completed as HOME-01: a new service is a new item": "item_service_changed",
        "a plan needs at least one item; to end the plan, close it": "items_required",
    }
    errors = [
        {"loc": ["body", "items", n, "x"], "msg": m, "type": "value_error"}
        for n, m in enumerate(words)
    ]
    refuse(Unprocessable(errors))
    answer = client.get("/_test/refusal").json()
    assert [e["code"] for e in answer["errors"]] == list(words.values())


def test_every_refusal_has_an_example() -> None:
    assert {r.problem.code for r in REFUSALS} == {problem.code for _, problem in EXAMPLES}


def test_every_refusal_raised_in_assessment_has_a_code_of_its_own() -> None:
    kinds: dict[str, type[Exception]] = {
        "NotFound": NotFound,
        "OutOfScope": OutOfScope,
        "Refused": Refused,
        "CaseFileRuleViolation": CaseFileRuleViolation,
        "Unprocessable": Unprocessable,
    }
    found = list(raised(SOURCE, list(kinds)))
    assert len(found) >= 25
    for refusal in found:
        answer = answering(REFUSALS, kinds[refusal.kind](refusal.message))
        assert specific(answer), f"{refusal.where}: {refusal.message!r} has no code of its own"
