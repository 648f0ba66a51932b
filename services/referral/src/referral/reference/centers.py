"""The Public Services Centers, their branches and their Social service windows.

From 1 Jan 2024 every Public Services Center (*Davlat xizmatlari markazi*) and
its branches run "Social service windows", where referrals for concrete
services land. The sources name no center, so the packaged directory is
generated placeholder data (``tools/generate_centers.py``): one center per
Inson pilot district or city, a branch in the busier urban ones, 1-3 windows
each, with stable codes (``psc-1735207``, ``psc-1735207-w1``) and names that say
they are placeholders.

It is data, not code: read from ``data/service_centers.json`` inside this
package or, when ``INSON_SERVICE_CENTERS_FILE`` names a file, from that file,
so the real directory can replace the placeholders without a release. It is
checked as it is loaded (codes unique, districts known, one main center per
district and one for every pilot district, a branch's mahallas listed, inside
its district and served by no other branch) and a bad entry stops the load
with a message naming it: a referral routed by a half-read directory would
wait at a window nobody staffs.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Annotated, Any, NamedTuple

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import DISTRICTS_BY_CODE, INSON_PILOT_DISTRICTS, DistrictCode
from inson_contracts.codes.mahallas import MahallaCode, mahalla
from inson_contracts.codes.names import LocalizedName
from inson_contracts.codes.reference import (
    ReferenceDataError,
    ReferenceFile,
    describe,
    member_list,
    validated,
)
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

CENTERS_FILE_ENV = "INSON_SERVICE_CENTERS_FILE"

_PACKAGED = "data/service_centers.json"

# What fits the contract's Destination.service_center and .window (32 chars).
Code = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{1,31}$")]


def center_code_of(district_code: str) -> str:
    """The code of a district's main Public Services Center."""
    return f"psc-{district_code}"


class CenterKind(StrEnum):
    CENTER = "center"  # the district's main Public Services Center
    BRANCH = "branch"  # a branch (filial) nearer to some of its mahallas


class Window(BaseModel):
    """A Social service window (ijtimoiy xizmat darchasi)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    name: LocalizedName
    # True while the name is generated, so no screen or letter to a citizen
    # can pass a placeholder off as a real window.
    placeholder: bool = False


class ServiceCenter(BaseModel):
    """A Public Services Center or one of its branches."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: Code
    district: DistrictCode
    kind: CenterKind
    name: LocalizedName
    # A branch serves the mahallas listed; the main center serves the rest of
    # its district, so a new mahalla is never left without a center.
    mahallas: tuple[MahallaCode, ...] = ()
    windows: tuple[Window, ...] = Field(min_length=1, max_length=20)
    placeholder: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> ServiceCenter:
        if self.kind is CenterKind.CENTER and self.mahallas:
            raise ValueError("a main center serves the rest of its district: list no mahallas")
        if self.kind is CenterKind.BRANCH and not self.mahallas:
            raise ValueError("a branch must list the mahallas it serves")
        outside = [code for code in self.mahallas if not code.startswith(self.district)]
        if outside:
            raise ValueError(f"mahallas {outside} are not inside district {self.district}")
        if len(set(self.mahallas)) != len(self.mahallas):
            raise ValueError("a mahalla is listed twice")
        return self

    @property
    def window_codes(self) -> tuple[str, ...]:
        return tuple(w.code for w in self.windows)


class CenterDataError(ReferenceDataError):
    """The directory file cannot be used; the message names the file and the entry."""


class _Table(NamedTuple):
    source: str
    centers: tuple[ServiceCenter, ...]
    by_code: Mapping[str, ServiceCenter]
    main_by_district: Mapping[str, ServiceCenter]
    branch_by_mahalla: Mapping[str, ServiceCenter]
    by_window: Mapping[str, ServiceCenter]


def _check_codes(where: str, center: ServiceCenter, seen: dict[str, str]) -> None:
    for code in (center.code, *center.window_codes):
        if code in seen:
            raise CenterDataError(f"{where}: code {code} is listed twice (first in {seen[code]})")
        seen[code] = center.code


def _check_branch(where: str, center: ServiceCenter, branches: dict[str, ServiceCenter]) -> None:
    for code in center.mahallas:
        try:
            mahalla(code)
        except UnknownCode:
            raise CenterDataError(f"{where}: mahalla {code} is not in the mahalla list") from None
        if code in branches:
            raise CenterDataError(
                f"{where}: mahalla {code} is already served by branch {branches[code].code}"
            )
        branches[code] = center


def _parse(source: str, document: Any) -> _Table:
    seen: dict[str, str] = {}
    mains: dict[str, ServiceCenter] = {}
    branches: dict[str, ServiceCenter] = {}
    parsed: list[ServiceCenter] = []
    entries = member_list(source, document, "centers", CenterDataError)
    for number, entry in enumerate(entries, start=1):
        where = describe(source, "center", number, entry, limit=200)
        center = validated(ServiceCenter, where, entry, CenterDataError)
        if center.district not in DISTRICTS_BY_CODE:
            raise CenterDataError(f"{where}: unknown district {center.district}")
        _check_codes(where, center, seen)
        if center.kind is CenterKind.BRANCH:
            _check_branch(where, center, branches)
        elif center.district in mains:
            raise CenterDataError(
                f"{where}: district {center.district} already has main center"
                f" {mains[center.district].code}"
            )
        else:
            mains[center.district] = center
        parsed.append(center)
    # Checked over the whole file: a district without a main center would
    # leave its window referrals nowhere to go.
    unserved = sorted({c.district for c in parsed} - mains.keys())
    unserved += sorted({d.code for d in INSON_PILOT_DISTRICTS} - mains.keys() - set(unserved))
    if unserved:
        raise CenterDataError(f"{source}: districts without a main center: {unserved}")
    ordered = tuple(sorted(parsed, key=lambda c: c.code))
    return _Table(
        source=source,
        centers=ordered,
        by_code=MappingProxyType({c.code: c for c in ordered}),
        main_by_district=MappingProxyType(mains),
        branch_by_mahalla=MappingProxyType(branches),
        by_window=MappingProxyType({w: c for c in ordered for w in c.window_codes}),
    )


_FILE = ReferenceFile(
    package="referral.reference",
    resource=_PACKAGED,
    env=CENTERS_FILE_ENV,
    parse=_parse,
    error=CenterDataError,
)
_table = _FILE.get


def reload_service_centers() -> None:
    """Forget the loaded directory; the next lookup reads the file again.

    For tests and for a process pointed at a new file through
    ``INSON_SERVICE_CENTERS_FILE``; after ``reload_mahallas()`` call this too.
    """
    _FILE.reload()


def service_centers_source() -> str:
    """Where the directory in use was read from."""
    return _table().source


def service_centers() -> tuple[ServiceCenter, ...]:
    """Every center and branch, by code."""
    return _table().centers


def service_center(code: str) -> ServiceCenter:
    try:
        return _table().by_code[code]
    except KeyError:
        raise UnknownCode("service center", code) from None


def center_of_window(window_code: str) -> ServiceCenter:
    """The center or branch a window belongs to."""
    try:
        return _table().by_window[window_code]
    except KeyError:
        raise UnknownCode("window", window_code) from None


def centers_of(district_code: str) -> tuple[ServiceCenter, ...]:
    """The main center and branches of a district, by code; empty if none is listed."""
    return tuple(c for c in _table().centers if c.district == district_code)


def center_serving(district_code: str, mahalla_code: str) -> ServiceCenter:
    """The center a person of this mahalla goes to: their branch, else the district's center."""
    table = _table()
    branch = table.branch_by_mahalla.get(mahalla_code)
    if branch is not None and branch.district == district_code:
        return branch
    try:
        return table.main_by_district[district_code]
    except KeyError:
        raise UnknownCode("service center for district", district_code) from None
