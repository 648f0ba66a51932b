"""Every refusal of referral (and its console) answers a problem with its own code, in
each of the three scripts; a refused step keeps its state and who acted.

The refusals are raised through a test route of the composed app (no
lifespan: no broker or database).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from inson_contracts.events.values import Actor
from inson_runtime.problems import ProblemError, ProblemType
from inson_runtime.testing.problems import answered_in_each_script, raising_client
from referral.api import problems as p
from referral.api.errors import REFUSALS
from referral.console import problems as console
from referral.domain.referral import Acted, IllegalTransition, Status, UnknownReferral
from referral.handlers.commands import NoReferralsAsOf, NotInArea
from referral.main import compose
from referral.settings import Settings

NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
OPERATOR = Actor(id="op-7", role="window_operator")
DONE = Acted(OPERATOR, NOW, ("xizmat koʻrsatildi",))

EXAMPLES: list[tuple[Exception, ProblemType]] = [
    (IllegalTransition("r-1", Status.COMPLETED, "completed", DONE), p.ALREADY_DONE),
    (IllegalTransition("r-1", Status.DELIVERED, "started", None), p.TRANSITION_NOT_ALLOWED),
    (UnknownReferral("r-1"), p.REFERRAL_NOT_FOUND),
    (NotInArea("r-1"), p.REFERRAL_NOT_FOUND),
    (NoReferralsAsOf("c-1"), p.NONE_AS_OF),
]
# Raised by the routes themselves (deps.py, the console).
RAISED = [
    p.NO_AREA,
    p.CENTER_NOT_YOURS,
    p.CENTER_OUTSIDE,
    p.PROVIDER_NOT_YOURS,
    p.PROVIDER_OUTSIDE,
    p.CENTER_NOT_FOUND,
    p.WINDOW_NOT_FOUND,
    p.PROVIDER_NOT_FOUND,
    *console.CATALOGUE.problems.values(),
]

Refusing = tuple[TestClient, Callable[[Exception], None]]


@pytest.fixture(scope="module")
def refusing() -> Refusing:
    _, app = compose(Settings(service_name="referral-problems"))
    return raising_client(app)


@pytest.mark.parametrize(
    ("refusal", "problem"),
    [*EXAMPLES, *((ProblemError(r), r) for r in RAISED)],
    ids=[
        f"{n}-{c}" for n, c in enumerate([e[1].code for e in EXAMPLES] + [r.code for r in RAISED])
    ],
)
def test_a_refusal_answers_its_problem_in_each_script(
    refusing: Refusing, refusal: Exception, problem: ProblemType
) -> None:
    client, refuse = refusing
    refuse(refusal)
    details = {body["detail"] for _, body in answered_in_each_script(client, problem)}
    assert len(details) == 3


def test_a_refused_step_names_the_state_and_who_acted_never_their_words(
    refusing: Refusing,
) -> None:
    client, refuse = refusing
    refuse(IllegalTransition("r-1", Status.COMPLETED, "completed", DONE))
    answer = client.get("/_test/refusal")
    problem = answer.json()
    assert problem["status"] == 409 and problem["state"] == "completed"
    assert problem["acted_by"] == {"id": "op-7", "role": "window_operator"}
    assert problem["acted_at"] == "2026-03-01T09:30:00Z"
    assert "xizmat" not in answer.text  # the note is personal
    refuse(IllegalTransition("r-1", Status.ISSUED, "started", Acted(None, NOW)))
    by_plan = client.get("/_test/refusal").json()
    assert "acted_by" not in by_plan and by_plan["state"] == "issued"


def test_every_refusal_has_an_example() -> None:
    assert {r.problem.code for r in REFUSALS} <= {problem.code for _, problem in EXAMPLES}
    assert set(p.CATALOGUE.problems) == {
        *(problem.code for _, problem in EXAMPLES),
        *(r.code for r in RAISED if r.code in p.CATALOGUE.problems),
    }
