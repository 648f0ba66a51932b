"""Whose referrals a caller works with: one center's windows, some providers, one
district, or all (pure).

A window operator works at their Public Services Center's windows; a provider
operator for the providers their token names (a health facility, a mahalla,
...); a supervisor watches their district, whatever the provider; an admin
sees everything. The API names the caller's area from their token; the
queries filter by it and the command handlers check a referral against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from inson_contracts.events.referral import Destination


@dataclass(frozen=True)
class Area:
    """A center's windows (``service_center``), providers (``providers``), a district,
    or everywhere (none of them)."""

    service_center: str | None = None
    district: str | None = None
    providers: frozenset[str] | None = None

    def covers(self, destination: Destination) -> bool:
        """Whether a referral sent to ``destination`` lies in this area."""
        if self.service_center is not None:
            return destination.service_center == self.service_center
        if self.providers is not None:
            return destination.provider in self.providers
        if self.district is not None:
            return destination.district == self.district
        return True

    @property
    def everywhere(self) -> bool:
        return self.service_center is None and self.district is None and self.providers is None


EVERYWHERE = Area()
