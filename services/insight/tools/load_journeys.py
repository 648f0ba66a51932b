"""Put walkthrough-like journeys on the catalogue topics, for measuring a rebuild.

    KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19392 .venv/bin/python \
        services/insight/tools/load_journeys.py --cases 2000
    KAFKA_BOOTSTRAP_SERVERS=... MONGODB_URL=... .venv/bin/inson-insight rebuild insight-facts

Each case goes from application to home visit, assessment, plan, two
referrals (one accepted, one refused), messages and, for every other case,
registers and completion (tests/journey.py): about 20 events a case, spread
over the pilot districts' mahallas. Only for a broker of one's own: the
events are test data, and every consumer group that reads the topics from the
start will meet them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from inson_contracts.codes.geography import INSON_PILOT_DISTRICTS
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, NOTIFICATIONS, REFERRALS
from inson_runtime.kafka import EventPublisher, make_broker

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from journey import CaseJourney

TOPIC_OF = {
    "inson/intake": INTAKE_CASES.name,
    "inson/assessment": ASSESSMENT_PLANS.name,
    "inson/referral": REFERRALS.name,
    "inson/notification": NOTIFICATIONS.name,
}


def journey(i: int, mahallas: list[str], start: datetime) -> CaseJourney:
    case = CaseJourney(
        f"load-{i}", start + timedelta(hours=i % 2000), mahalla=mahallas[i % len(mahallas)]
    )
    case.applied(0).messaged(0.1).visited(20 + i % 50).assessed(22 + i % 50).approved(40 + i % 90)
    case.referred(f"load-{i}-a", 41 + i % 90, provider_type="social_service_window")
    case.referred(f"load-{i}-b", 41 + i % 90, provider_type="health_facility")
    case.accepted(f"load-{i}-a", 50 + i % 90).refused(f"load-{i}-b", 60 + i % 90)
    if i % 2:
        case.registered(70).messaged(71, failed=True).completed(150 + i % 300)
    return case


async def load(bootstrap: str, cases: int) -> None:
    mahallas = [m.code for d in INSON_PILOT_DISTRICTS for m in mahallas_of(d.code)[:5]]
    start = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)
    broker = make_broker(bootstrap, client_id="insight-load")
    await broker.connect()
    publisher = EventPublisher(broker, service="insight-load")
    began, sent = time.perf_counter(), 0
    try:
        for first in range(0, cases, 100):
            batch: dict[str, list[Envelope]] = {}
            for i in range(first, min(first + 100, cases)):
                for envelope in journey(i, mahallas, start).envelopes:
                    batch.setdefault(TOPIC_OF[envelope.source], []).append(envelope)
            await publisher.publish_all(list(batch.items()))
            sent += sum(len(e) for e in batch.values())
    finally:
        await broker.stop()
    print(f"{cases} cases, {sent} events in {time.perf_counter() - began:.1f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    asyncio.run(load(os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"), args.cases))


if __name__ == "__main__":
    main()
