"""The access log: who read which case's personal data, from the platform audit topic.

Every service appends its access records to ``inson.platform.audit.v1``;
intake, which opens every case, keeps the one read model a supervisor asks
"who looked at this case". One document per access record, inserted once
(its id is the record's), never updated: the log is append-only.
"""

from __future__ import annotations

from inson_contracts.envelope import Envelope
from inson_contracts.events import PersonalDataRead
from inson_contracts.topics import AUDIT
from inson_runtime.mongo import Document
from inson_runtime.projections import Projection
from inson_runtime.viewbatch import ViewBatch
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

ACCESS_LOG = "access_log"


access_log_view = Projection(
    name="access-log", version=1, topics=(AUDIT.name,), collections=(ACCESS_LOG,)
)


@access_log_view.on(PersonalDataRead)
async def read(event: PersonalDataRead, envelope: Envelope, batch: ViewBatch) -> None:
    # Written on insert only: a redelivered record is already in the log.
    batch.upsert(
        ACCESS_LOG,
        event.access_id,
        {
            "$setOnInsert": {
                "case_ids": event.case_ids,
                "service": event.service,
                "actor": event.actor.id,
                "role": event.actor.role,
                "scope": {
                    "district": event.scope_district,
                    "mahallas": event.scope_mahallas,
                    "service_center": event.scope_service_center,
                },
                "purpose": event.purpose,
                "operation": event.operation,
                "fields": event.fields,
                "read_at": event.read_at,
            }
        },
    )


async def ensure_access_log_indexes(db: AsyncDatabase[Document]) -> None:
    await db[ACCESS_LOG].create_index([("case_ids", ASCENDING), ("read_at", DESCENDING)])
