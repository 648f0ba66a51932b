"""Every error answer of an OpenAPI document described as what it is: a problem.

(And optional parameters described as absent, not null.)

FastAPI documents error answers as ``application/json`` and its own 422 as
``HTTPValidationError``; the answers are problems. This rewrites each 4xx
and 5xx answer of every operation: ``application/problem+json`` (and
``application/json``, for a client that asks for only that), the schema the
route declared when it is a problem (a refused transition, a tablet's
conflict) or :class:`Problem`, :class:`ValidationProblem` for 422, and the
``Content-Language`` header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

from inson_runtime.problems.answers import PLAIN_JSON, PROBLEM_JSON
from inson_runtime.problems.language import PREFERENCE
from inson_runtime.problems.model import FieldProblem, Problem, ValidationProblem

REF = "#/components/schemas/{model}"
_FASTAPI_422 = ("HTTPValidationError", "ValidationError")
CONTENT_LANGUAGE = {
    "description": "The script the title and details are written in (from Accept-Language)",
    "schema": {"type": "string", "enum": [language.value for language in PREFERENCE]},
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _problem_schema(answer: dict[str, Any], status: str) -> dict[str, Any]:
    if status == "422":
        return _ref(ValidationProblem)
    declared = (answer.get("content") or {}).get(PLAIN_JSON, {}).get("schema")
    name = declared.get("$ref", "").rsplit("/", 1)[-1] if isinstance(declared, dict) else ""
    if isinstance(declared, dict) and declared and name not in _FASTAPI_422:
        return declared  # a problem with members of its own
    return _ref(Problem)


def _is_error(status: str) -> bool:
    return status[:1] in ("4", "5")


def _absent_not_null(parameter: dict[str, Any]) -> None:
    """An optional parameter is left out, never sent as ``null``: FastAPI documents
    ``str | None = None`` as "string or null", which reads as the text ``null``."""
    schema = parameter.get("schema") or {}
    options = [s for s in schema.get("anyOf", ()) if s != {"type": "null"}]
    if len(options) == 1 and len(options) < len(schema["anyOf"]):
        del schema["anyOf"]
        schema.update(options[0])


def problem_document(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` with every error answer described as a problem (changed in place)."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", ()):
                _absent_not_null(parameter)
            for status, answer in (operation.get("responses") or {}).items():
                if not _is_error(str(status)):
                    continue
                schema = _problem_schema(answer, str(status))
                answer["content"] = {
                    PROBLEM_JSON: {"schema": schema},
                    PLAIN_JSON: {"schema": schema},
                }
                answer.setdefault("headers", {})["Content-Language"] = CONTENT_LANGUAGE
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for model in (FieldProblem, Problem, ValidationProblem):
        generated = model.model_json_schema(ref_template=REF)
        schemas.update(generated.pop("$defs", {}))
        schemas[model.__name__] = generated
    text = repr(document["paths"])
    for unused in _FASTAPI_422:
        if f"/{unused}'" not in text:
            schemas.pop(unused, None)
    return document


def install_problem_document(app: FastAPI) -> None:
    """Have ``app.openapi()`` publish its error answers as problems."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problem_document(generate())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
