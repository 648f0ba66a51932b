"""FastAPI dependencies of the insight API: the reader a token names, the district
a route asks about, and the reports built by ``main.py`` (on ``app.state``)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from inson_runtime.apikit import Supervisor
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from insight.domain.readers import Reader
from insight.handlers.readers import known_district, reader_of
from insight.handlers.reports import Reports


def _reports(request: Request) -> Reports:
    reports: Reports = request.app.state.reports
    return reports


ReportsDep = Annotated[Reports, Depends(_reports)]


def _reader(principal: Supervisor) -> Reader:
    return reader_of(principal)


ReaderDep = Annotated[Reader, Depends(_reader)]


def _district(
    district: Annotated[
        str | None,
        Query(
            pattern=r"^[0-9]{7}$",
            description="A district code (7 digits). A supervisor's default is their own "
            "district; an admin's, every district.",
        ),
    ] = None,
) -> str | None:
    return known_district(district)


DistrictDep = Annotated[str | None, Depends(_district)]


_YYYY_MM_DD = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


def _iso_day(value: Any) -> Any:
    # pydantic would read "0" or "1700000000" as seconds since 1970.
    if isinstance(value, str) and not _YYYY_MM_DD.match(value):
        raise PydanticCustomError("date_parsing", "a date is written YYYY-MM-DD")
    return value


QueryDay = Annotated[date, BeforeValidator(_iso_day)]
"""A day given in a query: ``YYYY-MM-DD`` text only."""
