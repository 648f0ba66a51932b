"""Validation errors as one line a person can act on."""

from __future__ import annotations

from pydantic import ValidationError


def reasons(exc: ValidationError, *, root: str) -> str:
    """``field.path: message; ...`` with ``root`` naming errors about the whole object."""
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc']) or root}: {err['msg']}" for err in exc.errors()
    )
