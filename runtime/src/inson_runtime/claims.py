"""Exclusive claims that hold with two replicas on a store without atomic updates.

Two processes of one service take work from the same store: a message to
send again, a webhook to post, a periodic job's run. On MongoDB a
``find_one_and_update`` claim is atomic. On FerretDB 1.24 on SQLite it is not:
an update is a read, then a write of the whole document by ``_id``, so two
updates that read the same document both match and both "win", and one of
two concurrent updates can be lost (``scripts/probe_claims.py``: 18 to 103 of
200 documents claimed twice by two processes with ``find_one_and_update``,
10 to 16 with a conditional ``update_one``, none with inserts).

An insert is checked by the unique ``_id`` index, which both stores enforce
atomically. So a claim here is an inserted document whose ``_id`` names what
is claimed and its attempt number (``<of>#<number>``): of two processes
claiming the same attempt, exactly one insert succeeds. A claim carries a
lease (``until``): its holder finishes it when done; a holder that died
leaves it to run out, and the next claim takes the next number, never the
same one again. Only the holder ever writes its claim document, so no
update of one can be lost to another writer.

:class:`Turns` applies the same idea to periodic jobs: one document per
(job, interval number), so of the replicas waking in one interval one runs
the job and the others skip it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from inson_runtime.mongo import Document


@dataclass(frozen=True)
class Claim:
    of: str  # what is claimed (a message, a webhook entry and its generation)
    number: int  # its attempt: one claim per attempt, ever
    until: datetime  # the lease: past it, the holder is taken for dead

    @property
    def id(self) -> str:
        return claim_id(self.of, self.number)

    def live(self, now: datetime) -> bool:
        return self.until > now


def claim_id(of: str, number: int) -> str:
    return f"{of}#{number}"


def next_number(counted: int, latest: Claim | None, now: datetime) -> int | None:
    """The attempt to claim next, or None while the latest claim's holder is at work.

    ``counted`` is the attempt the claimed document itself last recorded. A
    claim beyond it is an attempt whose holder has not written the document
    yet, or died before it could: its number is never claimed again.
    """
    if latest is None:
        return counted + 1
    if latest.live(now):
        return None
    return max(counted, latest.number) + 1


class Claims:
    """Claims of one kind of work, in their own collection."""

    def __init__(self, collection: AsyncCollection[Document]) -> None:
        self.claims = collection

    async def ensure_indexes(self) -> None:
        await self.claims.create_index([("of", ASCENDING)])

    async def latest(self, of: str) -> Claim | None:
        doc = await self.claims.find_one({"of": of}, sort=[("number", DESCENDING)])
        return _claim(doc) if doc else None

    async def next(self, of: str, counted: int, now: datetime, lease_s: float) -> Claim | None:
        """Claim the next attempt of ``of``; None if somebody holds or just took it."""
        number = next_number(counted, await self.latest(of), now)
        if number is None:
            return None
        return await self.take(of, number, now + timedelta(seconds=lease_s))

    async def claim(
        self,
        of: str,
        counted: int,
        now: datetime,
        lease_s: float,
        *,
        still: tuple[AsyncCollection[Document], Document],
    ) -> Claim | None:
        """Claim the next attempt of ``of`` if the document it works on is still due.

        ``still`` is that document's collection and the query it must still
        match once the claim is taken: whoever held the attempt before may
        have finished the work between the caller's read and the claim (a
        message sent, a webhook delivered), and nothing is done twice.
        """
        claim = await self.next(of, counted, now, lease_s)
        if claim is None:
            return None
        collection, query = still
        if await collection.find_one(query, {"_id": 1}) is None:
            await self.release(of, claim.number)
            return None
        return claim

    async def take(self, of: str, number: int, until: datetime) -> Claim | None:
        claim = Claim(of, number, until)
        try:
            await self.claims.insert_one(
                {"_id": claim.id, "of": of, "number": number, "until": until}
            )
        except DuplicateKeyError:
            return None
        return claim

    async def finish(self, of: str, number: int, now: datetime) -> None:
        """The holder is done: the next attempt may be claimed at once."""
        await self.claims.update_one({"_id": claim_id(of, number)}, {"$set": {"until": now}})

    async def release(self, of: str, number: int) -> None:
        """Give the attempt back unmade (the holder found nothing to do after all)."""
        await self.claims.delete_one({"_id": claim_id(of, number)})


def _claim(doc: Document) -> Claim:
    return Claim(str(doc["of"]), int(doc["number"]), doc["until"])


def turn_of(now: datetime, interval_s: float) -> int:
    """The interval ``now`` falls in, counted from the epoch: the same in every replica."""
    return int(now.timestamp() // interval_s)


# Turns older than this many intervals are dropped, once every as many.
_KEEP_TURNS = 100


class Turns:
    """Which replica runs a periodic job this interval: the first to insert its turn."""

    def __init__(
        self,
        collection: AsyncCollection[Document],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.turns = collection
        self.clock = clock
        # The turn at which this process last dropped a job's old turns.
        self._dropped: dict[str, int] = {}

    async def take(self, job: str, interval_s: float) -> bool:
        turn = turn_of(self.clock(), interval_s)
        try:
            await self.turns.insert_one({"_id": f"{job}@{turn}", "job": job, "turn": turn})
        except DuplicateKeyError:
            return False  # another replica runs it this interval
        if turn - self._dropped.get(job, turn - _KEEP_TURNS) >= _KEEP_TURNS:
            await self.turns.delete_many({"job": job, "turn": {"$lt": turn - _KEEP_TURNS}})
            self._dropped[job] = turn
        return True
