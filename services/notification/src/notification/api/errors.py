"""Notification's refusals as problems: the partner handlers' exceptions, and which code.

A refusal of fields of the request answers ``request.invalid`` pointing at
them: ``FieldsRefused`` names them, the words of other ``SubscriptionRefused``
tell which field. The texts are in ``api/problems.py``.
"""

from __future__ import annotations

from fastapi import FastAPI
from inson_runtime.problems import FieldError, Refusal, install_refusals
from inson_runtime.problems.common import REQUEST_INVALID

from notification.api import problems as p
from notification.handlers.commands import (
    FieldsRefused,
    SubscriptionRefused,
    UnknownSubscription,
)


def _field(pointer: str, code: str, words: str) -> Refusal:
    return Refusal(
        SubscriptionRefused,
        REQUEST_INVALID,
        matches=words,
        errors=lambda exc, request: [FieldError(pointer, code)],
    )


REFUSALS = [
    Refusal(UnknownSubscription, p.SUBSCRIPTION_NOT_FOUND),
    Refusal(
        FieldsRefused,
        REQUEST_INVALID,
        errors=lambda exc, request: [FieldError(at, code) for at, code in exc.fields],
    ),
    _field("/body/url", "https_required", r"must use https"),
    _field("/body/secret", "secret_format", r"^secret: "),
    _field("/query/since", "timezone_required", r"^since must carry a UTC offset"),
    Refusal(SubscriptionRefused, p.REFUSED),
]


def install_errors(app: FastAPI) -> None:
    install_refusals(app, p.CATALOGUE, REFUSALS)
