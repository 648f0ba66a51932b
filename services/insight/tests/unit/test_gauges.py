"""The gauges job: the coverage of every district on the Prometheus gauges the
Grafana dashboard in deploy/ charts, and only gauges the service exports."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

from insight.adapters.gauges import BY_DISTRICT, REFRESHED, PrometheusGauges
from insight.domain.coverage import Reference
from insight.domain.facts import Area, CaseFact, Facts
from insight.handlers.policies import GaugeRefresh
from prometheus_client import REGISTRY

T0 = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[4]


class Source:
    def __init__(self, facts: Facts) -> None:
        self.now = facts

    async def facts(self, district: str | None = None) -> Facts:
        return self.now


def sample(name: str, district: str) -> float | None:
    return REGISTRY.get_sample_value(name, {"district": district, "region": district[:4]})


async def test_the_gauges_show_each_district_and_drop_one_gone() -> None:
    area = Area("1735", "1735207", "1735207001")
    source = Source(Facts(cases=[CaseFact("c1", area, T0), CaseFact("c2", area, T0)]))
    reference = Reference(mahallas={"1735207": 4}, workers={"1735207": 2})
    job = GaugeRefresh(source, reference, PrometheusGauges(), clock=lambda: T0)
    await job.refresh()
    assert sample("inson_insight_open_cases", "1735207") == 2
    assert sample("inson_insight_cases_awaiting_visit", "1735207") == 2
    assert sample("inson_insight_mahallas_with_cases_ratio", "1735207") == 0.25
    source.now = Facts()
    await job.refresh()
    assert sample("inson_insight_open_cases", "1735207") is None


def test_the_dashboard_charts_the_gauges_the_service_exports() -> None:
    spec = importlib.util.spec_from_file_location(
        "insight_dashboard", ROOT / "deploy/tools/insight_dashboard.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    exported = {gauge._name for gauge in (*BY_DISTRICT, REFRESHED)}
    assert set(module.GAUGES) | {module.REFRESHED} == exported
