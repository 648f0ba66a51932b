"""Reliability under faults, on a Kafka and FerretDB of the suite's own: the four
services as processes (two of assessment and referral), applications flowing from
submission to a completed plan, SIGKILL of each service (one process of two where
there are two), the broker and the store stopped, poison on every topic, a graceful
stop; then nothing accepted is lost, nothing is doubled, nothing valid is
dead-lettered (counted from topics and projections). See harness.py."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from .harness import Campaign, execute

pytestmark = pytest.mark.integration


def _seed() -> int:
    raw = os.environ.get("INSON_FAULTS_SEED", "")
    return int(raw) if raw else random.SystemRandom().randrange(1, 10**6)


@pytest.mark.timeout(600)
async def test_short_campaign_loses_and_doubles_nothing(tmp_path: Path) -> None:
    campaign = Campaign.short(_seed())
    if os.environ.get("INSON_FAULTS_APPLICATIONS"):
        campaign = Campaign(
            **{**campaign.__dict__, "applications": int(os.environ["INSON_FAULTS_APPLICATIONS"])}
        )
    report = await execute(campaign, tmp_path)
    assert report.passed, "\n".join([f"seed {report.seed}", *report.problems()])


@pytest.mark.faults_full
@pytest.mark.timeout(6 * 3600)
async def test_full_campaign_loses_and_doubles_nothing(tmp_path: Path) -> None:
    applications = int(os.environ.get("INSON_FAULTS_APPLICATIONS", "2000"))
    replicas = int(os.environ.get("INSON_FAULTS_REPLICAS") or 0) or None
    report = await execute(Campaign.full(_seed(), applications, replicas), tmp_path)
    assert report.passed, "\n".join([f"seed {report.seed}", *report.problems()])
