"""The access audit's writer: group commit, and no answer without a durable record (unit, fakes)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from inson_contracts.events import Event, PersonalDataRead
from inson_contracts.events.values import Actor
from inson_runtime.audit import AccessAudit, AuditLog
from inson_runtime.auth import Principal, Role
from inson_runtime.auth.principal import Scope
from pymongo.errors import AutoReconnect


class FakeCommit:
    def __init__(self, stream_id: str, events: Sequence[Event]) -> None:
        self.stream_id = stream_id
        self.events = events


class FakeResult:
    def __init__(self, commit: FakeCommit) -> None:
        self.commit = self.stored = commit


class SlowStore:
    """Each append takes a while, as on FerretDB; records what it was given."""

    def __init__(self, *, fail: bool = False) -> None:
        self.appends: list[FakeCommit] = []
        self.fail = fail

    async def append(
        self, stream_id: str, expected: int, events: Sequence[Event], causation: Any, **kw: Any
    ) -> FakeResult:
        await asyncio.sleep(0.02)
        if self.fail:
            raise AutoReconnect("store down")
        assert expected == 0 and stream_id.startswith("audit-") and kw["commit_id"] == stream_id
        commit = FakeCommit(stream_id, list(events))
        self.appends.append(commit)
        return FakeResult(commit)


class Relay:
    def __init__(self) -> None:
        self.published: list[str] = []

    async def publish_stream(self, stream_id: str, appended: Any = None) -> int:
        self.published.append(stream_id)
        return 1


def _audit(log: AuditLog, sub: str) -> AccessAudit:
    principal = Principal(
        sub=sub, role=Role.SOCIAL_WORKER, scope=Scope(mahallas=["1735207001"], district="1735207")
    )
    return AccessAudit(log=log, principal=principal, purpose="case_work", operation="GET /x")


async def test_concurrent_reads_share_appends_and_each_waits_for_its_record() -> None:
    store, relay = SlowStore(), Relay()
    log = AuditLog(store, relay, service="intake")  # type: ignore[arg-type]

    await asyncio.gather(
        *(_audit(log, f"sw-{n}").record([f"case-{n}"], ["name", "_version"]) for n in range(50))
    )

    records = [r for c in store.appends for r in c.events]
    assert sorted(r.actor.id for r in records) == sorted(f"sw-{n}" for n in range(50))
    assert len(store.appends) <= 3  # one lone append, then everything that queued behind it
    first = records[0]
    assert isinstance(first, PersonalDataRead) and first.fields == ["name"]
    assert first.scope_district == "1735207" and first.purpose == "case_work"
    await log.close()
    assert sorted(relay.published) == sorted(c.stream_id for c in store.appends)


async def test_a_record_the_store_refuses_fails_the_read() -> None:
    log = AuditLog(SlowStore(fail=True), Relay(), service="intake")  # type: ignore[arg-type]
    with pytest.raises(AutoReconnect):
        await _audit(log, "sw-1").record(["case-1"], ["name"])


async def test_a_read_that_found_nobody_records_nothing() -> None:
    store = SlowStore()
    log = AuditLog(store, Relay(), service="intake")  # type: ignore[arg-type]
    await _audit(log, "sw-1").record([None, ""], ["name"])
    assert store.appends == []


def test_the_record_holds_no_personal_data_marks() -> None:
    # Ids and field names only: nothing in it needs shredding.
    assert PersonalDataRead.personal_fields() == frozenset()
    PersonalDataRead(
        access_id="a1",
        service="intake",
        actor=Actor(id="sw-1", role="social_worker"),
        purpose="case_work",
        operation="GET /v1/cases/{case_id}",
        case_ids=["c1"],
        fields=["applicant"],
        read_at=datetime.now(UTC),
    )
