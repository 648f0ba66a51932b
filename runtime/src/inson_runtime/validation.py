"""Strict input over tolerant contract models.

Event classes drop unknown fields, so an older reader keeps reading newer
events. An API that takes a contract model as its input must not: a field the
caller misspelt, or a ``$where`` smuggled into a body, is an error to report,
not something to drop silently. Nor may it coerce: a ``0`` where the schema
says boolean, ``"3"`` for an integer or a number for a date is what the
published schema refuses, so the API refuses it too (:func:`as_json`).
"""

from __future__ import annotations

import functools
import json
from typing import Any, TypeVar

from inson_contracts.personal import models_in
from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticCustomError

M = TypeVar("M", bound=BaseModel)


def unknown_fields(model: type[BaseModel], data: Any, path: str = "") -> list[str]:
    """Dotted paths of keys in ``data`` that ``model`` (and its nested models) do not declare."""
    if not isinstance(data, dict):
        return []
    found: list[str] = []
    fields = model.model_fields
    known = set(fields) | {f.alias for f in fields.values() if f.alias}
    for key, value in data.items():
        where = f"{path}.{key}" if path else str(key)
        if key not in known:
            found.append(where)
            continue
        for inner, in_list in models_in(fields[key].annotation):
            items = value if in_list and isinstance(value, list) else [value]
            for i, item in enumerate(items):
                found.extend(unknown_fields(inner, item, f"{where}.{i}" if in_list else where))
    return found


def forbid_unknown(model: type[BaseModel], data: Any) -> Any:
    """A ``mode="before"`` validator body: refuse undeclared keys, naming them.

    The error's type is ``unknown_fields`` and its context lists the dotted
    paths, so an answer points at each (``inson_runtime.problems.fields``).
    """
    _refuse_unknown(unknown_fields(model, data))
    return data


def _refuse_unknown(unknown: list[str]) -> None:
    if unknown:
        raise PydanticCustomError(
            "unknown_fields",
            "unknown field(s): {names}",
            {"names": ", ".join(unknown), "fields": unknown},
        )


def as_json(model: type[M], data: Any) -> M | Any:
    """A ``mode="before"`` validator body: ``data`` (an object of a JSON body) read as
    ``model`` by JSON's own types, strictly, unknown keys refused.

    FastAPI hands validators the body already parsed, where pydantic's lax
    mode would read ``0`` as ``False``; validating the JSON text in strict
    mode takes exactly what the schema publishes. Anything but an object is
    passed on for the field's own validation to refuse.
    """
    if not isinstance(data, dict):
        return data
    forbid_unknown(model, data)
    return model.model_validate_json(json.dumps(data), strict=True)


@functools.cache
def _list_of(model: type[BaseModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def as_json_items(model: type[BaseModel], data: Any) -> Any:
    """:func:`as_json` for a list of ``model`` (errors keep each item's index)."""
    if not isinstance(data, list):
        return data
    _refuse_unknown([p for n, item in enumerate(data) for p in unknown_fields(model, item, str(n))])
    return _list_of(model).validate_json(json.dumps(data), strict=True)
