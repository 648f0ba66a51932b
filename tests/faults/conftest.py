"""The full fault campaign runs only when asked for (``make faults``): it takes
long. Plain ``pytest`` and ``make test`` run the short one."""

from __future__ import annotations

import os

import pytest

FULL = "faults_full"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("INSON_FAULTS") == "full":
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker(FULL) else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
