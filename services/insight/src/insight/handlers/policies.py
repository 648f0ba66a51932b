"""The service's periodic job: the coverage figures that are gauges, for Prometheus.

Insight reacts to no event with a command of its own: its one consumer is the
projection. Every interval it folds the coverage of every district and shows
it on the gauges (open cases, cases awaiting a home visit, referrals awaiting
acceptance and overdue), which the Grafana dashboard in ``deploy/`` charts.
"""

from __future__ import annotations

from insight.domain.coverage import Reference, coverage
from insight.handlers.ports import Clock, FactSource, Gauges, utc_now


class GaugeRefresh:
    def __init__(
        self, facts: FactSource, reference: Reference, gauges: Gauges, *, clock: Clock = utc_now
    ) -> None:
        self.facts, self.reference, self.gauges, self.clock = facts, reference, gauges, clock

    async def refresh(self) -> None:
        facts = await self.facts.facts(None)
        self.gauges.show(coverage(facts, self.reference, now=self.clock()))
