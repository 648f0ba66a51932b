"""Where a process spends its store round trips, for profiling only.

With ``INSON_STORE_PROFILE=<dir>`` set, every MongoDB command this process
sends is counted by its shape: database, collection, command and the keys of
its filter (values never, so no personal data). The totals are written to
``<dir>/<service>-<pid>.json`` every few seconds and at exit. Off by default:
the listener costs a little on every command.
"""

from __future__ import annotations

import atexit
import json
import os
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pymongo import monitoring

_FILTER_OF = {"find": "filter", "count": "query", "delete": "deletes", "update": "updates"}


def _shape(command_name: str, command: Any) -> str:
    collection = command.get(command_name) if hasattr(command, "get") else None
    keys: list[str] = []
    if command_name in ("find", "count", "aggregate"):
        spec = command.get(_FILTER_OF.get(command_name, "pipeline")) or {}
        if command_name == "aggregate":
            spec = next((s.get("$match", {}) for s in spec if "$match" in s), {})
        keys = sorted(spec)
    elif command_name in ("update", "delete"):
        ops = command.get(_FILTER_OF[command_name]) or []
        spec = (ops[0].get("q") if ops else None) or {}
        keys = sorted(spec)
    elif command_name == "findAndModify":
        keys = sorted(command.get("query") or {})
    return f"{collection}:{command_name}({','.join(keys)})"


class StoreProfile(monitoring.CommandListener):
    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.inflight: dict[int, tuple[str, float]] = {}
        self.totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self.written = time.monotonic()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        shape = f"{event.database_name}.{_shape(event.command_name, event.command)}"
        with self.lock:
            self.inflight[event.request_id] = (shape, time.perf_counter())

    def _end(self, request_id: int, outcome: str) -> None:
        with self.lock:
            began = self.inflight.pop(request_id, None)
            if began is None:
                return
            shape, at = began
            total = self.totals[shape if outcome == "ok" else f"{shape} [{outcome}]"]
            total[0] += 1
            total[1] += (time.perf_counter() - at) * 1000
        if time.monotonic() - self.written > 5:
            self.write()

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        self._end(event.request_id, "ok")

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        self._end(event.request_id, "failed")

    def write(self) -> None:
        with self.lock:
            self.written = time.monotonic()
            rows = {k: {"n": int(v[0]), "ms": round(v[1], 1)} for k, v in self.totals.items()}
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(rows, indent=1, sort_keys=True))
        tmp.replace(self.path)


def install_if_asked(service: str) -> None:
    """Register the profile listener when INSON_STORE_PROFILE names a directory."""
    target = os.environ.get("INSON_STORE_PROFILE")
    if not target:
        return
    Path(target).mkdir(parents=True, exist_ok=True)
    profile = StoreProfile(Path(target) / f"{service}-{os.getpid()}.json")
    monitoring.register(profile)
    atexit.register(profile.write)
