"""Who a token names as a reader of the figures, and the district they ask about."""

from __future__ import annotations

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import district as district_named
from inson_runtime.auth import Principal, Role

from insight.domain.readers import ADMIN, Reader


class NoDistrict(Exception):
    """A supervisor's token names no district."""


class UnknownDistrict(Exception):
    """The district asked about is not in the register."""


def reader_of(principal: Principal) -> Reader:
    """An admin reads everything; a supervisor reads as one of their district."""
    if principal.role is Role.ADMIN:
        return ADMIN
    if principal.scope.district:
        return Reader(district=principal.scope.district)
    raise NoDistrict


def known_district(code: str | None) -> str | None:
    if code is None:
        return None
    try:
        return district_named(code).code
    except UnknownCode:
        raise UnknownDistrict(code) from None
