"""Intake's refusals as problems: each handler or query exception, and which code it is.

One exception class may cover several refusals (``IntakeRuleViolation``);
its message tells them apart, and the last entry of a class answers any
message added later with the class's general code. The texts are in
``api/problems.py``.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from inson_runtime.problems import Refusal, install_refusals

from intake.api import problems as p
from intake.domain.area import NoArea, OutsideArea
from intake.domain.case import IntakeRuleViolation
from intake.handlers.commands import IdempotencyKeyReused, UnknownCase, WrongChannel
from intake.handlers.matching import PersonBeingRecorded
from intake.projections.queries import NotInArea

_STATUS = r"is (?P<status>[a-z_]+)"


def _application_status(exc: Exception) -> dict[str, Any]:
    found = re.search(_STATUS, str(exc))
    return {"application_status": found.group("status")} if found else {}


REFUSALS = [
    Refusal(NoArea, p.NO_AREA),
    Refusal(OutsideArea, p.OUTSIDE_AREA),
    Refusal(WrongChannel, p.WRONG_CHANNEL),
    Refusal(UnknownCase, p.CASE_NOT_FOUND),
    Refusal(NotInArea, p.APPLICATION_NOT_FOUND, matches=r"^no application "),
    Refusal(NotInArea, p.CASE_NOT_FOUND, matches=r"^no case "),
    Refusal(NotInArea, p.CASE_NOT_FOUND),
    Refusal(IdempotencyKeyReused, p.IDEMPOTENCY_KEY_REUSED),
    Refusal(IntakeRuleViolation, p.NOT_IN_CASE, matches=r"is not in case "),
    Refusal(
        IntakeRuleViolation,
        p.NOT_PENDING,
        matches=rf"{_STATUS}, not awaiting confirmation",
        extensions=_application_status,
    ),
    Refusal(
        IntakeRuleViolation,
        p.NOT_REJECTABLE,
        matches=rf"{_STATUS} and cannot be rejected",
        extensions=_application_status,
    ),
    Refusal(IntakeRuleViolation, p.MOVED, matches=r" was moved to case "),
    Refusal(IntakeRuleViolation, p.CASE_EXISTS, matches=r" joins it only by a match"),
    Refusal(IntakeRuleViolation, p.CASE_NOT_OPENED, matches=r" was never opened"),
    Refusal(IntakeRuleViolation, p.REFUSED),
    # It takes milliseconds as a rule: the caller may retry at once.
    Refusal(PersonBeingRecorded, p.PERSON_BEING_RECORDED, headers={"Retry-After": "1"}),
]


def install_errors(app: FastAPI) -> None:
    install_refusals(app, p.CATALOGUE, REFUSALS)
