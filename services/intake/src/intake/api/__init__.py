"""Intake's HTTP API: submit applications, settle likely matches, read the caseload."""

from intake.api import access_log, applications, case_applications, cases, erasure
from intake.api.errors import install_errors

routers = [
    applications.router,
    cases.router,
    case_applications.router,
    access_log.router,
    erasure.router,
]

__all__ = ["install_errors", "routers"]
