"""Open caseloads per social worker, read from the case-files projection."""

from __future__ import annotations

from collections.abc import Sequence

from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase

from assessment.projections.views import CASE_FILES


class OpenCaseloads:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.case_files = db[CASE_FILES]

    async def of(self, worker_ids: Sequence[str]) -> dict[str, int]:
        """Open cases per worker. Eventually consistent: balancing needs no more."""
        loads = dict.fromkeys(worker_ids, 0)
        query = {"worker_id": {"$in": list(worker_ids)}, "open": True}
        async for doc in self.case_files.find(query, {"worker_id": 1}):
            loads[doc["worker_id"]] = loads.get(doc["worker_id"], 0) + 1
        return loads
