"""Questionnaire drafts in MongoDB: one document per case in ``assessment_drafts``.

The revision rule is kept by the write itself: a first draft is an insert
(a unique ``_id``, so of two first saves one fails), a later one replaces
the document only while it still has the revision the save was based on.
"""

from __future__ import annotations

from typing import Any

from inson_runtime.mongo import Document
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from assessment.domain.drafts import SavedDraft

DRAFTS = "assessment_drafts"


class DraftStore:
    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.drafts = db[DRAFTS]

    async def latest(self, case_id: str) -> SavedDraft | None:
        doc = await self.drafts.find_one({"_id": case_id})
        if doc is None:
            return None
        return SavedDraft(
            draft=doc.get("draft"),
            saved_by=doc.get("saved_by"),
            saved_at=doc.get("saved_at"),
            # Drafts saved before revisions existed count as revision 1.
            revision=int(doc.get("revision", 1)),
        )

    async def save(self, case_id: str, saved: SavedDraft) -> bool:
        fields: dict[str, Any] = {
            "draft": saved.draft,
            "saved_by": saved.saved_by,
            "saved_at": saved.saved_at,
            "revision": saved.revision,
        }
        base = saved.revision - 1
        if base == 0:
            try:
                await self.drafts.insert_one({"_id": case_id, **fields})
            except DuplicateKeyError:
                return False
            return True
        # A draft without a revision field is revision 1 (see ``latest``).
        stored = {"$in": [1, None]} if base == 1 else base
        result = await self.drafts.replace_one({"_id": case_id, "revision": stored}, fields)
        return result.matched_count == 1

    async def discard(self, case_id: str) -> None:
        await self.drafts.delete_one({"_id": case_id})
