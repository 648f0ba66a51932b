"""How the API answers what the handlers refuse: which problem each refusal is.

One exception class covers several refusals (``Refused``,
``CaseFileRuleViolation``); the message tells them apart, and the last entry
of a class answers a message added later with the class's general code. A
stale tablet command recorded as a conflict answers 409 with the conflict
beside the problem's members, and a stale draft save with both drafts, so
the tablet can show them without another request. The texts are in
``api/problems.py`` and ``api/input_problems.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from inson_runtime.apikit import Problem, responses
from inson_runtime.problems import (
    SOURCES,
    FieldError,
    Refusal,
    body_fields,
    catalogue_of,
    field_errors,
    install_refusals,
)
from inson_runtime.problems.common import REQUEST_INVALID
from inson_runtime.repository import VersionAhead
from pydantic import Field

from assessment.api import input_problems as i
from assessment.api import problems as p
from assessment.api import register_problems as r
from assessment.api.schemas import ConflictView, DraftView
from assessment.domain.case_file import CaseFileRuleViolation
from assessment.handlers.errors import (
    CommandError,
    DraftConflict,
    NotFound,
    OutOfScope,
    Refused,
    Unprocessable,
)
from assessment.handlers.tablets import ConflictRecorded
from assessment.projections.queries import NoArea


class ConflictProblem(ConflictView, Problem):
    """A stale tablet command recorded as a conflict (``edit.conflict_recorded``): the
    problem's members and the conflict, both versions and the tablet's proposal."""


class DraftConflictProblem(Problem):
    """Another save of the draft came in since the tablet's revision (``draft.stale``)."""

    base_revision: int = Field(description="The revision the refused save was based on")
    current: DraftView = Field(description="The draft as saved now")
    submitted: Any = Field(description="The draft the refused save carried")


ERRORS = responses({404: "No such case file", 409: "Not allowed in the case file's current state"})
# A tablet command based on a stale version whose changes overlap newer ones.
TABLET_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {
        "model": ConflictProblem | Problem,
        "description": (
            "Not allowed in the case file's current state; or (code edit.conflict_recorded, "
            "with `conflict_id`) the command was based on a stale `base_version`, overlapped "
            "newer changes and was recorded as a conflict (not applied; do not retry: resolve it)"
        ),
    },
}
DRAFT_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    409: {
        "model": DraftConflictProblem | Problem,
        "description": "Another save came in since `base_revision` (code draft.stale): "
        "nothing was written; both drafts are in the answer",
    },
}

# The rules of the domain (plan items, housing terms, disability by age, drafts)
# say what is wrong with a field in words; the field code by them.
_FIELD_RULES = (
    (r" is no catalogue service$", "service_unknown"),
    (r" is provided by provider type ", "provider_type_mismatch"),
    (r"^no provider .* in the directory$", "provider_unknown"),
    (r" does not take ", "provider_not_serving"),
    (r" is used twice ", "item_id_repeated"),
    (r" was completed as ", "item_service_changed"),
    (r"^a plan needs at least one item", "items_required"),
    (r"^valid_until must be after valid_from", "ends_before_start"),
    (
        r"^temporary registration is for at most (?P<months>[0-9]+) calendar months .* "
        r"may last until (?P<latest>[0-9-]{10})$",
        "term_too_long",
    ),
    (r"^a reason goes with extends", "reason_without_extends"),
    (r" is not one this registration continues", "extends_not_continued"),
    (r"^under 18 the status is child_with_disability", "disability_child_under_18"),
    (r"^from 18 the status is group_1", "disability_group_from_18"),
    (r"^a draft is a JSON object", "not_object"),
    (r"^a draft is nested at most ", "too_deep"),
    (r"^keys hold letters, digits", "key_characters"),
    (r"^a list may not hold another list", "list_in_list"),
    (r"^integers are at most 64 bits", "integer_too_large"),
    (r"^numbers must be finite", "not_finite"),
    (r"^text (may not hold NUL|must be valid Unicode)", "text_not_allowed_characters"),
    (r"^a draft is at most .* bytes", "draft_too_large"),
)
_UNKNOWN = "unknown field(s): "


def _typed(error: Mapping[str, Any]) -> Mapping[str, Any]:
    if error.get("type", "value_error") != "value_error":
        return error
    words = str(error.get("msg", ""))
    if words.startswith(_UNKNOWN):
        return {
            **error,
            "type": "unknown_fields",
            "ctx": {"fields": words[len(_UNKNOWN) :].split(", ")},
        }
    for pattern, code in _FIELD_RULES:
        if found := re.search(pattern, words):
            # What the rule computed (a limit, a day) goes into the words; checked by kind.
            return {**error, "type": code, "ctx": found.groupdict()}
    return {**error, "type": "value_error"}


def _listed(exc: CommandError) -> list[Mapping[str, Any]]:
    return [e for e in exc.detail if isinstance(e, Mapping)] if isinstance(exc.detail, list) else []


def _under(root: str) -> Callable[[CommandError], bool]:
    return lambda exc: any(tuple(e.get("loc", ()))[:1] == (root,) for e in _listed(exc))


def _fields(exc: CommandError, request: Request) -> Sequence[FieldError]:
    return field_errors(
        [_typed(e) for e in _listed(exc)],
        catalogue_of(request),
        roots=SOURCES | {"draft", "plan"},
        body_fields=body_fields(request),
    )


def _drafts(exc: DraftConflict) -> dict[str, Any]:
    return {
        "base_revision": exc.base_revision,
        "current": DraftView.of(exc.current).model_dump(mode="json"),
        "submitted": exc.submitted,
    }


def _category(exc: Exception) -> dict[str, Any]:
    found = re.search(r" as (?P<category>[a-z_]+)$", str(exc))
    return {"category": found.group("category")} if found else {}


def _rules(kind: type[Exception], *rules: tuple[str, Any]) -> list[Refusal]:
    return [Refusal(kind, problem, matches=words) for words, problem in rules]


REFUSALS = [
    Refusal(NoArea, p.NO_AREA),
    Refusal(OutOfScope, p.ASSIGNED_ELSEWHERE, matches=r"assigned to another social worker"),
    Refusal(OutOfScope, p.OUTSIDE_AREA, matches=r"is outside your scope"),
    Refusal(OutOfScope, p.OUT_OF_SCOPE),
    *_rules(
        NotFound,
        (r"^no case file ", p.CASE_FILE_NOT_FOUND),
        (r"^no draft saved", p.DRAFT_NOT_FOUND),
        (r"^no open conflict ", p.CONFLICT_NOT_FOUND),
        (r"^nothing was recorded about case ", p.NOTHING_AS_OF),
    ),
    Refusal(NotFound, p.NOT_FOUND),
    # An unknown case has no version to be ahead of: 404 before any version check.
    Refusal(VersionAhead, p.CASE_FILE_NOT_FOUND, test=lambda exc: exc.version == 0),
    Refusal(
        VersionAhead,
        i.VERSION_AHEAD,
        extensions=lambda exc: {"current_version": exc.version},
        errors=lambda exc, request: [FieldError("/body/base_version", "version_ahead")],
    ),
    Refusal(
        ConflictRecorded,
        p.EDIT_CONFLICT,
        extensions=lambda exc: ConflictView.of(exc.conflict).model_dump(mode="json"),
    ),
    Refusal(DraftConflict, p.DRAFT_STALE, extensions=_drafts),
    *_rules(
        Refused,
        (r" changed again since ", p.CHANGED_AGAIN),
        (r" can no longer be read", p.PROPOSAL_UNREADABLE),
        (r"^no other social worker covers ", r.NO_OTHER_WORKER),
        (r" already with that social worker", r.SAME_WORKER),
    ),
    Refusal(Refused, p.REFUSED),
    *_rules(
        CaseFileRuleViolation,
        (r" has no (social worker yet|assigned worker and place yet)", p.NO_WORKER),
        (r" is assigned to another social worker", p.OTHER_WORKER),
        (r" already in force", p.PLAN_IN_FORCE),
        (r" housing registration already covers ", r.HOUSING_OVERLAP),
        (r" housing registration from that day exists", r.HOUSING_SAME_DAY),
        (r"^registration .* is already continued by ", r.HOUSING_CONTINUED),
        (r"^no register entry ", r.NO_ENTRY),
        (r"^only a drafted plan can be edited", p.PLAN_NOT_DRAFTED),
        (r" not this case's plan", p.PLAN_OTHER_CASE),
        (r"^there is no drafted plan to approve", p.NO_DRAFTED_PLAN),
        (r" changed since the revision was proposed", p.REVISION_OUTDATED),
        (r"^only a plan in force can be revised", p.PLAN_NOT_IN_FORCE),
        (r"^there is no plan to close", p.NO_PLAN),
        (r"^no open conflict ", p.CONFLICT_NOT_OPEN),
    ),
    Refusal(
        CaseFileRuleViolation,
        r.ALREADY_LISTED,
        matches=r" already on the register as ",
        extensions=_category,
    ),
    Refusal(CaseFileRuleViolation, p.REFUSED),
    Refusal(
        Unprocessable,
        i.NOTHING_TO_COMPLETE,
        matches=r"^no situation given",
        errors=lambda exc, request: [FieldError("/body/situation", "missing")],
    ),
    Refusal(Unprocessable, i.DRAFT_INVALID, test=_under("draft"), errors=_fields),
    Refusal(Unprocessable, i.PLAN_ITEMS_INVALID, test=_under("plan"), errors=_fields),
    Refusal(Unprocessable, REQUEST_INVALID, test=lambda exc: bool(_listed(exc)), errors=_fields),
    Refusal(Unprocessable, i.UNPROCESSABLE),
]


def install_error_answers(app: FastAPI) -> None:
    install_refusals(app, p.CATALOGUE, REFUSALS)
