"""CPU time by process, so a rate that does not hold says where the cores went.

Read from ``/proc/<pid>/stat`` (user + system time), for the services'
processes, the broker and the store (found by the port they listen on) and
the driver itself. Divided by the applications of a run it gives CPU
milliseconds per application: unlike latencies, a figure another process on
the machine barely moves.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

_TICK_S = 1 / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of ``pid`` so far; 0 if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # The command name (field 2) may hold spaces: count from its closing parenthesis.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) * _TICK_S


def listening_pid(port: int) -> int | None:
    """The process listening on TCP ``port`` of this machine, if one can be found."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if parts[3] == "0A" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(f"socket:[{parts[9]}]")
    if not inodes:
        return None
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                if os.readlink(fd) in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


class CpuMeter:
    """CPU seconds of named groups of processes, between two readings."""

    def __init__(self, groups: Mapping[str, Sequence[int]]) -> None:
        self.groups = {name: list(pids) for name, pids in groups.items() if pids}

    def read(self) -> dict[str, float]:
        return {name: sum(cpu_seconds(p) for p in pids) for name, pids in self.groups.items()}

    @staticmethod
    def per_application(
        before: Mapping[str, float], after: Mapping[str, float], applications: int
    ) -> dict[str, float]:
        """CPU milliseconds per application by group, and their total."""
        spent = {name: (after[name] - before.get(name, 0.0)) * 1000 for name in after}
        per = {name: ms / max(applications, 1) for name, ms in spent.items()}
        per["total"] = sum(per.values())
        return per
