"""A problem put in words and sent: the body, its media type and its headers.

The body is ``application/problem+json`` unless the client accepts
``application/json`` and not ``problem+json`` (the same body, labelled as it
asked). ``Content-Language`` names the script the words are in, and ``Vary``
tells caches the answer depends on both request headers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from inson_contracts.codes.names import Language
from starlette.datastructures import Headers
from starlette.responses import Response

from inson_runtime.problems.catalogue import (
    UNRENDERABLE,
    Catalogue,
    FieldError,
    ProblemType,
    checked_params,
    render,
)
from inson_runtime.problems.language import negotiate

PROBLEM_JSON = "application/problem+json"
PLAIN_JSON = "application/json"
MEMBERS = frozenset({"type", "title", "status", "detail", "code", "instance", "errors"})
INSTANCE_PREFIX = "urn:inson:request:"


def media_type(accept: str | None) -> str:
    """``application/json`` for a client that accepts it but not problem+json."""
    if not accept:
        return PROBLEM_JSON
    accepted = set()
    for element in accept.split(",")[:32]:
        kind, *parameters = (part.strip().lower() for part in element.split(";"))
        if any(p.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for p in parameters):
            continue
        accepted.add(kind)
    if accepted & {PROBLEM_JSON, "application/*", "*/*"} or PLAIN_JSON not in accepted:
        return PROBLEM_JSON
    return PLAIN_JSON


def body(
    problem: ProblemType,
    language: Language,
    catalogue: Catalogue,
    *,
    params: Mapping[str, object] | None = None,
    extensions: Mapping[str, Any] | None = None,
    errors: Iterable[FieldError] = (),
    instance: str | None = None,
) -> dict[str, Any]:
    values = checked_params(problem.code, problem.params, params or {})
    answer: dict[str, Any] = {
        "type": problem.type_uri,
        "title": render(problem.title, language, {}),
        "status": problem.status,
        "detail": render(problem.detail, language, values),
        "code": problem.code,
    }
    if instance:
        answer["instance"] = instance
    for key, value in (extensions or {}).items():
        if key in MEMBERS:
            raise ValueError(f"{problem.code}: extension {key!r} would hide a member")
        answer[key] = value
    listed = [_field(error, language, catalogue) for error in errors]
    if listed:
        answer["errors"] = listed
    return answer


def _field(error: FieldError, language: Language, catalogue: Catalogue) -> dict[str, str]:
    code = error.code if error.code in catalogue.fields else "invalid"
    entry = catalogue.fields[code]
    values = checked_params(code, entry.params, error.params)
    if UNRENDERABLE in values.values():
        # A limit the error did not carry (a handler's own validation): the
        # code stays, the words are the general ones rather than a gap.
        entry, values = catalogue.fields["invalid"], {}
    return {
        "pointer": error.pointer,
        "code": code,
        "detail": render(entry.message, language, values),
    }


def problem_response(
    problem: ProblemType,
    request_headers: Headers,
    catalogue: Catalogue,
    *,
    params: Mapping[str, object] | None = None,
    extensions: Mapping[str, Any] | None = None,
    errors: Iterable[FieldError] = (),
    headers: Mapping[str, str] | None = None,
    correlation_id: str | None = None,
) -> Response:
    language = negotiate(request_headers.get("accept-language"))
    content = body(
        problem,
        language,
        catalogue,
        params=params,
        extensions=extensions,
        errors=errors,
        instance=f"{INSTANCE_PREFIX}{correlation_id}" if correlation_id else None,
    )
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":"), default=str)
    return Response(
        encoded.encode("utf-8"),
        status_code=problem.status,
        media_type=media_type(request_headers.get("accept")),
        headers={
            **(headers or {}),
            "Content-Language": language.value,
            "Vary": "Accept-Language, Accept",
        },
    )
