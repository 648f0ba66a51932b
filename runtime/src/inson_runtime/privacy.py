"""Crypto-shredding: personal fields sealed with a key per person, erased by destroying it.

Events are immutable and copied to Kafka, partners and projections, so a
deleted row is not an erasure. Instead every field marked ``personal(...)`` in
``contracts/`` is encrypted, when the event is appended, with a data key that
belongs to the person (their case); erasing the person destroys that key and
every copy of the ciphertext becomes unreadable at once.

- :class:`KeyWrapper` is the KMS-shaped seam: ``wrap``/``unwrap`` a data key.
  :class:`LocalKek` does it with a key-encryption key from the environment
  (``INSON_KEK``), with a development default that must never reach
  production; a cloud KMS adapter implements the same two methods.
- :class:`KeyStore` keeps the wrapped data keys in a MongoDB database of its
  own (``inson_keys``), shared by every service, and caches unwrapped keys for
  a few seconds only, so an erasure takes effect in every process quickly.
- :class:`Sealer` turns an event's data into the wire form (personal fields
  removed, carried encrypted in ``sealed``; see ``inson_contracts.personal``)
  and back. When the key is gone the data opens with the personal fields
  absent and ``sealed.erased`` set: readers blank them, nothing dead-letters.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

import structlog
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, EventRegistry
from inson_contracts.personal import SEALED, SealedPersonalData, merge_personal, split_personal
from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from inson_runtime.mongo import Document

log = structlog.get_logger(__name__)

KEYS_DATABASE = "inson_keys"
KEYS_COLLECTION = "data_keys"
ALGORITHM = "A256GCM"
_NONCE_BYTES = 12

# DEVELOPMENT ONLY. A fixed, public key-encryption key so a fresh checkout runs
# without setup. Anyone holding the key store can unwrap its keys with it:
# production sets INSON_KEK (or uses a KMS adapter) and refuses this one.
DEV_KEK_B64 = "aW5zb24tZGV2ZWxvcG1lbnQta2V5LU5PVC1zZWNyZXQ="


_warned_dev_kek = False


class ErasedError(Exception):
    """The person's key was destroyed: nothing more may be encrypted for them."""


class SealError(ValueError):
    """Sealed data that does not open with the person's key: corrupt or forged."""


class KeyWrapper(Protocol):
    """What a key-management service does for us: wrap and unwrap data keys.

    ``context`` (the key id) is bound into the wrapping, so a wrapped key
    copied onto another person's record does not unwrap.
    """

    kek_id: str

    async def wrap(self, key: bytes, *, context: str) -> bytes: ...

    async def unwrap(self, wrapped: bytes, *, context: str) -> bytes: ...


class LocalKek:
    """Wraps data keys with AES-256-GCM under a key-encryption key held in memory."""

    def __init__(self, kek: bytes, *, kek_id: str = "local") -> None:
        if len(kek) != 32:
            raise ValueError("the key-encryption key must be 32 bytes (base64 of 32 bytes)")
        self._aead = AESGCM(kek)
        self.kek_id = kek_id

    @classmethod
    def from_env(cls, value: str | None = None) -> LocalKek:
        """The KEK from ``INSON_KEK`` (base64, 32 bytes); the development key without it."""
        text = value if value is not None else os.environ.get("INSON_KEK")
        if not text:
            global _warned_dev_kek
            if not _warned_dev_kek:
                log.warning("INSON_KEK is not set: using the DEVELOPMENT key-encryption key")
                _warned_dev_kek = True
            return cls(base64.b64decode(DEV_KEK_B64), kek_id="dev")
        try:
            kek = base64.b64decode(text, validate=True)
        except ValueError as exc:
            raise ValueError("INSON_KEK is not base64") from exc
        return cls(kek, kek_id="env")

    async def wrap(self, key: bytes, *, context: str) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, key, context.encode())

    async def unwrap(self, wrapped: bytes, *, context: str) -> bytes:
        try:
            return self._aead.decrypt(
                wrapped[:_NONCE_BYTES], wrapped[_NONCE_BYTES:], context.encode()
            )
        except InvalidTag as exc:
            raise SealError(f"data key {context!r} does not unwrap with this KEK") from exc


@dataclass
class _Cached:
    key: bytes | None  # None: erased, and erasure is forever
    until: float


class KeyStore:
    """Data keys per person in ``inson_keys.data_keys``: ``_id`` is the key id.

    An erased person keeps a tombstone (no key, ``erased_at``), so a late
    event about them cannot create a fresh key and start storing again.
    """

    def __init__(
        self,
        collection: AsyncCollection[Document],
        wrapper: KeyWrapper,
        *,
        ttl_s: float = 5.0,
        clock: Any = time.monotonic,
    ) -> None:
        self.keys = collection
        self.wrapper = wrapper
        self.ttl_s = ttl_s
        self._clock = clock
        self._cache: dict[str, _Cached] = {}
        # Keys asked for and not yet read: read together (see _document).
        self._asked: dict[str, asyncio.Future[Document | None]] = {}
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    def connect(
        cls,
        client: AsyncMongoClient[Document],
        wrapper: KeyWrapper,
        *,
        database: str = KEYS_DATABASE,
        ttl_s: float = 5.0,
    ) -> KeyStore:
        return cls(client[database][KEYS_COLLECTION], wrapper, ttl_s=ttl_s)

    def _cached(self, kid: str) -> _Cached | None:
        hit = self._cache.get(kid)
        if hit is None:
            return None
        if hit.key is not None and hit.until < self._clock():
            del self._cache[kid]
            return None
        return hit

    def _remember(self, kid: str, key: bytes | None) -> bytes | None:
        # Bounded: a burst of many people must not grow the cache for ever.
        if len(self._cache) > 50_000:
            self._cache.clear()
        self._cache[kid] = _Cached(key, self._clock() + self.ttl_s)
        return key

    async def _from_document(self, kid: str, doc: Document | None) -> bytes | None:
        if doc is None or doc.get("erased_at") is not None or "wrapped" not in doc:
            return None
        return await self.wrapper.unwrap(bytes(doc["wrapped"]), context=kid)

    async def key_for_reading(self, kid: str) -> bytes | None:
        """The person's key, or None when they were erased (or never had one)."""
        hit = self._cached(kid)
        if hit is not None:
            return hit.key
        doc = await self._document(kid)
        key = await self._from_document(kid, doc)
        if doc is None:
            return None  # not cached: the key may be created a moment later
        return self._remember(kid, key)

    async def _document(self, kid: str) -> Document | None:
        """The key's document. The keys asked for in one turn of the event loop (the
        lanes of a consumer's batch open their records together) are read in one find."""
        loop = asyncio.get_running_loop()
        if self._reader is not None and self._reader.get_loop() is not loop:
            # Left by an event loop that has ended (asyncio.run more than once).
            self._asked, self._reader = {}, None
        asked = self._asked.get(kid)
        if asked is None:
            asked = self._asked[kid] = loop.create_future()
            if self._reader is None:
                self._reader = asyncio.create_task(self._read_asked())
        # Shielded: a reader that is cancelled must not cancel the others' answer.
        return await asyncio.shield(asked)

    async def _read_asked(self) -> None:
        try:
            await asyncio.sleep(0)  # the other lanes of this turn ask first
            while self._asked:
                asked, self._asked = self._asked, {}
                try:
                    cursor = self.keys.find({"_id": {"$in": list(asked)}})
                    found = {doc["_id"]: doc async for doc in cursor}
                except Exception as exc:
                    for answer in asked.values():
                        answer.set_exception(exc)
                else:
                    for kid, answer in asked.items():
                        answer.set_result(found.get(kid))
        finally:
            self._reader = None

    async def key_for_writing(self, kid: str) -> bytes:
        """The person's key, created on first use; :class:`ErasedError` after erasure."""
        hit = self._cached(kid)
        if hit is None:
            key = self._remember(
                kid, await self._from_document(kid, await self._get_or_create(kid))
            )
        else:
            key = hit.key
        if key is None:
            raise ErasedError(f"the key {kid!r} was destroyed by an erasure")
        return key

    async def _get_or_create(self, kid: str) -> Document:
        # One round trip whether the key exists or not: an upsert that only
        # inserts. A fresh key is generated and wrapped each time (microseconds)
        # and dropped when one exists, or an erasure left its tombstone.
        key = AESGCM.generate_key(bit_length=256)
        fresh: Document = {
            "wrapped": await self.wrapper.wrap(key, context=kid),
            "kek": self.wrapper.kek_id,
            "alg": ALGORITHM,
            "created_at": datetime.now(UTC),
        }
        for _ in range(2):
            try:
                doc = await self.keys.find_one_and_update(
                    {"_id": kid},
                    {"$setOnInsert": fresh},
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                )
            except DuplicateKeyError:
                continue  # two first writers raced for the insert: read the winner's
            if doc is not None:
                return doc
        found = await self.keys.find_one({"_id": kid})
        if found is None:
            # Written twice above and gone now: only a concurrent deletion of
            # the key store does that; nothing may be sealed without a key.
            raise RuntimeError(f"data key {kid} could not be created or read")
        return found

    async def erase(self, kid: str, *, reason: str, erased_by: str) -> bool:
        """Destroy the key (keeping a tombstone); True if this call destroyed it.

        The reason and who asked stay with the tombstone, as the record of the
        erasure; neither is personal data of the erased person.
        """
        self._cache[kid] = _Cached(None, 0)
        if await self.erased(kid):
            return False
        update = {
            "$unset": {"wrapped": ""},
            "$set": {
                "erased_at": datetime.now(UTC),
                "erasure_reason": reason,
                "erased_by": erased_by,
            },
        }
        try:
            # Upsert: a person without a key yet still gets the tombstone.
            await self.keys.update_one({"_id": kid}, update, upsert=True)
        except DuplicateKeyError:
            # The key was created this very instant: destroy it now that it exists.
            await self.keys.update_one({"_id": kid}, update)
        return True

    async def erased(self, kid: str) -> bool:
        doc = await self.keys.find_one({"_id": kid}, projection={"erased_at": 1})
        return doc is not None and doc.get("erased_at") is not None


def person_of(data: dict[str, Any], subject: str) -> str:
    """The key id of the person an event's personal fields belong to.

    One case is one person or family (intake keeps one case per person), and
    every event about a case names it: ``case_id`` in its data, or the stream
    ``case-<id>`` for intake's application events, which have no such field.
    Anything else (a notification without a case) is keyed by its stream.
    """
    case_id = data.get("case_id")
    if isinstance(case_id, str) and case_id:
        return case_id
    if subject.startswith("case-"):
        return subject.removeprefix("case-")
    return subject


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def _aad(event_type: str, kid: str) -> bytes:
    # Binds the ciphertext to its type and person: it cannot be moved into
    # another event or under another person's key id and still open.
    return f"inson-sealed-v1|{event_type}|{kid}".encode()


class Sealer:
    """Seals data at append, opens it for readers; one per process, sharing the key store."""

    def __init__(self, keys: KeyStore, registry: EventRegistry = REGISTRY) -> None:
        self.keys = keys
        self.registry = registry

    async def seal(self, event_type: str, data: dict[str, Any], subject: str) -> dict[str, Any]:
        cls = self.registry.class_for(event_type)
        public, values = split_personal(cls, data)
        if not values:
            return data
        kid = person_of(data, subject)
        sealed = SealedPersonalData(kid=kid, paths=sorted(values))
        try:
            key = await self.keys.key_for_writing(kid)
        except ErasedError:
            # Written after the erasure: the personal fields are dropped, never stored.
            log.info("personal fields dropped: the person was erased", event_type=event_type)
            return {**public, SEALED: sealed.model_copy(update={"erased": True}).model_dump()}
        nonce = secrets.token_bytes(_NONCE_BYTES)
        plain = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
        ct = AESGCM(key).encrypt(nonce, plain, _aad(event_type, kid))
        sealed = sealed.model_copy(update={"nonce": _b64(nonce), "ct": _b64(ct)})
        return {**public, SEALED: sealed.model_dump(exclude_none=True)}

    async def open(self, event_type: str, data: dict[str, Any]) -> dict[str, Any]:
        """Plain data while the key exists; after erasure the personal fields stay absent.

        The erased form keeps ``sealed`` without ciphertext (``erased: true``),
        so whoever gets it next (a projection, a partner's webhook) sees that
        fields were erased and holds nothing to decrypt later.
        """
        raw = data.get(SEALED)
        if not isinstance(raw, dict):
            return data  # written before sealing existed, or nothing personal
        try:
            sealed = SealedPersonalData.model_validate(raw)
        except ValueError as exc:
            raise SealError(f"the sealed member is malformed: {exc}") from exc
        public = {k: v for k, v in data.items() if k != SEALED}
        erased = {**public, SEALED: _erased(sealed)}
        if sealed.ct is None or sealed.nonce is None:
            return erased
        key = await self.keys.key_for_reading(sealed.kid)
        if key is None:
            return erased
        try:
            plain = AESGCM(key).decrypt(
                base64.b64decode(sealed.nonce),
                base64.b64decode(sealed.ct),
                _aad(event_type, sealed.kid),
            )
        except (InvalidTag, ValueError) as exc:
            raise SealError(f"personal data of {event_type} does not open with its key") from exc
        return merge_personal(public, json.loads(plain))

    async def open_envelope(self, envelope: Envelope) -> Envelope:
        if not isinstance(envelope.data.get(SEALED), dict):
            return envelope
        data = await self.open(envelope.type, envelope.data)
        return envelope.model_copy(update={"data": data})


def _erased(sealed: SealedPersonalData) -> dict[str, Any]:
    return {"v": sealed.v, "kid": sealed.kid, "paths": sealed.paths, "erased": True}
