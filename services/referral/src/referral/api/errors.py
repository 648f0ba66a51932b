"""Referral's refusals as problems: each handler or domain exception, and which code it is.

A refused step answers 409 with the referral's state and who brought it
there (``TransitionProblem``): ``referral.already_done`` when the step is the
one taken already (by another actor, or with other words),
``referral.transition_not_allowed`` otherwise. The texts are in
``api/problems.py``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from inson_runtime.problems import Refusal, install_refusals

from referral.api import problems as p
from referral.api.schemas import TransitionProblem
from referral.domain.referral import IllegalTransition, UnknownReferral
from referral.handlers.commands import NoReferralsAsOf, NotInArea


def _state(refused: IllegalTransition) -> dict[str, Any]:
    return TransitionProblem.members_of(refused)


REFUSALS = [
    Refusal(
        IllegalTransition,
        p.ALREADY_DONE,
        test=lambda refused: refused.status.value == refused.action,
        extensions=_state,
    ),
    Refusal(IllegalTransition, p.TRANSITION_NOT_ALLOWED, extensions=_state),
    Refusal(UnknownReferral, p.REFERRAL_NOT_FOUND),
    Refusal(NotInArea, p.REFERRAL_NOT_FOUND),
    Refusal(NoReferralsAsOf, p.NONE_AS_OF),
]


def install_errors(app: FastAPI) -> None:
    """409 with the current state for a refused step; 404 for a referral unknown,
    outside the caller's area, or not issued by the moment asked about."""
    install_refusals(app, p.CATALOGUE, REFUSALS)
