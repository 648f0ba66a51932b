"""Field errors from pydantic's: where (a JSON pointer) and which code, nothing sent.

pydantic's errors carry the input and a message that may quote it; only the
location, the error type and the schema's numeric limits are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from inson_runtime.problems.catalogue import Catalogue, FieldError

# Context of pydantic's errors: limits from the schema. A message shows only the
# parameters its field code declares, each checked against its kind.
# Where FastAPI says a value came from: the pointer's first segment.
SOURCES = frozenset({"body", "query", "path", "header", "cookie"})


def _escaped(segment: object) -> str:
    return str(segment).replace("~", "~0").replace("/", "~1")


def pointer(*loc: object) -> str:
    """A JSON pointer (RFC 6901) from a pydantic location: ``("body", "a", 0)`` -> ``/body/a/0``."""
    return "".join(f"/{_escaped(segment)}" for segment in loc)


def _declared(ctx: Mapping[str, Any] | None, names: Iterable[str]) -> dict[str, object]:
    return {k: ctx[k] for k in names if ctx and isinstance(ctx.get(k), int | float | str)}


def field_errors(
    errors: Iterable[Mapping[str, Any]],
    catalogue: Catalogue,
    *,
    at: Sequence[object] = (),
    roots: frozenset[str] = SOURCES,
    body_fields: frozenset[str] = frozenset(),
) -> list[FieldError]:
    """``errors`` (pydantic's, or the same shape) as field errors.

    ``at`` prefixes every location (``("body",)`` for a body a handler
    validated itself). A location whose first part is not one of ``roots``
    (an event's field) is put under ``/body`` when the body has a field of
    that name, else it points at the whole body: an internal field is never
    named.
    """
    found: list[FieldError] = []
    for error in errors:
        loc = [*at, *error.get("loc", ())]
        kind = str(error.get("type", "value_error"))
        if kind == "json_invalid":
            loc = loc[:1]  # the second element is a character offset, not a field
        if not loc or loc[0] not in roots:
            loc = ["body", *loc] if loc and loc[0] in body_fields else ["body"]
        ctx = error.get("ctx")
        if kind == "unknown_fields" and ctx:
            # One error naming several undeclared keys (dotted paths): one entry each.
            for path in ctx.get("fields", ()):
                parts = [int(p) if p.isdigit() else p for p in str(path).split(".")]
                found.append(FieldError(pointer(*loc, *parts), "unknown_field"))
            continue
        code = catalogue.field_code(kind)
        found.append(FieldError(pointer(*loc), code, _declared(ctx, catalogue.fields[code].params)))
    return found
