"""Bar charts as SVG, rendered on the server: no script and no library draws them.

Presentation attributes only (``fill``, ``x``, ...), no ``style``: the page's
Content-Security-Policy allows no inline style. Every text is escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from markupsafe import Markup

WIDTH = 620
BAR = 22
GAP = 8
LABEL_W = 290
COLOURS = ("#2f6f9f", "#e0913a")


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[float | None, ...]  # one per series; None: hidden or not known

    def shown(self, value: float | None) -> str:
        if value is None:
            return "—"
        return f"{value:g}"


def bars(title: str, data: list[Bar], *, series: tuple[str, ...] = ()) -> Markup:
    """Horizontal bars, one row per entry and one bar per series in it."""
    top = max((v for bar in data for v in bar.values if v is not None), default=0) or 1
    per_row = max((len(bar.values) for bar in data), default=1)
    row_h = per_row * BAR + GAP
    legend_h = 20 if series else 0
    height = len(data) * row_h + legend_h + GAP
    span = WIDTH - LABEL_W - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, name in enumerate(series):
        x = LABEL_W + i * 150
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{x + 18}" y="15" font-size="12">{escape(name)}</text>'
        )
    for row, bar in enumerate(data):
        y = legend_h + row * row_h
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + per_row * BAR / 2 + 5}" font-size="13" '
            f'text-anchor="end">{escape(bar.label)}</text>'
        )
        for k, value in enumerate(bar.values):
            length = 0 if value is None else max(1, round(span * value / top))
            by = y + k * BAR
            parts.append(
                f'<rect x="{LABEL_W}" y="{by + 2}" width="{length}" height="{BAR - 4}" '
                f'fill="{COLOURS[k % len(COLOURS)]}"/>'
                f'<text x="{LABEL_W + length + 6}" y="{by + BAR / 2 + 5}" '
                f'font-size="12">{escape(bar.shown(value))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
