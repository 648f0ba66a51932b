"""Run concurrent submissions one step at a time, in every order the steps can take.

A *step* is one call that reads or writes what two submissions share: a
reservation read or insert, a stream load or append, and a wait for another
submission. Marking a reservation settled is not a step: it follows the
append of its case, so whoever reads the reservation before it is settled
finds its case in the store (or not yet) just the same; only a store that
loses the case later can tell the two apart, and a lost key is set up
settled before a run. Each submission runs in a task
that parks before every step; the :class:`Scheduler` lets exactly one parked
task take its step at a time, picking it by a list of choices, so a run is a
deterministic interleaving. :func:`every_interleaving` runs the scenario
once per possible list of choices (depth first), which covers every order of
the steps, retries and waits included.

A task that waits for another (``pause``) is not picked again before some
other task has taken a step: waiting again without anything happening
in between is the same state, and would make the tree infinite.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from inson_contracts.envelope import Envelope
from inson_contracts.events import Event
from inson_runtime.eventstore import AppendResult, Causation
from inson_runtime.testing import InMemoryJournal
from intake.domain.identity import Reservation

from .fakes import InMemoryPersonIndex

_task: contextvars.ContextVar[str | None] = contextvars.ContextVar("interleaved", default=None)
# Loop turns a task may take between two steps before the run counts as hung.
_SPIN = 1000


class Scheduler:
    def __init__(
        self, choices: Sequence[int] = (), pick: Callable[[int], int] | None = None
    ) -> None:
        # Beyond ``choices``: ``pick(options)`` if given (a random schedule), else the first.
        self.choices = list(choices)
        self.pick = pick
        # (choice made, options there) at every point where a task was picked.
        self.taken: list[tuple[int, int]] = []
        self.parked: dict[str, asyncio.Future[None]] = {}
        self.waiting: set[str] = set()
        self.trace: list[tuple[str, str]] = []

    async def step(self, what: str) -> None:
        name = _task.get()
        if name is None:  # outside the scenario (setting it up)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.parked[name] = future
        await future
        self.trace.append((name, what))

    async def pause(self, attempt: int) -> None:
        name = _task.get()
        if name is not None:
            self.waiting.add(name)
        await self.step("wait")

    async def run(self, scenario: dict[str, Callable[[], Awaitable[Any]]]) -> dict[str, Any]:
        tasks: dict[str, asyncio.Task[Any]] = {}
        for name, start in scenario.items():
            context = contextvars.copy_context()
            context.run(_task.set, name)
            tasks[name] = asyncio.get_running_loop().create_task(start(), context=context)
        while True:
            await self._settle(tasks)
            if not self.parked:
                break
            ready = sorted(n for n in self.parked if n not in self.waiting) or sorted(self.parked)
            i = len(self.taken)
            if i < len(self.choices):
                choice = self.choices[i]
            else:
                choice = self.pick(len(ready)) if self.pick else 0
            self.taken.append((choice, len(ready)))
            name = ready[choice]
            # Whoever waited may find something new once another task stepped.
            self.waiting = set() if name not in self.waiting else self.waiting - {name}
            self.parked.pop(name).set_result(None)
        return {name: task.result() for name, task in tasks.items()}

    async def _settle(self, tasks: dict[str, asyncio.Task[Any]]) -> None:
        """Let every task run until it parks before its next step or ends."""
        for _ in range(_SPIN):
            if all(task.done() or name in self.parked for name, task in tasks.items()):
                return
            await asyncio.sleep(0)
        raise AssertionError(f"a submission neither stepped nor ended: {self.trace}")


async def every_interleaving(
    run_once: Callable[[Scheduler], Awaitable[None]], *, limit: int = 20_000
) -> int:
    """Run ``run_once`` under every list of choices; how many runs there were."""
    choices: list[int] = []
    runs = 0
    while True:
        scheduler = Scheduler(choices)
        await run_once(scheduler)
        runs += 1
        assert runs <= limit, "more interleavings than expected: is a wait spinning?"
        taken = scheduler.taken
        i = len(taken) - 1
        while i >= 0 and taken[i][0] + 1 >= taken[i][1]:
            i -= 1
        if i < 0:
            return runs
        choices = [choice for choice, _ in taken[:i]] + [taken[i][0] + 1]


class SteppedPersonIndex(InMemoryPersonIndex):
    """The in-memory person index, with a step before every reservation read and insert."""

    def __init__(self, scheduler: Scheduler) -> None:
        super().__init__()
        self.scheduler = scheduler

    async def reservations(self, keys: Sequence[str], /) -> dict[str, Reservation]:
        await self.scheduler.step("read keys")
        return await super().reservations(keys)

    async def reserve(self, reservation: Reservation, /) -> Reservation:
        await self.scheduler.step(f"reserve {reservation.key.partition(':')[0]}")
        return await super().reserve(reservation)


class SteppedJournal(InMemoryJournal):
    """The in-memory journal, with a step before every stream load and append."""

    def __init__(self, scheduler: Scheduler) -> None:
        super().__init__()
        self.scheduler = scheduler

    async def load(self, stream_id: str, *, after_version: int = 0) -> list[Envelope]:
        await self.scheduler.step("load")
        return await super().load(stream_id, after_version=after_version)

    async def record(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        await self.scheduler.step("append")
        return await super().record(
            stream_id, expected_version, events, causation, commit_id=commit_id
        )
