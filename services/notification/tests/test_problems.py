"""Every refusal of notification's partner API answers a problem with its own code, in
each of the three scripts, pointing at the field at fault and never echoing a secret.

The refusals are raised through a test route of the composed app (no
lifespan: no broker or database).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from inson_runtime.problems import ProblemError, ProblemType
from inson_runtime.problems.common import COMMON, REQUEST_INVALID
from inson_runtime.testing.problems import (
    answered_in_each_script,
    answering,
    raised,
    raising_client,
    specific,
)
from notification.api import problems as p
from notification.api.errors import REFUSALS
from notification.handlers.commands import FieldsRefused, SubscriptionRefused, UnknownSubscription
from notification.main import compose
from notification.settings import Settings

SOURCE = Path(__file__).resolve().parents[1] / "src" / "notification"
SECRET = "whsec_c2VjcmV0"

EXAMPLES: list[tuple[Exception, ProblemType, str | None]] = [
    (UnknownSubscription("s-1"), p.SUBSCRIPTION_NOT_FOUND, None),
    (SubscriptionRefused("the webhook URL must use https"), REQUEST_INVALID, "/body/url"),
    (SubscriptionRefused(f"secret: {SECRET} is short"), REQUEST_INVALID, "/body/secret"),
    (
        SubscriptionRefused("since must carry a UTC offset, e.g. 2026-03-01T00:00:00Z"),
        REQUEST_INVALID,
        "/query/since",
    ),
    (
        FieldsRefused("outside", ("/body/districts/1", "district_outside_regions")),
        REQUEST_INVALID,
        "/body/districts/1",
    ),
    (
        FieldsRefused("inside", ("/body/url", "address_not_public")),
        REQUEST_INVALID,
        "/body/url",
    ),
    # Invalid input always names a field: a refusal that names none, the whole body.
    (SubscriptionRefused("a refusal added later"), p.REFUSED, "/body"),
    (ProblemError(p.NO_AREA), p.NO_AREA, None),
]

Refusing = tuple[TestClient, Callable[[Exception], None]]


@pytest.fixture(scope="module")
def refusing() -> Refusing:
    _, app = compose(Settings(service_name="notification-problems"))
    return raising_client(app)


@pytest.mark.parametrize(
    ("refusal", "problem", "pointer"),
    EXAMPLES,
    ids=[f"{n}-{e[1].code}" for n, e in enumerate(EXAMPLES)],
)
def test_a_refusal_answers_its_problem_in_each_script(
    refusing: Refusing, refusal: Exception, problem: ProblemType, pointer: str | None
) -> None:
    client, refuse = refusing
    refuse(refusal)
    for _, body in answered_in_each_script(client, problem):
        assert SECRET not in str(body)
        assert [e["pointer"] for e in body.get("errors", [])] == ([pointer] if pointer else [])


def test_every_refusal_raised_in_notification_has_a_code_of_its_own() -> None:
    found = list(raised(SOURCE, ["SubscriptionRefused"]))
    assert len(found) >= 3
    for refusal in found:
        answer = answering(REFUSALS, SubscriptionRefused(refusal.message))
        assert specific(answer), f"{refusal.where}: {refusal.message!r} has no code of its own"


def test_every_field_code_notification_refuses_with_is_in_its_catalogue() -> None:
    """Each ``(pointer, code)`` a ``FieldsRefused`` carries names a code with texts."""
    known = set(COMMON.merged(p.CATALOGUE).fields)
    used: set[str] = set()
    for source in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) == 2:
                first, code = node.elts
                pointer = first.value if isinstance(first, ast.Constant) else None
                if isinstance(first, ast.JoinedStr):
                    pointer = "/" if _starts_with_slash(first) else None
                if (
                    isinstance(pointer, str)
                    and pointer.startswith("/")
                    and isinstance(code, ast.Constant)
                ):
                    used.add(str(code.value))
    assert {"district_outside_regions", "address_not_public", "personal_field_unknown"} <= used
    assert used <= known, sorted(used - known)


def _starts_with_slash(text: ast.JoinedStr) -> bool:
    head = text.values[0] if text.values else None
    return isinstance(head, ast.Constant) and str(head.value).startswith("/")
