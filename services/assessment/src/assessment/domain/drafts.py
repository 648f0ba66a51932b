"""The questionnaire draft: a tablet's scratch copy of a visit, outside the event store.

A draft is not a fact, so it is never an event; it is saved as it is, its
answers not validated until the assessment is completed. Each save has a
revision: a save based on revision ``n`` becomes ``n + 1`` and is refused
when another save came in between (0 means "none saved yet"), so two tablets
never overwrite each other silently.

What a draft may be is bounded, though, so that any document is stored and
read back as it was sent (``draft_errors``): JSON of at most
``MAX_DRAFT_BYTES``, nested at most ``MAX_DEPTH`` deep, keys of letters,
digits, ``_`` and ``-`` (no ``$`` or ``.``, which the store reads as
operators and paths), no list directly in a list (the store keeps none),
integers the store can hold (64 bits), finite numbers, and text without NUL
or unpaired surrogates.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_DRAFT_BYTES = 64 * 1024
MAX_DEPTH = 8
MAX_ERRORS = 20
KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")
INT64 = (-(2**63), 2**63 - 1)

FieldError = dict[str, Any]
Path = tuple[str | int, ...]


@dataclass(frozen=True)
class SavedDraft:
    draft: Any
    saved_by: str | None
    saved_at: datetime | None
    revision: int


def _error(path: Path, msg: str) -> FieldError:
    # Where and which rule, never the value (a draft holds the household's answers).
    return {"loc": list(path), "msg": msg, "type": "value_error"}


def _shown(key: str) -> str:
    return key if len(key) <= 64 else key[:64] + "..."


def _scalar_error(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        if not INT64[0] <= value <= INT64[1]:
            return "integers are at most 64 bits (-2^63 to 2^63-1)"
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else "numbers must be finite"
    if isinstance(value, str):
        if "\x00" in value:
            return "text may not hold NUL characters"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text must be valid Unicode (no unpaired surrogates)"
        return None
    return "not a JSON value"


def draft_errors(draft: Any) -> list[FieldError]:
    """Why ``draft`` cannot be stored as it is, by path (empty: it can).

    Walked with a stack rather than recursion, so no nesting, however deep,
    can exhaust the interpreter's recursion limit.
    """
    if not isinstance(draft, dict):
        return [_error((), "a draft is a JSON object")]
    errors: list[FieldError] = []
    stack: list[tuple[Any, Path, bool]] = [(draft, (), False)]
    while stack and len(errors) < MAX_ERRORS:
        value, path, in_list = stack.pop()
        if isinstance(value, dict | list) and len(path) >= MAX_DEPTH:
            errors.append(_error(path, f"a draft is nested at most {MAX_DEPTH} deep"))
        elif isinstance(value, dict):
            for key, inner in value.items():
                if not isinstance(key, str) or not KEY.match(key):
                    errors.append(
                        _error(
                            (*path, _shown(str(key))),
                            "keys hold letters, digits, _ and - (at most 64, not starting "
                            "with a digit or -): no $ or .",
                        )
                    )
                else:
                    stack.append((inner, (*path, key), False))
        elif isinstance(value, list):
            if in_list:
                errors.append(_error(path, "a list may not hold another list directly"))
                continue
            stack.extend((inner, (*path, n), True) for n, inner in enumerate(value))
        elif (problem := _scalar_error(value)) is not None:
            errors.append(_error(path, problem))
    if errors:
        return errors[:MAX_ERRORS]
    size = len(json.dumps(draft, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > MAX_DRAFT_BYTES:
        return [_error((), f"a draft is at most {MAX_DRAFT_BYTES} bytes of JSON")]
    return []
