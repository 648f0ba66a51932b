"""The delivery log on the real FerretDB: an erasure that meets the notifier writing the
same entry never leaves the address behind. FerretDB on SQLite can lose one of two
concurrent updates of a document, so the address lives in a document of its own that is
only inserted and deleted; this is the case that brought a blanked phone back. And two
replicas' retry jobs never claim one attempt both (claims are inserts, not updates)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from inson_contracts.codes.names import Language
from inson_contracts.events.notification import MessageChannel, RecipientKind
from inson_runtime.mongo import Document, connect
from notification.adapters.deliveries import ADDRESSES, DELIVERIES, MongoDeliveryLog
from notification.domain.deliveries import Delivery, Outcome, Status
from notification.domain.templates import Template
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.asynchronous.mongo_client import AsyncMongoClient

from .conftest import fresh_phone

pytestmark = pytest.mark.integration


@pytest.fixture
def db(mongo_client: AsyncMongoClient[Document], scratch_db: str) -> AsyncDatabase[Document]:
    """A database of its own (the root conftest drops it afterwards)."""
    return mongo_client[scratch_db]


def delivery(case_id: str, phone: str) -> Delivery:
    return Delivery(
        id=str(uuid.uuid4()),
        cause_event_id=str(uuid.uuid4()),
        cause_type="uz.inson.intake.application.submitted.v1",
        case_id=case_id,
        correlation_id=None,
        region="1710",
        district="1710224",
        kind=RecipientKind.CITIZEN,
        recipient_ref=case_id,
        channel=MessageChannel.SMS,
        address=phone,
        language=Language.UZ_CYRL,
        template=Template.APPLICATION_RECEIVED,
        params={"case_ref": case_id[:8].upper()},
    )


async def test_an_erasure_meeting_a_settle_leaves_no_address(
    db: AsyncDatabase[Document],
) -> None:
    log = MongoDeliveryLog(db)
    await log.ensure_indexes()
    phones = []
    for _ in range(40):
        case_id, phone = str(uuid.uuid4()), fresh_phone()
        phones.append(phone)
        entry = delivery(case_id, phone)
        now = datetime.now(UTC)
        assert await log.insert(entry, now, 60)
        sent = Outcome(1, now, sent=True, final=True, provider_message_id="p-1")
        await asyncio.gather(
            log.erase_case(case_id, now),
            log.settle(entry, Status.SENT, sent, None),
            log.mark_recorded(entry.id, 1),
        )
        logged = await log.get(entry.id)
        assert logged is not None and logged.delivery.address == ""

    assert await db[ADDRESSES].count_documents({}) == 0
    stored = " ".join([str(doc) async for doc in db[DELIVERIES].find({})])
    assert not any(phone in stored for phone in phones)
    assert await db[DELIVERIES].count_documents({}) == 40  # the log itself stays


async def test_two_replicas_retrying_claim_each_attempt_once(
    db: AsyncDatabase[Document], mongodb_url: str
) -> None:
    """The retry jobs of two replicas (two connection pools) race for the same due
    entries, three tasks each: every attempt is claimed by one of them, once."""
    log = MongoDeliveryLog(db)
    await log.ensure_indexes()
    other_client = connect(mongodb_url)
    replicas = [log, MongoDeliveryLog(other_client[db.name])]
    entries = [delivery(str(uuid.uuid4()), fresh_phone()) for _ in range(30)]
    now = datetime.now(UTC)
    for entry in entries:
        assert await log.insert(entry, now, 60)
        failed = Outcome(1, now, sent=False, final=False, reason="gateway 503")
        assert await log.settle(entry, Status.RETRYING, failed, now)

    async def retry_job(replica: MongoDeliveryLog, claimed: list[Delivery]) -> None:
        while (taken := await replica.claim_due(datetime.now(UTC), 60)) is not None:
            claimed.append(taken)

    try:
        for attempt in (2, 3):
            claimed: list[Delivery] = []
            await asyncio.gather(*(retry_job(r, claimed) for r in replicas for _ in range(3)))
            assert sorted(d.id for d in claimed) == sorted(e.id for e in entries)
            assert {d.attempts for d in claimed} == {attempt}
            assert all(d.address for d in claimed)
            again = datetime.now(UTC)
            for taken in claimed:
                failed = Outcome(attempt, again, sent=False, final=False, reason="gateway 503")
                assert await log.settle(taken, Status.RETRYING, failed, again)
    finally:
        await other_client.close()


async def test_a_crash_between_the_two_writes_loses_no_message(
    db: AsyncDatabase[Document],
) -> None:
    """The process dies between the address's write and the entry's: the event is
    read again and its message is written whole, as the handler does it (the fault
    campaign lost two messages here when the entry went first: the redelivery took
    it for planned, and the retry found no address)."""
    log = MongoDeliveryLog(db)
    await log.ensure_indexes()
    case_id, phone = str(uuid.uuid4()), fresh_phone()
    entry = delivery(case_id, phone)
    writes = 0

    def dying_after_one_write(collection: Any) -> None:
        insert_one = collection.insert_one

        async def insert(doc: Document) -> Any:
            nonlocal writes
            writes += 1
            if writes == 2:
                raise ConnectionResetError("the process died here")
            return await insert_one(doc)

        collection.insert_one = insert

    crashing = MongoDeliveryLog(db)
    dying_after_one_write(crashing.addresses)
    dying_after_one_write(crashing.deliveries)
    with pytest.raises(ConnectionResetError):
        await crashing.insert(entry, datetime.now(UTC), 60)

    # The redelivered event, handled as Notifier._handle does.
    if not await log.planned(entry.cause_event_id, entry.kind):
        assert await log.insert(entry, datetime.now(UTC), 60)

    logged = await log.get(entry.id)
    assert logged is not None and logged.delivery.address == phone
    assert logged.delivery.params == entry.params


async def test_a_redelivery_does_not_bring_back_an_erased_address(
    db: AsyncDatabase[Document],
) -> None:
    log = MongoDeliveryLog(db)
    await log.ensure_indexes()
    case_id, phone = str(uuid.uuid4()), fresh_phone()
    entry = delivery(case_id, phone)
    now = datetime.now(UTC)
    assert await log.insert(entry, now, 60)
    await log.erase_case(case_id, now)

    assert not await log.insert(entry, now, 60)  # read again after the erasure

    assert await db[ADDRESSES].count_documents({}) == 0
    logged = await log.get(entry.id)
    assert logged is not None and logged.delivery.address == ""
