"""What events said of a case's purpose, on the real FerretDB: facts learned at once by
two replicas (a case's events come from three streams, so from several partitions) are
all kept, and what an older release kept per case is still read."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from inson_runtime.mongo import connect
from notification.adapters.partner_cases import PARTNER_CASES, MongoPartnerCases
from notification.domain.purposes import Said

pytestmark = pytest.mark.integration

CIRCUMSTANCES = [f"circumstance_{n}" for n in range(6)]
SERVICES = [f"service_{n}" for n in range(6)]


async def test_facts_learned_at_once_by_two_replicas_are_all_kept(mongodb_url: str) -> None:
    name = f"test_partner_cases_{uuid.uuid4().hex[:8]}"
    clients = [connect(mongodb_url), connect(mongodb_url)]
    try:
        stores = [MongoPartnerCases(client[name]) for client in clients]
        await stores[0].ensure_indexes()
        for _ in range(10):
            case_id = str(uuid.uuid4())
            said = [Said(case_id, circumstances=frozenset({c})) for c in CIRCUMSTANCES] + [
                Said(case_id, services=frozenset({s})) for s in SERVICES
            ]
            # Each fact learned by both replicas, all of them at the same moment.
            await asyncio.gather(*(store.learn(one) for one in said for store in stores))

            known = await stores[1].known(Said(case_id))
            assert known.circumstances == frozenset(CIRCUMSTANCES)
            assert known.services == frozenset(SERVICES)
    finally:
        await clients[0].drop_database(name)
        for client in clients:
            await client.close()


async def test_what_an_older_release_kept_per_case_is_still_read(mongodb_url: str) -> None:
    name = f"test_partner_cases_{uuid.uuid4().hex[:8]}"
    client = connect(mongodb_url)
    try:
        db = client[name]
        cases = MongoPartnerCases(db)
        case_id = str(uuid.uuid4())
        await db[PARTNER_CASES].insert_one(
            {"_id": case_id, "circumstances": ["lonely_elderly"], "services": ["home_care"]}
        )
        await cases.learn(Said(case_id, services=frozenset({"disability_allowance"})))
        await cases.learn(Said(case_id, services=frozenset({"disability_allowance"})))
        referral = str(uuid.uuid4())
        await cases.learn(Said(case_id, services=frozenset({"home_care"}), referral_id=referral))
        await cases.learn(Said(case_id, services=frozenset({"home_care"}), referral_id=referral))

        known = await cases.known(Said(case_id, referral_id=referral))
        assert known.circumstances == frozenset({"lonely_elderly"})
        assert known.services == frozenset({"home_care", "disability_allowance"})
        assert known.referral_service == "home_care"
    finally:
        await client.drop_database(name)
        await client.close()
