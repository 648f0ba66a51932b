"""Crypto-shredding against the real FerretDB: key store, sealing at append, erasure."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime

import pytest
from inson_contracts.events import REGISTRY, ApplicationSubmitted
from inson_contracts.examples import example
from inson_contracts.personal import SEALED
from inson_contracts.schemas import data_schema
from inson_runtime.eventstore import Causation, EventStore
from inson_runtime.privacy import (
    DEV_KEK_B64,
    ErasedError,
    KeyStore,
    LocalKek,
    Sealer,
    SealError,
    person_of,
)

pytestmark = pytest.mark.integration

CAUSE = Causation(source="inson/test")
KEK = LocalKek(b"k" * 32, kek_id="test")


def submitted(last_name: str, phone: str = "+998901234567") -> ApplicationSubmitted:
    data = example(data_schema(ApplicationSubmitted))
    data["applicant"]["name"]["last_name"] = last_name
    data["applicant"]["phone"] = phone
    data["household"] = [
        {
            "relation": "child",
            "name": {"last_name": f"{last_name}a", "first_name": "Dilnoza"},
            "birth_date": "2015-03-04",
        }
    ]
    return ApplicationSubmitted.model_validate(data)


@pytest.fixture
async def keys(mongo_client, scratch_db) -> KeyStore:
    # The scratch database stands in for inson_keys, so tests leave nothing behind.
    return KeyStore.connect(mongo_client, KEK, database=scratch_db, ttl_s=60)


@pytest.fixture
async def store(mongo_client, scratch_db, keys) -> EventStore:
    store = EventStore(mongo_client, scratch_db, sealer=Sealer(keys))
    await store.ensure_indexes()
    return store


async def test_the_key_store_keeps_wrapped_keys_and_one_key_per_person(keys: KeyStore) -> None:
    kid = str(uuid.uuid4())
    first = await keys.key_for_writing(kid)
    again = await keys.key_for_writing(kid)
    assert first == again and len(first) == 32

    doc = await keys.keys.find_one({"_id": kid})
    assert doc is not None and doc["kek"] == "test"
    # Stored wrapped, never in the clear.
    assert first not in bytes(doc["wrapped"])
    assert await KEK.unwrap(bytes(doc["wrapped"]), context=kid) == first
    # Bound to its key id: moved to another person it does not unwrap.
    with pytest.raises(SealError):
        await KEK.unwrap(bytes(doc["wrapped"]), context="someone-else")
    # A fresh process (no cache) reads the same key.
    fresh = KeyStore(keys.keys, KEK)
    assert await fresh.key_for_reading(kid) == first
    assert await fresh.key_for_reading(str(uuid.uuid4())) is None


async def test_a_wrong_kek_does_not_unwrap(keys: KeyStore) -> None:
    kid = str(uuid.uuid4())
    await keys.key_for_writing(kid)
    other = KeyStore(keys.keys, LocalKek(b"x" * 32))
    with pytest.raises(SealError):
        await other.key_for_reading(kid)


def test_the_kek_comes_from_the_environment_else_the_marked_dev_key() -> None:
    assert LocalKek.from_env("").kek_id == "dev"
    assert LocalKek.from_env(DEV_KEK_B64).kek_id == "env"
    with pytest.raises(ValueError, match="32 bytes"):
        LocalKek.from_env(base64.b64encode(b"short").decode())
    with pytest.raises(ValueError, match="base64"):
        LocalKek.from_env("not base64!")


async def test_append_seals_personal_fields_and_load_opens_them(store: EventStore) -> None:
    case_id = str(uuid.uuid4())
    event = submitted("Karimova")
    await store.append(f"case-{case_id}", 0, [event], CAUSE)

    stored = await store.commits.find_one({"stream_id": f"case-{case_id}"})
    assert stored is not None
    wire = stored["events"][0]["data"]
    text = json.dumps(wire, ensure_ascii=False)
    for clear in ("Karimova", "Dilnoza", "+998901234567", "2015-03-04"):
        assert clear not in text
    assert "last_name" not in wire["applicant"]["name"]
    assert wire[SEALED]["kid"] == case_id and wire[SEALED]["alg"] == "A256GCM"
    assert "household.0.name.last_name" in wire[SEALED]["paths"]
    # What is not personal stays readable for statistics and routing.
    assert wire["circumstances"] == event.model_dump(mode="json")["circumstances"]
    assert wire["address"]["district"] == event.address.district

    (loaded,) = await store.load(f"case-{case_id}")
    assert SEALED not in loaded.data
    assert REGISTRY.parse(loaded.type, loaded.data) == event


async def test_after_erasure_load_reads_the_event_with_personal_fields_none(
    store: EventStore, keys: KeyStore
) -> None:
    erased_case, other_case = str(uuid.uuid4()), str(uuid.uuid4())
    await store.append(f"case-{erased_case}", 0, [submitted("Karimova")], CAUSE)
    await store.append(f"case-{other_case}", 0, [submitted("Toshmatov")], CAUSE)

    assert await keys.erase(erased_case, reason="court order 12/3", erased_by="admin-1")
    assert not await keys.erase(erased_case, reason="again", erased_by="admin-1")

    (gone,) = await store.load(f"case-{erased_case}")
    assert gone.data[SEALED] == {
        "v": 1,
        "kid": erased_case,
        "paths": gone.data[SEALED]["paths"],
        "erased": True,
    }
    event = REGISTRY.parse(gone.type, gone.data)
    assert isinstance(event, ApplicationSubmitted)
    assert event.applicant.name.last_name is None
    assert event.applicant.phone is None
    assert event.household[0].name.first_name is None
    assert event.address.district  # the rest of the event is intact

    (kept,) = await store.load(f"case-{other_case}")
    assert REGISTRY.parse(kept.type, kept.data).applicant.name.last_name == "Toshmatov"  # type: ignore[attr-defined]

    tomb = await keys.keys.find_one({"_id": erased_case})
    assert tomb is not None and "wrapped" not in tomb
    assert tomb["erasure_reason"] == "court order 12/3"


async def test_an_erasure_reaches_another_process_after_its_cache_ttl(
    mongo_client, scratch_db
) -> None:
    now = [0.0]
    collection = mongo_client[scratch_db]["data_keys"]
    reader = KeyStore(collection, KEK, ttl_s=5, clock=lambda: now[0])
    eraser = KeyStore(collection, KEK)
    kid = str(uuid.uuid4())
    key = await eraser.key_for_writing(kid)
    assert await reader.key_for_reading(kid) == key

    await eraser.erase(kid, reason="request of the person", erased_by="admin-1")
    assert await eraser.key_for_reading(kid) is None  # the erasing process at once
    assert await reader.key_for_reading(kid) == key  # another one within the TTL
    now[0] = 6.0
    assert await reader.key_for_reading(kid) is None
    with pytest.raises(ErasedError):
        await reader.key_for_writing(kid)


async def test_events_written_after_erasure_store_no_personal_data(
    store: EventStore, keys: KeyStore
) -> None:
    case_id = str(uuid.uuid4())
    await keys.erase(case_id, reason="request of the person", erased_by="admin-1")
    await store.append(f"case-{case_id}", 0, [submitted("Karimova")], CAUSE)
    stored = await store.commits.find_one({"stream_id": f"case-{case_id}"})
    assert stored is not None
    assert "Karimova" not in json.dumps(stored["events"][0]["data"])
    assert stored["events"][0]["data"][SEALED]["erased"] is True
    # No fresh key was created over the tombstone.
    assert await keys.key_for_reading(case_id) is None


async def test_tampered_ciphertext_does_not_open(store: EventStore, keys: KeyStore) -> None:
    case_id = str(uuid.uuid4())
    await store.append(f"case-{case_id}", 0, [submitted("Karimova")], CAUSE)
    stored = await store.commits.find_one({"stream_id": f"case-{case_id}"})
    assert stored is not None
    data = stored["events"][0]["data"]
    sealer = Sealer(keys)
    # Under another type, the same ciphertext does not open (bound by the AAD).
    with pytest.raises(SealError):
        await sealer.open("uz.inson.intake.application.rejected.v1", data)
    ct = bytearray(base64.b64decode(data[SEALED]["ct"]))
    ct[0] ^= 1
    forged = {**data, SEALED: {**data[SEALED], "ct": base64.b64encode(bytes(ct)).decode()}}
    with pytest.raises(SealError):
        await sealer.open(ApplicationSubmitted.TYPE, forged)


def test_the_person_of_an_event_is_its_case() -> None:
    assert person_of({"case_id": "c1"}, "referral-r1") == "c1"
    assert person_of({}, "case-c2") == "c2"
    assert person_of({"case_id": None}, "notification-n1") == "notification-n1"


async def test_sealing_is_cheap_with_a_cached_key(keys: KeyStore) -> None:
    sealer = Sealer(keys)
    data = submitted("Karimova").model_dump(mode="json")
    case_id = str(uuid.uuid4())
    await sealer.seal(ApplicationSubmitted.TYPE, data, f"case-{case_id}")
    started = datetime.now(UTC)
    for _ in range(200):
        wire = await sealer.seal(ApplicationSubmitted.TYPE, data, f"case-{case_id}")
        await sealer.open(ApplicationSubmitted.TYPE, wire)
    per_event_ms = (datetime.now(UTC) - started).total_seconds() * 1000 / 200
    # Generous for a loaded 2-core machine; typical is well under 1 ms.
    assert per_event_ms < 20


def test_a_service_that_requires_a_kek_refuses_to_start_without_one() -> None:
    from inson_runtime.service import create_runtime
    from inson_runtime.settings import ServiceSettings

    with pytest.raises(RuntimeError, match="INSON_KEK is required"):
        create_runtime(ServiceSettings(kek_required=True, kek=None))
