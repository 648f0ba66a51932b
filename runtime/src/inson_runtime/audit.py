"""The access audit: every read of a person's data through an API is an event.

A route that returns personal data takes :data:`Audit` and, before it
returns, calls ``await audit.record(case_ids, fields)``. The record
(``uz.inson.platform.personal_data.read.v1``: who, role, scope, purpose,
operation, which cases, which fields, when) is appended to the service's own
event store and reaches ``inson.platform.audit.v1`` through the outbox.

The guarantee: **no answer with personal data leaves before its access record
is durable in the store.** If the store cannot take it, the request fails
(503 by the runtime's error handlers) and nothing is returned. Kafka is not
waited for: the commit is published in the background and, failing that, by
the outbox sweep, so a crash after the answer loses no record.

The cost is kept off the hot path by group commit: records of concurrent
requests queue while one append is in flight and the next append takes them
all in one commit (one stream ``audit-<uuid>`` per batch; access records need
no order among themselves). A lone read costs one append.

The purpose comes from the ``X-Purpose`` header (a word such as
``case_work``, ``supervision``, ``audit_review``, ``complaint``), defaulted
per route when absent, so existing clients keep working and a reviewer still
sees why each read happened.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import structlog
from fastapi import Depends, Header, Request
from inson_contracts.events import PersonalDataRead
from inson_contracts.events.values import Actor

from inson_runtime.auth import CurrentPrincipal, Principal
from inson_runtime.eventstore import Causation, EventStore
from inson_runtime.observability.logging import current_correlation_id
from inson_runtime.outbox import OutboxRelay

log = structlog.get_logger(__name__)

PURPOSE_HEADER = "X-Purpose"
PURPOSE_PATTERN = r"^[a-z][a-z_]{1,39}$"
AUDIT_STREAM_PREFIX = "audit-"
MAX_BATCH = 200
MAX_CASES_PER_RECORD = 1000


class AuditLog:
    """One per process: writes access records to the event store, batched."""

    def __init__(self, store: EventStore, relay: OutboxRelay, *, service: str) -> None:
        self.store = store
        self.relay = relay
        self.service = service
        self._queue: list[tuple[PersonalDataRead, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None
        self._background: set[asyncio.Task[Any]] = set()

    async def write(self, record: PersonalDataRead) -> None:
        """Return once ``record`` is durable in the store; raise if it could not be."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((record, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain(), name="audit-writer")
        await done

    async def _drain(self) -> None:
        # Let the requests that are ready right now join the first batch.
        await asyncio.sleep(0)
        while self._queue:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
            stream = f"{AUDIT_STREAM_PREFIX}{uuid.uuid4().hex}"
            try:
                result = await self.store.append(
                    stream,
                    0,
                    [record for record, _ in batch],
                    Causation(
                        source=f"inson/{self.service}", correlation_id=current_correlation_id()
                    ),
                    commit_id=stream,
                )
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for _, done in batch:
                if not done.done():
                    done.set_result(None)
            # The stored form is what goes on the wire (sealed, were any field personal).
            self._spawn(self.relay.publish_stream(stream, result.stored))

    def _spawn(self, job: Coroutine[Any, Any, Any]) -> None:
        async def run() -> None:
            try:
                await job
            except Exception as exc:
                # Durable already: the outbox sweep publishes it later.
                log.warning("audit publish failed; the sweep will retry", error=str(exc))

        task = asyncio.create_task(run())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def close(self) -> None:
        """Finish the batch being written; publishes left over go to the next sweep."""
        if self._writer is not None:
            with contextlib.suppress(Exception):
                await self._writer
        for task in list(self._background):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


@dataclass(frozen=True)
class AccessAudit:
    """One request's access record writer (the :data:`Audit` dependency)."""

    log: AuditLog
    principal: Principal
    purpose: str
    operation: str

    async def record(self, case_ids: Iterable[str | None], fields: Iterable[str]) -> None:
        """Record that ``fields`` of these cases are about to be returned.

        Call it after the data is read and before it is returned. Reads that
        found nobody's data record nothing.
        """
        ids = list(dict.fromkeys(i for i in case_ids if i))
        names = sorted({f for f in fields if not f.startswith("_")})
        if not ids:
            return
        scope = self.principal.scope
        for start in range(0, len(ids), MAX_CASES_PER_RECORD):
            await self.log.write(
                PersonalDataRead(
                    access_id=str(uuid.uuid4()),
                    service=self.log.service,
                    actor=Actor(id=self.principal.sub, role=self.principal.role.value),
                    scope_district=scope.district,
                    scope_mahallas=list(scope.mahallas),
                    scope_service_center=scope.service_center,
                    scope_providers=list(scope.providers),
                    purpose=self.purpose,
                    operation=self.operation,
                    case_ids=ids[start : start + MAX_CASES_PER_RECORD],
                    fields=names or ["(none)"],
                    read_at=datetime.now(UTC),
                )
            )


# Module level: FastAPI resolves a dependency's annotations from its module.
PurposeHeader = Annotated[
    str | None,
    Header(
        alias=PURPOSE_HEADER,
        pattern=PURPOSE_PATTERN,
        description=(
            "Why the data is read (a word: case_work, supervision, audit_review, complaint, "
            "...). Recorded in the access audit; each route has a default."
        ),
    ),
]


def audited(default_purpose: str) -> Callable[..., Coroutine[Any, Any, AccessAudit]]:
    """A dependency giving the route its :class:`AccessAudit`, with a default purpose."""

    async def dependency(
        request: Request, principal: CurrentPrincipal, purpose: PurposeHeader = None
    ) -> AccessAudit:
        runtime = request.app.state.runtime
        route = request.scope.get("route")
        template = getattr(route, "path", None) or request.url.path
        return AccessAudit(
            log=runtime.audit,
            principal=principal,
            purpose=purpose or default_purpose,
            operation=f"{request.method} {template}"[:200],
        )

    return dependency


# Most reads of a case are case work; the access log's own readers review.
Audit = Annotated[AccessAudit, Depends(audited("case_work"))]
AuditReview = Annotated[AccessAudit, Depends(audited("audit_review"))]


def fields_of(docs: Iterable[dict[str, Any]]) -> set[str]:
    """The top-level fields these answers carry (what the audit names as read)."""
    return {key for doc in docs for key in doc}
