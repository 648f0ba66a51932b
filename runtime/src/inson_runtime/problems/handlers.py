"""Every error of an app answered as a problem: the runtime's, FastAPI's and a service's.

``install_problems`` (called by ``build_app``) answers invalid input (422
with a pointer and code per field), unknown routes (404), methods a path
does not take (405 with ``Allow``; ``OPTIONS`` answers 204 with it), the
store being down (503), a lost race (409) and anything unexpected (500,
without internals). A service then maps its own refusals with
``install_refusals``: each exception class (and, where one class covers
several refusals, the words or attributes that tell them apart) to a
problem type of its catalogue.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.mongo import TRANSIENT_MONGO_ERRORS
from inson_runtime.observability.http import CORRELATION_SCOPE_KEY
from inson_runtime.problems import common
from inson_runtime.problems.answers import problem_response
from inson_runtime.problems.catalogue import Catalogue, FieldError, ProblemError, ProblemType
from inson_runtime.problems.fields import field_errors

log = structlog.get_logger(__name__)

RETRY_AFTER_S = 5
_STATE = "problems"
# What Starlette and FastAPI raise themselves (a body too large is refused before
# them, by inson_runtime.body_limit).
_BY_STATUS = {
    400: common.REQUEST_MALFORMED,
    404: common.NOT_FOUND,
    405: common.METHOD_NOT_ALLOWED,
}

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})


def catalogue_of(request: Request) -> Catalogue:
    found: Catalogue = getattr(request.app.state, _STATE, common.COMMON)
    return found


def answer(
    request: Request,
    problem: ProblemType,
    *,
    params: Mapping[str, object] | None = None,
    extensions: Mapping[str, Any] | None = None,
    errors: Iterable[FieldError] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The problem as this request's answer (its language, its media type).

    Invalid input (422) always names a field (the published schema says so):
    a refusal that names none points at the whole body.
    """
    if problem.status == 422 and not errors:
        errors = [FieldError("/body", "invalid")]
    return problem_response(
        problem,
        request.headers,
        catalogue_of(request),
        params=params,
        extensions=jsonable_encoder(extensions) if extensions else None,
        errors=errors,
        headers=headers,
        correlation_id=request.scope.get(CORRELATION_SCOPE_KEY),
    )


def body_fields(request: Request) -> frozenset[str]:
    """The top-level fields of the route's request body model, if it has one."""
    route = request.scope.get("route")
    model = getattr(
        getattr(getattr(route, "body_field", None), "field_info", None), "annotation", None
    )
    fields = getattr(model, "model_fields", None)
    return frozenset(fields) if isinstance(fields, dict) else frozenset()


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of this path takes (``Allow``), OPTIONS included.

    Each route is asked whether it takes the path with each method (FastAPI
    nests the routes of an included router in one entry); one that takes
    them all is a mount of files, which are read with GET and HEAD.
    """
    methods = {"OPTIONS"}
    # The path as the app received it: routing has moved a mount's root_path on.
    path = {"type": "http", "path": request.scope["path"]}
    path["root_path"] = request.scope.get("app_root_path", "")
    for route in request.app.router.routes:
        taken = {
            method
            for method in _METHODS
            if route.matches({**path, "method": method})[0] is Match.FULL
        }
        methods |= {"GET", "HEAD"} if taken == _METHODS else taken
    return sorted(methods)


def invalid(request: Request, errors: Sequence[FieldError]) -> Response:
    return answer(request, common.REQUEST_INVALID, params={"count": len(errors)}, errors=errors)


async def _invalid_input(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, RequestValidationError):
        raise exc
    return invalid(request, field_errors(exc.errors(), catalogue_of(request)))


async def _http(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ProblemError):
        return answer(
            request,
            exc.problem,
            params=exc.params,
            extensions=exc.extensions,
            errors=exc.errors,
            headers=exc.headers,
        )
    if not isinstance(exc, HTTPException):
        raise exc
    if exc.status_code == 405:
        allow = ", ".join(allowed_methods(request))
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": allow})
        return answer(request, common.METHOD_NOT_ALLOWED, headers={"Allow": allow})
    known = _BY_STATUS.get(exc.status_code)
    if known is None:
        # Not raised by this platform's code (it raises ProblemError): said generically.
        log.warning("http error without a problem type", status=exc.status_code)
        known = dataclasses.replace(common.REFUSED, status=exc.status_code)
    return answer(request, known, headers=exc.headers)


async def _store_unavailable(request: Request, exc: Exception) -> Response:
    # The store being down is the caller's cue to retry: never a 500, never a silent accept.
    return answer(request, common.STORE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_S)})


async def _changed(request: Request, exc: Exception) -> Response:
    return answer(request, common.RECORD_CHANGED)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # Starlette's outermost middleware calls this, then re-raises (and logs) the
    # exception; the caller gets a problem without internals, and the id to report.
    correlation_id = request.scope.get(CORRELATION_SCOPE_KEY)
    response = answer(request, common.SERVER_ERROR)
    if correlation_id:
        response.headers["X-Correlation-ID"] = correlation_id
    return response


def install_problems(app: FastAPI) -> None:
    """Answer every error of ``app`` as a problem (``build_app`` calls this)."""
    setattr(app.state, _STATE, common.COMMON)
    app.add_exception_handler(RequestValidationError, _invalid_input)
    app.add_exception_handler(HTTPException, _http)
    for error in TRANSIENT_MONGO_ERRORS:
        app.add_exception_handler(error, _store_unavailable)
    app.add_exception_handler(ConcurrencyConflict, _changed)
    app.add_exception_handler(Exception, _unexpected)


@dataclass(frozen=True)
class Refusal:
    """One refusal of a service: exceptions of ``kind`` (whose message matches
    ``matches``, a regular expression, or for which ``test`` holds) are answered
    as ``problem``, with ``extensions`` and field ``errors`` taken from the
    exception, and ``headers`` (``Retry-After``).

    A kind's refusals are tried in the order given; the last one for a kind
    should match anything, so a refusal added later still gets a code.
    """

    kind: type[Exception]
    problem: ProblemType
    matches: str | None = None
    test: Callable[[Any], bool] | None = None
    extensions: Callable[[Any], Mapping[str, Any]] | None = None
    errors: Callable[[Any, Request], Sequence[FieldError]] | None = None
    params: Callable[[Any], Mapping[str, object]] | None = None
    headers: Mapping[str, str] | None = None

    def applies(self, exc: Exception) -> bool:
        if not isinstance(exc, self.kind):
            return False
        if self.matches is not None and re.search(self.matches, str(exc)) is None:
            return False
        return self.test is None or bool(self.test(exc))


def install_refusals(app: FastAPI, catalogue: Catalogue, refusals: Sequence[Refusal]) -> None:
    """Answer a service's exceptions as the problems of its catalogue."""
    merged = getattr(app.state, _STATE, common.COMMON).merged(catalogue)
    for refusal in refusals:
        if merged.problems.get(refusal.problem.code) is not refusal.problem:
            raise ValueError(f"{refusal.problem.code} is not in the service's catalogue")
    for kind in {r.kind for r in refusals}:
        if not any(r.kind is kind and r.matches is None and r.test is None for r in refusals):
            raise ValueError(f"{kind.__name__} has no refusal for messages no other one matches")
    setattr(app.state, _STATE, merged)

    async def refused(request: Request, exc: Exception) -> Response:
        refusal = next((r for r in refusals if r.applies(exc)), None)
        if refusal is None:
            raise exc
        errors = refusal.errors(exc, request) if refusal.errors else ()
        params = dict(refusal.params(exc)) if refusal.params else {}
        if "count" in refusal.problem.params:
            params.setdefault("count", len(errors))
        return answer(
            request,
            refusal.problem,
            params=params,
            extensions=refusal.extensions(exc) if refusal.extensions else None,
            errors=errors,
            headers=refusal.headers,
        )

    for kind in dict.fromkeys(r.kind for r in refusals):
        app.add_exception_handler(kind, refused)
