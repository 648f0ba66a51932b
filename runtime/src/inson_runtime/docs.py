"""What a service's ``/docs`` shows besides the schemas: examples, exactly as written.

Routes give an example of the body they take (``apikit.example_request``) and
of their success answer (``apikit.answer``). FastAPI drops every ``None`` from
the document it generates, examples included, so an example answer would
lose its ``null`` fields and no longer be valid by its own schema. The
helpers therefore write each ``None`` of an example as :data:`NULL`, and the
document, once generated, has them turned back into ``null``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

# Stands for null in an example until the document is generated (no real value
# starts with a NUL character).
NULL = "\x00null"


def kept(example: Any) -> Any:
    """``example`` with each ``None`` written as :data:`NULL`, to survive generation."""
    if example is None:
        return NULL
    if isinstance(example, dict):
        return {key: kept(value) for key, value in example.items()}
    if isinstance(example, list | tuple):
        return [kept(value) for value in example]
    return example


def restored(document: Any) -> Any:
    """``document`` with each :data:`NULL` turned back into ``None``."""
    if document == NULL:
        return None
    if isinstance(document, dict):
        return {key: restored(value) for key, value in document.items()}
    if isinstance(document, list):
        return [restored(value) for value in document]
    return document


def install_examples(app: FastAPI) -> None:
    """Have ``app.openapi()`` publish its routes' examples with their nulls."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document: dict[str, Any] = restored(generate())
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
