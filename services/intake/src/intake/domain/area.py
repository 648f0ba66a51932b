"""Whose cases a caller may see and act on: their area.

A social worker works in the mahallas of their token, a supervisor or window
operator in their district, an admin everywhere. A token whose role needs a
district and names none has no area at all: it is refused, not shown an empty
caseload, so a misissued token is noticed.
"""

from __future__ import annotations

from dataclasses import dataclass


class NoArea(PermissionError):
    """The caller's token names no district or mahalla (HTTP 403)."""

    def __init__(self) -> None:
        super().__init__("your token's scope covers no district or mahalla")


class OutsideArea(PermissionError):
    """The case or application lies outside the caller's area (HTTP 403)."""


@dataclass(frozen=True)
class Area:
    # None: not limited by that dimension.
    district: str | None = None
    mahallas: tuple[str, ...] | None = None
    # The token should name a district and names none: nothing is allowed.
    missing: bool = False

    def check(self, *, district: str, mahalla: str) -> None:
        """Raise unless a case of this district and mahalla lies in the area."""
        if self.missing:
            raise NoArea()
        if self.mahallas is not None and mahalla not in self.mahallas:
            raise OutsideArea(f"mahalla {mahalla} is outside your scope")
        if self.district is not None and self.district != district:
            raise OutsideArea(f"district {district} is outside your scope")


EVERYWHERE = Area()
NOWHERE = Area(missing=True)
