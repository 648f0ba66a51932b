"""The KPI gauges' Grafana dashboard: what the insight service exports per district.

Written by generate.py to deploy/k8s/base/monitoring/insight-dashboard.json.
Each replica of insight refreshes the gauges when it takes the job's turn, so
a replica's values may be a turn old: ``max by (district)`` takes the newest
(the figures only grow within a turn, and a stale lower one is dropped).
"""

from __future__ import annotations

from typing import Any

# The gauges insight/adapters/gauges.py exports, labelled by district and region.
GAUGES = {
    "inson_insight_referrals_overdue": "Overdue referrals (awaiting acceptance past accept-by)",
    "inson_insight_open_cases": "Open cases",
    "inson_insight_referrals_awaiting": "Backlog: referrals awaiting acceptance",
    "inson_insight_cases_awaiting_visit": "Backlog: open cases awaiting a home visit",
    "inson_insight_mahallas_with_cases_ratio": "Coverage: share of mahallas with a case",
}
REFRESHED = "inson_insight_figures_refreshed_timestamp_seconds"


def _expr(metric: str) -> str:
    return f'max by (district) ({metric}{{region=~"$region", district=~"$district"}})'


def _panel(pid: int, metric: str, title: str) -> dict[str, Any]:
    ratio = metric.endswith("_ratio")
    return {
        "id": pid,
        "type": "bargauge" if pid == 1 else "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 12, "x": (pid - 1) % 2 * 12, "y": (pid - 1) // 2 * 8},
        "fieldConfig": {
            "defaults": {"unit": "percentunit" if ratio else "short", "min": 0},
            "overrides": [],
        },
        "options": {
            "legend": {"displayMode": "table", "placement": "bottom", "calcs": ["lastNotNull"]}
        },
        "targets": [{"refId": "A", "expr": _expr(metric), "legendFormat": "{{district}}"}],
    }


def _variable(name: str, label: str, query: str) -> dict[str, Any]:
    return {
        "name": name,
        "type": "query",
        "label": label,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "query": {"query": query, "refId": name},
        "definition": query,
        "includeAll": True,
        "multi": True,
        "allValue": ".*",
        "current": {"text": "All", "value": "$__all"},
        "refresh": 2,
    }


def insight_dashboard() -> dict[str, Any]:
    panels = [_panel(i, metric, title) for i, (metric, title) in enumerate(GAUGES.items(), 1)]
    panels.append(
        {
            "id": len(panels) + 1,
            "type": "stat",
            "title": "Seconds since the gauges were refreshed",
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"h": 8, "w": 12, "x": 12, "y": 16},
            "fieldConfig": {"defaults": {"unit": "s"}, "overrides": []},
            "targets": [
                {"refId": "A", "expr": f"time() - max({REFRESHED})", "legendFormat": "age"}
            ],
        }
    )
    return {
        "uid": "inson-insight",
        "title": "Inson KPIs (insight)",
        "description": "Gauges of the insight service per district: overdue referrals, open "
        "cases, backlog and coverage. The figures by period are on its KPI page (/kpi).",
        "tags": ["inson", "kpi"],
        "timezone": "browser",
        "schemaVersion": 39,
        "version": 1,
        "editable": False,
        "refresh": "1m",
        "time": {"from": "now-7d", "to": "now"},
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "type": "datasource",
                    "query": "prometheus",
                    "label": "Data source",
                },
                _variable("region", "Region", "label_values(inson_insight_open_cases, region)"),
                _variable(
                    "district",
                    "District",
                    'label_values(inson_insight_open_cases{region=~"$region"}, district)',
                ),
            ]
        },
        "panels": panels,
    }
