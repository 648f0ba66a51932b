"""What the report shows: the rows and coverage as labelled tables and charts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from inson_contracts.codes.names import Language

from insight.console.charts import Bar, bars
from insight.console.labels import area_name, label
from insight.domain.indicators import Milestone
from insight.handlers.reports import Shown


def _sum(counts: list[dict[str, int | None]]) -> dict[str, int]:
    total: Counter[str] = Counter()
    for each in counts:
        total.update({k: v for k, v in each.items() if v is not None})
    return dict(sorted(total.items()))


def _titled(title: str, data: list[Bar], *, series: tuple[str, ...] = ()) -> tuple[str, Any]:
    return title, bars(title, data, series=series)


def _charts(rows: list[Shown], language: Language) -> list[tuple[str, Any]]:
    def t(key: str) -> str:
        return label(key, language)

    if not rows:
        return []
    charts = []
    per_period: dict[str, Counter[str]] = {}
    for row in rows:
        counted = {k: v for k, v in row.figures["applications"]["by_channel"].items() if v}
        per_period.setdefault(row.period or "", Counter()).update(counted)
    channels = sorted({c for counts in per_period.values() for c in counts})
    charts.append(
        _titled(
            t("chart.applications"),
            [
                Bar(f"{period} · {t('channel.' + c)}", (float(counts[c]),))
                for period, counts in sorted(per_period.items())
                for c in channels
                if counts[c]
            ],
        )
    )
    if len({row.area for row in rows}) == 1:
        # One area: the latest period's waits (medians cannot be added up across areas).
        latest = rows[-1].figures["durations"]
        charts.append(
            _titled(
                f"{t('chart.durations')} ({rows[-1].period})",
                [
                    Bar(
                        t(f"milestone.{m.value}"),
                        (latest[m.value]["median_hours"], latest[m.value]["p90_hours"]),
                    )
                    for m in Milestone
                ],
                series=(t("series.median"), t("series.p90")),
            )
        )
    statuses = _sum([row.figures["referrals"]["by_status"] for row in rows])
    charts.append(
        _titled(
            t("chart.referrals"),
            [Bar(t(f"status.{s}"), (float(n),)) for s, n in statuses.items()],
        )
    )
    refusals = _sum([row.figures["referrals"]["refusals_by_reason"] for row in rows])
    charts.append(
        _titled(
            t("chart.refusals"),
            [Bar(t(f"reason.{r}"), (float(n),)) for r, n in refusals.items()],
        )
    )
    return charts


def report_context(rows: list[Shown], coverage: list[Shown], language: Language) -> dict[str, Any]:
    return {
        "rows": rows,
        "coverage": coverage,
        "charts": _charts(rows, language),
        "hidden": any(row.small_counts_hidden for row in [*rows, *coverage]),
        "names": {s.area: area_name(s.area, language) for s in [*rows, *coverage]},
    }
