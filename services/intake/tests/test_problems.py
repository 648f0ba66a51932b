"""Every refusal of intake answers a problem with its own code, in each of the three scripts.

The refusals are raised through a test route of the composed app (no
lifespan: no broker or database), and every refusal raised in intake's
source is checked to have a code of its own, not its class's general one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from inson_runtime.problems import ProblemType
from inson_runtime.testing.problems import (
    answered_in_each_script,
    answering,
    raised,
    raising_client,
    specific,
)
from intake.api import problems as p
from intake.api.errors import REFUSALS
from intake.domain.area import NoArea, OutsideArea
from intake.domain.case import IntakeRuleViolation
from intake.handlers.commands import IdempotencyKeyReused, UnknownCase, WrongChannel
from intake.handlers.matching import PersonBeingRecorded
from intake.main import compose
from intake.projections.queries import NotInArea
from intake.settings import Settings

SOURCE = Path(__file__).resolve().parents[1] / "src" / "intake"
CASE = "c-4f1d2c1e"

# One instance of every refusal, with the problem it must answer.
EXAMPLES = [
    (NoArea(), p.NO_AREA),
    (OutsideArea("mahalla 1735207002 is outside your scope"), p.OUTSIDE_AREA),
    (WrongChannel("a window operator submits through the service_window channel"), p.WRONG_CHANNEL),
    (UnknownCase(CASE), p.CASE_NOT_FOUND),
    (NotInArea(f"no application {CASE} in your area"), p.APPLICATION_NOT_FOUND),
    (NotInArea(f"no case {CASE} in your area"), p.CASE_NOT_FOUND),
    (IdempotencyKeyReused("used for a different application"), p.IDEMPOTENCY_KEY_REUSED),
    (IntakeRuleViolation(f"application a-1 is not in case {CASE}"), p.NOT_IN_CASE),
    (
        IntakeRuleViolation("application a-1 is linked, not awaiting confirmation"),
        p.NOT_PENDING,
    ),
    (
        IntakeRuleViolation("application a-1 is opened_case and cannot be rejected"),
        p.NOT_REJECTABLE,
    ),
    (IntakeRuleViolation(f"application a-1 was moved to case {CASE}"), p.MOVED),
    (
        IntakeRuleViolation(f"case {CASE} exists; an application joins it only by a match"),
        p.CASE_EXISTS,
    ),
    (IntakeRuleViolation(f"case {CASE} was never opened"), p.CASE_NOT_OPENED),
    (IntakeRuleViolation("a rule added later"), p.REFUSED),
    (
        PersonBeingRecorded("another application for this person is being recorded"),
        p.PERSON_BEING_RECORDED,
    ),
]


Refusing = tuple[TestClient, Callable[[Exception], None]]


@pytest.fixture(scope="module")
def refusing(tmp_path_factory: pytest.TempPathFactory) -> Refusing:
    mp = pytest.MonkeyPatch()
    mp.setenv("INSON_AUTH_DEV_KEY_PATH", str(tmp_path_factory.mktemp("auth") / "key.pem"))
    _, app = compose(Settings(mongodb_database="test_intake_problems"))
    mp.undo()
    return raising_client(app)


@pytest.mark.parametrize(("refusal", "problem"), EXAMPLES, ids=[e[1].code for e in EXAMPLES])
def test_a_refusal_answers_its_problem_in_each_script(
    refusing: Refusing, refusal: Exception, problem: ProblemType
) -> None:
    client, refuse = refusing
    refuse(refusal)
    details = {}
    for script, body in answered_in_each_script(client, problem):
        details[script] = body["detail"]
        assert CASE not in str(body)  # ids of the message stay out of the words
    assert len(set(details.values())) == 3


def test_a_status_the_refusal_names_is_a_member(refusing: Refusing) -> None:
    client, refuse = refusing
    refuse(IntakeRuleViolation("application a-1 is rejected and cannot be rejected"))
    assert client.get("/_test/refusal").json()["application_status"] == "rejected"


def test_a_person_being_recorded_is_503_to_retry_at_once(refusing: Refusing) -> None:
    client, refuse = refusing
    refuse(PersonBeingRecorded("another application for this person is being recorded"))
    answer = client.get("/_test/refusal")
    assert answer.status_code == 503 and answer.headers["retry-after"] == "1"


def test_every_refusal_has_an_example() -> None:
    assert {r.problem.code for r in REFUSALS} == {problem.code for _, problem in EXAMPLES}


def test_every_refusal_raised_in_intake_has_a_code_of_its_own() -> None:
    kinds = {"IntakeRuleViolation": IntakeRuleViolation, "NotInArea": NotInArea}
    found = list(raised(SOURCE, list(kinds)))
    assert len(found) >= 8
    for refusal in found:
        answer = answering(REFUSALS, kinds[refusal.kind](refusal.message))
        assert specific(answer), f"{refusal.where}: {refusal.message!r} has no code of its own"
