"""Where personal data sits inside an event, as paths masking and erasure can use.

A path is dotted; ``[]`` marks a list, e.g. ``household[].name.last_name``.
"""

from __future__ import annotations

import copy
import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, create_model

# The JSON-schema mark of a personal field (``inson_contracts.events.personal``).
PERSONAL_DATA = "x-personal-data"


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


# --- The sealed wire form -------------------------------------------------
#
# On the wire (the event store and Kafka) an event's personal fields are not
# in its data: they are removed and carried, encrypted with the key of the
# person they belong to, in one member named SEALED (see the runtime's
# ``inson_runtime.privacy`` for the cipher). Everything else stays readable,
# so statistics, routing and partners without the key keep working. The
# member's shape is described by :class:`SealedPersonalData`.

SEALED = "sealed"


class SealedPersonalData(BaseModel):
    """The personal fields of an event, encrypted with their person's key.

    ``paths`` names the fields inside (no values); ``ct`` is absent when the
    person's key was destroyed before the event was written or when a reader
    without the key passes the event on (the fields are then erased).
    """

    v: int = 1
    alg: str = "A256GCM"
    kid: str = Field(min_length=1, description="The person's key id (their case id).")
    paths: list[str] = Field(default_factory=list)
    nonce: str | None = None
    ct: str | None = Field(default=None, description="base64 AES-256-GCM ciphertext of the JSON")
    erased: bool = False


def _segments(path: str) -> list[str]:
    return path.split(".")


def split_personal(
    model: type[BaseModel], data: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(data without its personal fields, {concrete path: value}) for ``model``'s data.

    A concrete path names list positions, e.g. ``household.2.name.last_name``.
    Fields present with a null value are taken too: the wire form then never
    has a personal key in the clear, whatever its value.
    """
    public = copy.deepcopy(data)
    values: dict[str, Any] = {}
    # Shorter paths first: a personal field holding a model takes its insides along.
    for path in sorted(personal_paths(model), key=len):
        _take(public, _segments(path), "", values)
    return public, values


def _take(node: Any, segments: list[str], prefix: str, out: dict[str, Any]) -> None:
    if not isinstance(node, dict) or not segments:
        return
    head, rest = segments[0], segments[1:]
    in_list = head.endswith("[]")
    name = head.removesuffix("[]")
    if name not in node:
        return
    here = f"{prefix}{name}"
    if not rest and not in_list:
        out[here] = node.pop(name)
        return
    child = node[name]
    if in_list and isinstance(child, list):
        for i, item in enumerate(child):
            _take(item, rest, f"{here}.{i}.", out)
    elif not in_list:
        _take(child, rest, f"{here}.", out)


def merge_personal(data: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the personal ``values`` put back at their concrete paths."""
    merged = copy.deepcopy(data)
    for path, value in values.items():
        node: Any = merged
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        node[parts[-1]] = value
    return merged


@cache
def erasable(model: type[BaseModel]) -> type[BaseModel]:
    """A subclass of ``model`` whose personal fields may be absent (None).

    Used to read an event whose personal data cannot be opened (the person was
    erased, or the reader has no key): the rest of the event still validates
    and handlers get ``None`` in the personal fields, never a dead letter.
    """
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra
        if isinstance(extra, dict) and extra.get(PERSONAL_DATA) is True:
            fields[name] = (Any, None)
            continue
        if not models_in(info.annotation):
            continue
        replaced = _replace_models(info.annotation)
        if replaced is not info.annotation:
            kept = copy.copy(info)
            kept.annotation = replaced
            fields[name] = (replaced, kept)
    if not fields:
        return model
    derived: type[BaseModel] = create_model(
        f"{model.__name__}Erased", __base__=model, __module__=model.__module__, **fields
    )
    return derived


def _replace_models(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        inner = _replace_models(args[0])
        return annotation if inner is args[0] else typing.Annotated[(inner, *args[1:])]
    if origin in (typing.Union, types.UnionType):
        new = tuple(_replace_models(a) for a in args)
        return annotation if new == args else typing.Union[new]  # noqa: UP007
    if origin in (list, tuple, set, frozenset) and args:
        new = tuple(_replace_models(a) for a in args)
        return annotation if new == args else origin[new if len(new) > 1 else new[0]]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return erasable(annotation)
    return annotation
