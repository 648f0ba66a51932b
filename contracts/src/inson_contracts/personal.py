"""Where personal data sits inside an event, as paths masking and erasure can use.

A path is dotted; ``[]`` marks a list, e.g. ``household[].name.last_name``.
"""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel

from inson_contracts.events.base import PERSONAL_DATA


def models_in(annotation: Any) -> list[tuple[type[BaseModel], bool]]:
    """Model classes inside an annotation, each with whether it sits in a list.

    Shared with the runtime's strict-input check, which walks the same nesting.
    """
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in models_in(arg)]
    if origin in (list, tuple, set, frozenset):
        return [(model, True) for arg in typing.get_args(annotation) for model, _ in models_in(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(annotation, False)]
    return []


@cache
def personal_paths(model: type[BaseModel]) -> frozenset[str]:
    """Every personal-data field of ``model``, nested models included."""
    paths: set[str] = set()
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(PERSONAL_DATA) is True:
            paths.add(name)
        for inner, in_list in models_in(info.annotation):
            prefix = f"{name}[]" if in_list else name
            paths.update(f"{prefix}.{path}" for path in personal_paths(inner))
    return frozenset(paths)
