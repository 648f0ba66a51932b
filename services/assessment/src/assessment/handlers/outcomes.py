"""Reading the loop back: what needs the worker's attention, and every referral of a case.

The provider's free text (a rejection reason, a completion note) is personal
data: kept sealed, it is opened here, for the case's social worker and the
district's supervisor only (a colleague covering the mahalla and an admin
see the code and dates, not the text), and the API records every answer
that carries it in the access audit.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

import structlog
from inson_contracts.personal import SEALED
from inson_runtime.apikit import Page
from inson_runtime.auth import Principal, Role
from pydantic import BaseModel, Field

from assessment.domain.referral_states import Attention, SealedNote
from assessment.handlers.case_files import CaseFiles, case_file_for
from assessment.handlers.ports import PersonalData
from assessment.projections.referral_queries import AttentionRow
from assessment.projections.referral_records import ItemReferral, ReferralRecord

log = structlog.get_logger(__name__)

READABLE_TO = "the case's social worker and the district's supervisor"


class AttentionItem(BaseModel):
    """A plan item whose current referral was refused, expired, or is overdue."""

    case_id: str
    worker_id: str | None = None
    district: str | None = None
    mahalla: str | None = None
    item_id: str
    service_code: str
    provider_type: str
    priority: str
    due_by: date | None = None
    needs: list[str] | None = None
    attention: Attention
    since: datetime = Field(description="When it was refused or expired, or fell overdue")
    referral: ItemReferral
    reason: str | None = Field(
        default=None,
        description=f"The provider's reason for refusing, for {READABLE_TO}; absent for "
        "others and once the person's data was erased",
    )


class CaseReferral(BaseModel):
    """One referral of a case's plan item, superseded ones included."""

    item_id: str
    service_code: str | None = None
    referral: ItemReferral
    reason: str | None = Field(
        default=None, description=f"Why the provider refused it, for {READABLE_TO}"
    )
    outcome: str | None = Field(
        default=None, description=f"The provider's completion note, for {READABLE_TO}"
    )


class OutcomeReads(Protocol):
    async def attention(
        self, principal: Principal, page: int, page_size: int
    ) -> Page[AttentionRow]: ...

    async def of_case(self, case_id: str) -> Sequence[ReferralRecord]: ...


def may_read_text(caller: Principal, worker_id: str | None, district: str | None) -> bool:
    """The case's own social worker, or the supervisor of its district."""
    if caller.role is Role.SOCIAL_WORKER:
        return worker_id is not None and caller.sub == worker_id
    return (
        caller.role is Role.SUPERVISOR
        and district is not None
        and (caller.scope.district == district)
    )


class Outcomes:
    def __init__(self, files: CaseFiles, reads: OutcomeReads, personal: PersonalData) -> None:
        self.files = files
        self.reads = reads
        self.personal = personal

    async def attention(self, caller: Principal, page: int, page_size: int) -> Page[AttentionItem]:
        """For a social worker their cases' items, for a supervisor the district's."""
        rows = await self.reads.attention(caller, page, page_size)
        items = [await self._attention_item(caller, row) for row in rows.items]
        return Page(items=items, page=rows.page, page_size=rows.page_size, total=rows.total)

    async def of_case(self, caller: Principal, case_id: str) -> list[CaseReferral]:
        """Every referral of the case's plan items, with their text for those who may read it."""
        file = await case_file_for(self.files, caller, case_id)
        readable = may_read_text(caller, file.worker_id, file.district)
        found = []
        for record in await self.reads.of_case(case_id):
            text: dict[str, str] = {}
            if readable:
                text = {
                    k: v
                    for k, v in (
                        ("reason", await self._open(record.rejection_reason, "reason")),
                        ("outcome", await self._open(record.outcome, "outcome")),
                    )
                    if v is not None
                }
            found.append(
                CaseReferral(
                    item_id=record.item_id or "",
                    service_code=record.service_code,
                    referral=record.state,
                    **text,
                )
            )
        return found

    async def _attention_item(self, caller: Principal, row: AttentionRow) -> AttentionItem:
        item = row.item
        fields = {
            "case_id": row.case_id,
            "worker_id": row.worker_id,
            "district": row.district,
            "mahalla": row.mahalla,
            "item_id": item.item_id,
            "service_code": item.service_code,
            "provider_type": item.provider_type,
            "priority": item.priority,
            "due_by": item.due_by,
            "needs": item.needs,
            "attention": row.attention,
            "since": row.since,
            "referral": row.record.state,
        }
        if may_read_text(caller, row.worker_id, row.district):
            reason = await self._open(row.record.rejection_reason, "reason")
            if reason is not None:
                fields["reason"] = reason
        return AttentionItem.model_validate(fields)

    async def _open(self, note: SealedNote | None, field: str) -> str | None:
        if note is None or note.sealed is None:
            return None
        try:
            opened = await self.personal.open(note.event_type, {SEALED: note.sealed})
        except ValueError:
            # Tampered or moved ciphertext: never shown, and said so.
            log.warning("a sealed referral note does not open", event_type=note.event_type)
            return None
        text = opened.get(field)
        return text if isinstance(text, str) else None
