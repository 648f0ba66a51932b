"""Strict input over tolerant contract models.

Event classes drop unknown fields, so an older reader keeps reading newer
events. An API that takes a contract model as its input must not: a field the
caller misspelt, or a ``$where`` smuggled into a body, is an error to report,
not something to drop silently.
"""

from __future__ import annotations

from typing import Any

from inson_contracts.personal import models_in
from pydantic import BaseModel
from pydantic_core import PydanticCustomError


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
    unknown = unknown_fields(model, data)
    if unknown:
        raise PydanticCustomError(
            "unknown_fields",
            "unknown field(s): {names}",
            {"names": ", ".join(unknown), "fields": unknown},
        )
    return data
