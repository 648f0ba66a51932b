"""Prometheus gauges of the coverage figures, per district (no personal data).

Declared once per process (a second ``compose`` in one process, as tests do,
shares them): Prometheus refuses a metric registered twice.
"""

from __future__ import annotations

import time

from prometheus_client import Gauge

from insight.domain.coverage import Coverage

LABELS = ["district", "region"]
OPEN_CASES = Gauge("inson_insight_open_cases", "Cases opened and not closed", LABELS)
AWAITING_VISIT = Gauge(
    "inson_insight_cases_awaiting_visit", "Open cases with no home visit yet", LABELS
)
REFERRALS_AWAITING = Gauge(
    "inson_insight_referrals_awaiting",
    "Referrals awaiting the provider's acceptance (the providers' backlog)",
    LABELS,
)
REFERRALS_OVERDUE = Gauge(
    "inson_insight_referrals_overdue",
    "Referrals awaiting acceptance past their accept-by time",
    LABELS,
)
MAHALLAS_REACHED = Gauge(
    "inson_insight_mahallas_with_cases_ratio",
    "Share of the district's mahallas with at least one case",
    LABELS,
)
REFRESHED = Gauge(
    "inson_insight_figures_refreshed_timestamp_seconds", "When the gauges were last refreshed"
)
BY_DISTRICT = (OPEN_CASES, AWAITING_VISIT, REFERRALS_AWAITING, REFERRALS_OVERDUE, MAHALLAS_REACHED)


class PrometheusGauges:
    """Sets the gauges from the coverage; a district no longer listed is dropped."""

    def __init__(self) -> None:
        self._shown: set[tuple[str, str]] = set()

    def show(self, coverage: list[Coverage]) -> None:
        shown = set()
        for entry in coverage:
            key = (entry.district, entry.region)
            shown.add(key)
            OPEN_CASES.labels(*key).set(entry.open_cases)
            AWAITING_VISIT.labels(*key).set(entry.cases_awaiting_visit)
            REFERRALS_AWAITING.labels(*key).set(entry.referrals_awaiting)
            REFERRALS_OVERDUE.labels(*key).set(entry.referrals_overdue)
            reached = entry.mahallas_with_cases / entry.mahallas if entry.mahallas else 0.0
            MAHALLAS_REACHED.labels(*key).set(reached)
        for key in self._shown - shown:
            for gauge in BY_DISTRICT:
                gauge.remove(*key)
        self._shown = shown
        REFRESHED.set(time.time())
