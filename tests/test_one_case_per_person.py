"""One person, one case, on the real broker and store, with applications sent at once.

- 50 pairs at the same instant, each one person applying twice: once with a
  PINFL and once without, once in Latin and once in Cyrillic script
  ("Aliyev Jasur" / "Алиев Жасур"): 0 duplicate cases.
- An Urganch case and a Chust tablet: a match by name and birth date across
  districts waits for a worker of Urganch, and the Chust worker reads their
  application in that state (never a 404).
- A reservation naming a case the store does not hold (a dropped database):
  no match, a fresh case, logged with ids only.
"""

from __future__ import annotations

import asyncio
import logging
import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from inson_contracts.events import CaseOpened
from inson_contracts.events.values import PersonName
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.testing import running_service, wait_for
from intake.domain.identity import name_birth_key, pinfl_key
from intake.main import compose
from intake.settings import Settings

pytestmark = pytest.mark.integration

BERUNIY = ("1735", "1735207", "1735207001")
URGANCH = ("1733", "1733217", "1733217001")
CHUST = ("1714", "1714237", "1714237001")
PAIRS = 50


@pytest.fixture
async def intake(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Any, httpx.AsyncClient, AuthSettings]]:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    settings = Settings(
        service_name=f"intake-one-case-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
    )
    async with running_service(compose, settings) as (runtime, http):
        yield runtime, http, auth


def worker(auth: AuthSettings, name: str, place: tuple[str, str, str]) -> dict[str, str]:
    _, district, mahalla = place
    jwt = mint_dev_token(
        sub=name, role="social_worker", mahallas=[mahalla], district=district, settings=auth
    )
    return {"Authorization": f"Bearer {jwt}"}


def application(
    last: str, first: str, born: date, place: tuple[str, str, str], pinfl: str | None = None
) -> dict[str, Any]:
    region, district, mahalla = place
    applicant: dict[str, Any] = {
        "name": {"last_name": last, "first_name": first},
        "birth_date": born.isoformat(),
        "sex": "male",
        "language": "uz-Latn",
    }
    if pinfl:
        applicant["pinfl"] = pinfl
    return {
        "channel": "mahalla_tablet",
        "applicant": applicant,
        "address": {"region": region, "district": district, "mahalla": mahalla},
        "circumstances": ["low_income"],
        "consent": {"given": True, "text_version": "2026-01"},
    }


def pinfl_of(born: date) -> str:
    return f"3{born:%d%m%y}{uuid.uuid4().int % 10**7:07d}"


async def cases_opened(runtime: Any) -> list[str]:
    """Every case.opened in this test's store, by stream."""
    opened = []
    async for commit in runtime.db["event_commits"].find({}):
        opened += [commit["stream_id"] for e in commit["events"] if e["type"] == CaseOpened.TYPE]
    return opened


async def test_fifty_pairs_at_once_with_and_without_pinfl_make_no_duplicate(intake) -> None:
    runtime, http, auth = intake
    headers = worker(auth, "sw-beruniy", BERUNIY)
    first_born = date(1940, 1, 1) + timedelta(days=uuid.uuid4().int % 3000)
    requests: list[tuple[int, dict[str, Any]]] = []
    for i in range(PAIRS):
        born = first_born + timedelta(days=7 * i)  # apart: no likely match across pairs
        pinfl = pinfl_of(born)
        latin, cyrillic = ("Aliyev", "Jasur"), ("Алиев", "Жасур")
        # The PINFL on the Latin side in even pairs, on the Cyrillic side in odd ones.
        with_pinfl, without = (latin, cyrillic) if i % 2 == 0 else (cyrillic, latin)
        requests.append((i, application(*with_pinfl, born, BERUNIY, pinfl)))
        requests.append((i, application(*without, born, BERUNIY)))
    random.Random(PAIRS).shuffle(requests)

    answers = await asyncio.gather(
        *(http.post("/v1/applications", json=body, headers=headers) for _, body in requests)
    )

    assert [a.status_code for a in answers] == [201] * (2 * PAIRS), [a.text for a in answers]
    by_pair: dict[int, list[dict[str, Any]]] = {}
    for (i, _), answer in zip(requests, answers, strict=True):
        by_pair.setdefault(i, []).append(answer.json())
    for i, pair in by_pair.items():
        assert len({a["case_id"] for a in pair}) == 1, f"pair {i}: two cases {pair}"
        outcomes = sorted(a["outcome"] for a in pair)
        assert outcomes[0] == "case_opened" and outcomes[1].startswith("linked"), outcomes
    opened = await cases_opened(runtime)
    assert len(opened) == len(set(opened)) == PAIRS
    assert set(opened) == {f"case-{pair[0]['case_id']}" for pair in by_pair.values()}


async def test_a_chust_tablet_matching_an_urganch_case_waits_for_urganch(intake) -> None:
    runtime, http, auth = intake
    urganch, chust = worker(auth, "sw-urganch", URGANCH), worker(auth, "sw-chust", CHUST)
    born = date(1950, 1, 1) + timedelta(days=uuid.uuid4().int % 10000)

    opened = await http.post(
        "/v1/applications", json=application("Алиев", "Жасур", born, URGANCH), headers=urganch
    )
    applied = await http.post(
        "/v1/applications", json=application("Aliyev", "Jasur", born, CHUST), headers=chust
    )

    assert opened.status_code == applied.status_code == 201, applied.text
    case_id = opened.json()["case_id"]
    body = applied.json()
    assert (body["case_id"], body["outcome"]) == (case_id, "linked_pending_confirmation")
    assert (body["status"], body["match"]) == ("pending_confirmation", "same_name_and_birth_date")
    # The Chust worker reads the application they just sent, in that state.
    mine = await http.get(applied.headers["location"], headers=chust)
    assert mine.status_code == 200 and mine.json()["status"] == "pending_confirmation"
    # The case stays Urganch's until a worker there confirms: Chust may not settle it.
    assert (await http.get(f"/v1/cases/{case_id}", headers=chust)).status_code == 404
    link = f"/v1/cases/{case_id}/applications/{body['application_id']}"
    assert (await http.post(f"{link}/confirm-link", headers=chust)).status_code == 403
    assert (await http.post(f"{link}/confirm-link", headers=urganch)).status_code == 204

    async def linked() -> bool:
        got = await http.get(applied.headers["location"], headers=chust)
        return got.status_code == 200 and got.json()["status"] == "linked"

    await wait_for(linked, what="the confirmed link in the Chust worker's view")
    assert await cases_opened(runtime) == [f"case-{case_id}"]


async def test_urganch_and_chust_at_once_make_one_case_and_one_pending(intake) -> None:
    runtime, http, auth = intake
    urganch, chust = worker(auth, "sw-urganch", URGANCH), worker(auth, "sw-chust", CHUST)
    born = date(1950, 1, 1) + timedelta(days=uuid.uuid4().int % 10000)

    both = await asyncio.gather(
        http.post(
            "/v1/applications", json=application("Алиев", "Жасур", born, URGANCH), headers=urganch
        ),
        http.post(
            "/v1/applications", json=application("Aliyev", "Jasur", born, CHUST), headers=chust
        ),
    )

    assert [a.status_code for a in both] == [201, 201]
    assert len({a.json()["case_id"] for a in both}) == 1
    [pending] = [a for a in both if a.json()["outcome"] == "linked_pending_confirmation"]
    author = urganch if pending is both[0] else chust
    got = await http.get(pending.headers["location"], headers=author)
    assert got.status_code == 200 and got.json()["status"] == "pending_confirmation"
    assert len(await cases_opened(runtime)) == 1


async def test_a_match_to_a_case_the_store_does_not_hold_opens_a_fresh_case(
    intake, caplog: pytest.LogCaptureFixture
) -> None:
    runtime, http, auth = intake
    headers = worker(auth, "sw-beruniy", BERUNIY)
    born = date(1950, 1, 1) + timedelta(days=uuid.uuid4().int % 10000)
    pinfl, ghost = pinfl_of(born), f"ghost-{uuid.uuid4().hex[:8]}"
    name = PersonName(last_name="Aliyev", first_name="Jasur")
    # What a run whose database was dropped left behind: reservations of a
    # case whose events are gone from this store.
    left = datetime.now(UTC) - timedelta(days=1)
    for key in (name_birth_key(name, born), pinfl_key(pinfl)):
        await runtime.db["person_reservations"].insert_one(
            {"_id": key, "case_id": ghost, "reserved_at": left, "settled": True}
        )

    with caplog.at_level(logging.WARNING, logger="intake.handlers.matching"):
        fresh = await http.post(
            "/v1/applications",
            json=application("Aliyev", "Jasur", born, BERUNIY, pinfl),
            headers=headers,
        )

    assert fresh.status_code == 201, fresh.text
    case_id = fresh.json()["case_id"]
    assert fresh.json()["outcome"] == "case_opened" and case_id != ghost
    assert await runtime.journal.load(f"case-{ghost}") == []
    events = await runtime.journal.load(f"case-{case_id}")
    assert [(e.type, e.streamversion) for e in events][-1] == (CaseOpened.TYPE, 2)
    logged = [r.msg for r in caplog.records if isinstance(r.msg, dict)]
    assert {entry["case_id"] for entry in logged} == {ghost}
    assert {entry["key"] for entry in logged} == {"name", "pinfl"}
    text = repr(logged)
    assert "Aliyev" not in text and pinfl not in text and born.isoformat() not in text
    # The keys now lead to the fresh case.
    again = await http.post(
        "/v1/applications", json=application("Алиев", "Жасур", born, BERUNIY), headers=headers
    )
    assert (again.json()["case_id"], again.json()["outcome"]) == (case_id, "linked")
    assert await cases_opened(runtime) == [f"case-{case_id}"]
