"""Small counts hidden outside one's own district (pure).

A count from 1 to 4 about a district the reader does not work in could point
at a person (the one child-protection case of a mahalla), so it is shown as
unknown; zero and counts of 5 or more are shown. A duration summarises its
count's people: it is hidden with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SMALLEST_SHOWN = 5


def small(count: int) -> bool:
    return 0 < count < SMALLEST_SHOWN


# Counts of the reference data (a district's mahallas, its social workers),
# public and about no one.
PUBLIC = frozenset({"mahallas", "workers"})


def hide_small_counts(figures: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """``figures`` (counts, maps of counts, durations) with small counts as None,
    and whether any was hidden."""
    hidden = False
    out: dict[str, Any] = {}
    for key, value in figures.items():
        if isinstance(value, bool) or value is None or key in PUBLIC:
            out[key] = value
        elif isinstance(value, int):
            out[key] = None if small(value) else value
            hidden |= small(value)
        elif isinstance(value, Mapping) and "median_hours" in value:
            if small(value["count"]):
                out[key] = {"count": None, "median_hours": None, "p90_hours": None}
                hidden = True
            else:
                out[key] = dict(value)
        elif isinstance(value, Mapping):
            out[key], inner = hide_small_counts(value)
            hidden |= inner
        else:
            out[key] = value
    if hidden:
        # A rate (a caseload per worker) over a hidden count would reveal it.
        out = {k: None if isinstance(v, float) else v for k, v in out.items()}
    return out, hidden
