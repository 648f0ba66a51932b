"""A smoke run of `make bench`: the harness runs end to end and writes its figures.

Its numbers mean nothing at these counts; `make bench` measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).parents[1]


def test_the_benchmark_runs_and_writes_its_figures(kafka_bootstrap: str, mongodb_url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        # The tests' own servers, whatever the environment says.
        env={**os.environ, "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap, "MONGODB_URL": mongodb_url},
        capture_output=True,
        text=True,
        timeout=420,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for row in (
        "B1 raw Kafka produce",
        "B2 raw MongoDB bulk upserts",
        "P1 service hop",
        "P3 projection rebuild",
        "P2 end to end at 1/s",
        "P4 growth 2 -> 20 cases",
    ):
        assert row in done.stdout
    written = Path(done.stdout.strip().splitlines()[-1].removeprefix("figures written to "))
    record = json.loads(written.read_text())
    assert record["quick"] is True and len(record["commit"]) == 40
    assert record["results"]["P3_rebuild"]["events"] == record["counts"]["p3_events"]
    assert record["results"]["P3_rebuild"]["complete_streams"] == record["counts"]["p3_streams"]
    p2 = record["results"]["P2_end_to_end"]["runs"][0]
    assert p2["applications"] == p2["completed"] + p2["failed"] == 3
    assert p2["completed"] >= 1 and p2["whole"]["p99_ms"] > 0  # a referral became visible
    sizes = [p["cases"] for p in record["results"]["P4_growth"]["points"]]
    assert sizes == [2, 20]
    written.unlink()
