"""FastAPI dependencies of the insight API: the reader a token names, the district
a route asks about, and the reports built by ``main.py`` (on ``app.state``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request
from inson_runtime.apikit import Supervisor

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
