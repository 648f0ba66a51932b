"""Mahallas of the Inson pilot districts and cities, with 10-digit codes.

A mahalla code is its district's 7-digit SOATO code followed by a 3-digit
sequence number within the district (``1735207001``). The official mahalla
register is not in our sources, so the packaged list holds the right *number*
of mahallas (1,351, as the source says) with stable generated codes and names
that say plainly that they are placeholders (``placeholder=True``).

The list is data, not code: it is read from ``data/mahallas.json`` inside this
package, or, when the ``INSON_MAHALLAS_FILE`` environment variable names a
file, from that file. A file of the same shape holding the real register can
therefore replace the placeholders without a release. Whatever file is read is
checked as it is loaded (codes unique and well formed, each district known,
each code inside its district) and a bad entry stops the load with a message
that names it: a half-read register would route cases to the wrong mahalla.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import DISTRICTS_BY_CODE, DistrictCode
from inson_contracts.codes.names import LocalizedName
from inson_contracts.codes.reference import (
    ReferenceDataError,
    ReferenceFile,
    describe,
    member_list,
    validated,
)

MahallaCode = Annotated[str, StringConstraints(pattern=r"^17\d{8}$")]

MAHALLA_COUNT_PILOT = 1351
"""Mahallas the source counts in the pilot districts and cities."""

MAHALLAS_FILE_ENV = "INSON_MAHALLAS_FILE"

_PACKAGED = "data/mahallas.json"


class Mahalla(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    code: MahallaCode
    district_code: DistrictCode
    name: LocalizedName
    # True while the name is generated, so no screen or letter can pass a
    # placeholder off as a real mahalla name.
    placeholder: bool = False

    @model_validator(mode="after")
    def _code_inside_its_district(self) -> Mahalla:
        if not self.code.startswith(self.district_code):
            raise ValueError(
                f"mahalla code {self.code} is not inside district {self.district_code}"
            )
        return self


class MahallaDataError(ReferenceDataError):
    """The mahalla file cannot be used; the message names the file and the entry."""


class _Table(NamedTuple):
    source: str
    mahallas: tuple[Mahalla, ...]
    by_code: Mapping[str, Mahalla]
    by_district: Mapping[str, tuple[Mahalla, ...]]


def _parse(source: str, document: Any) -> _Table:
    parsed: list[Mahalla] = []
    seen: dict[str, int] = {}
    entries = member_list(source, document, "mahallas", MahallaDataError)
    for number, entry in enumerate(entries, start=1):
        where = describe(source, "entry", number, entry)
        mahalla = validated(Mahalla, where, entry, MahallaDataError)
        if mahalla.code in seen:
            raise MahallaDataError(
                f"{where}: mahalla code {mahalla.code} is listed twice"
                f" (first as entry #{seen[mahalla.code]})"
            )
        if mahalla.district_code not in DISTRICTS_BY_CODE:
            raise MahallaDataError(f"{where}: unknown district {mahalla.district_code}")
        seen[mahalla.code] = number
        parsed.append(mahalla)
    if not parsed:
        raise MahallaDataError(f"{source}: lists no mahallas")

    ordered = tuple(sorted(parsed, key=lambda m: m.code))
    groups: dict[str, list[Mahalla]] = {}
    for mahalla in ordered:
        groups.setdefault(mahalla.district_code, []).append(mahalla)
    return _Table(
        source=source,
        mahallas=ordered,
        by_code=MappingProxyType({m.code: m for m in ordered}),
        by_district=MappingProxyType({code: tuple(ms) for code, ms in groups.items()}),
    )


_FILE = ReferenceFile(
    package="inson_contracts.codes",
    resource=_PACKAGED,
    env=MAHALLAS_FILE_ENV,
    parse=_parse,
    error=MahallaDataError,
)
_table = _FILE.get


def reload_mahallas() -> None:
    """Forget the loaded list; the next lookup reads the file again.

    For tests and for a process that was pointed at a new file through
    ``INSON_MAHALLAS_FILE``.
    """
    _FILE.reload()


def mahallas_source() -> str:
    """Where the list in use was read from: the packaged file or the replacement's path."""
    return _table().source


def mahallas() -> tuple[Mahalla, ...]:
    """Every mahalla in the list in use, by code."""
    return _table().mahallas


def mahalla(code: str) -> Mahalla:
    """A mahalla by its 10-digit code."""
    try:
        return _table().by_code[code]
    except KeyError:
        raise UnknownCode("mahalla", code) from None


def mahallas_of(district_code: str) -> tuple[Mahalla, ...]:
    """The mahallas of a district or city, by code; empty if none are listed for it."""
    if district_code not in DISTRICTS_BY_CODE:
        raise UnknownCode("district", district_code)
    return _table().by_district.get(district_code, ())
