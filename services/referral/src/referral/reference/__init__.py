"""Reference data the referral service reads: the directory of service centers and windows."""

from __future__ import annotations

from referral.reference.centers import (
    CENTERS_FILE_ENV,
    CenterDataError,
    CenterKind,
    ServiceCenter,
    Window,
    center_code_of,
    center_of_window,
    center_serving,
    centers_of,
    reload_service_centers,
    service_center,
    service_centers,
    service_centers_source,
)

__all__ = [
    "CENTERS_FILE_ENV",
    "CenterDataError",
    "CenterKind",
    "ServiceCenter",
    "Window",
    "center_code_of",
    "center_of_window",
    "center_serving",
    "centers_of",
    "reload_service_centers",
    "service_center",
    "service_centers",
    "service_centers_source",
]
