"""FastAPI dependencies of the assessment API, as Annotated aliases, and its answer headers."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from fastapi import Depends, Request, Response
from pydantic import BaseModel

from assessment.handlers.commands import Assessments
from assessment.handlers.outcomes import Outcomes
from assessment.handlers.tablets import Applied
from assessment.projections.queries import CaseFileQueries

# Answer headers for tablets: the stream version after the command (the next
# command's base_version), and the base a stale command was merged from.
VERSION_HEADER = "X-Inson-Version"
MERGED_HEADER = "X-Inson-Merged-From"
DRAFT_REVISION_HEADER = "X-Inson-Draft-Revision"


def _assessments(request: Request) -> Assessments:
    assessments: Assessments = request.app.state.assessments
    return assessments


def _case_files(request: Request) -> CaseFileQueries:
    queries: CaseFileQueries = request.app.state.case_files
    return queries


def _outcomes(request: Request) -> Outcomes:
    outcomes: Outcomes = request.app.state.outcomes
    return outcomes


# The tablet headers as OpenAPI documents them on an answer.
TABLET_ANSWER_HEADERS = {
    VERSION_HEADER: {
        "description": "The case file's version after the command: the next command's base_version",
        "schema": {"type": "integer"},
    },
    MERGED_HEADER: {
        "description": "Only when the command was based on an older version and merged over "
        "the changes since: that version",
        "schema": {"type": "integer"},
    },
}

AssessmentsDep = Annotated[Assessments, Depends(_assessments)]
OutcomesDep = Annotated[Outcomes, Depends(_outcomes)]
CaseFilesDep = Annotated[CaseFileQueries, Depends(_case_files)]


def tablet_header_values(applied: Applied) -> dict[str, str]:
    values = {VERSION_HEADER: str(applied.version)}
    if applied.merged_from is not None:
        values[MERGED_HEADER] = str(applied.merged_from)
    return values


def tablet_headers(response: Response, applied: Applied) -> None:
    response.headers.update(tablet_header_values(applied))


def fields_read(views: Iterable[BaseModel]) -> set[str]:
    """The top-level fields these answers carry (what the access audit names as read)."""
    return {name for view in views for name in view.model_fields_set}
