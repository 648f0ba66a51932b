"""P2: the whole path at a fixed arrival rate, on real service processes (one or
more of each: :mod:`bench.processes`).

Applications are submitted over HTTP on an open-loop schedule (the i-th at
``start + i / rate``, whether or not earlier ones are done). A scripted worker
completes each assessment through the API as soon as the assignment event
appears on Kafka, and a supervisor approves the plan; the run then waits until
every referral of the plan answers from the referral service's read model,
which is what the window queue is served from.

Stages (each from the previous one's end):
  intake_api      POST /v1/applications answered
  assignment      SocialWorkerAssigned seen on the assessment topic
  worker_api      assessment completed + plan approved through the API
  referrals       every ReferralIssued of the plan seen on the referral topic
  visible         every referral of the plan readable from the referral API
and ``whole``: submission to the last referral visible.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import from_kafka
from inson_contracts.topics import CATALOGUE
from inson_runtime.auth import mint_dev_token
from inson_runtime.kafka import partitions_of, stop_reader

from bench.cpu import CpuMeter, listening_pid
from bench.processes import Platform, platform
from bench.raw import percentiles

DISTRICT = "1735207"
REGION = "1735"
STAGES = ("intake_api", "assignment", "worker_api", "referrals", "visible")
ASSIGNED = "uz.inson.assessment.worker.assigned.v1"
ISSUED = "uz.inson.referral.referral.issued.v1"


@dataclass
class Journey:
    started: float
    marks: dict[str, float] = field(default_factory=dict)
    error: str | None = None

    def stage_seconds(self) -> dict[str, float]:
        out, previous = {}, self.started
        for stage in STAGES:
            if stage not in self.marks:
                break
            out[stage] = self.marks[stage] - previous
            previous = self.marks[stage]
        if "visible" in self.marks:
            out["whole"] = self.marks["visible"] - self.started
        return out


class Watcher:
    """Reads the assessment and referral topics; wakes whoever waits on an id."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self.seen: dict[str, float] = {}
        self.waiters: dict[str, asyncio.Event] = {}
        # Events read before under the same id: published twice (at-least-once).
        self.ids: set[str] = set()
        self.duplicates = 0
        self._task: asyncio.Task[None] | None = None
        self._reader: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        reader = AIOKafkaConsumer(bootstrap_servers=self.bootstrap, enable_auto_commit=False)
        await reader.start()
        topics = [t.name for t in CATALOGUE if t.owner in ("assessment", "referral")]
        parts = [tp for name in topics for tp in await partitions_of(reader, name)]
        reader.assign(parts)
        await reader.seek_to_end(*parts)
        self._reader = reader
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        assert self._reader is not None
        while True:
            batches = await self._reader.getmany(timeout_ms=200)
            now = time.perf_counter()
            for records in batches.values():
                for record in records:
                    with contextlib.suppress(Exception):
                        env = from_kafka(record.headers, record.value)
                        if env.id in self.ids:
                            self.duplicates += 1
                        self.ids.add(env.id)
                        key = _key(env.type, env.data)
                        if key is not None:
                            self.seen.setdefault(key, now)
                            self._event(key).set()

    def _event(self, key: str) -> asyncio.Event:
        return self.waiters.setdefault(key, asyncio.Event())

    async def wait(self, key: str, timeout_s: float) -> float:
        await asyncio.wait_for(self._event(key).wait(), timeout_s)
        return self.seen[key]

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._reader:
            await stop_reader(self._reader)


def _key(event_type: str, data: dict[str, Any]) -> str | None:
    if event_type == ASSIGNED:
        return f"assigned:{data.get('case_id')}"
    if event_type == ISSUED:
        return f"issued:{data.get('referral_id')}"
    return None


class Driver:
    def __init__(self, watcher: Watcher, services: Platform, timeout_s: float) -> None:
        self.watcher = watcher
        self.services = services
        self.timeout_s = timeout_s
        auth = services.auth()
        self.mahallas = [m.code for m in mahallas_of(DISTRICT)]

        def bearer(role: str, sub: str, **scope: Any) -> dict[str, str]:
            token = mint_dev_token(sub=sub, role=role, settings=auth, ttl="2h", **scope)
            return {"Authorization": f"Bearer {token}"}

        self.bearer = bearer
        self.tablet = bearer("social_worker", "tablet-1", mahallas=self.mahallas, district=DISTRICT)
        self.supervisor = bearer("supervisor", f"sup-{DISTRICT}", district=DISTRICT)
        self.admin = bearer("admin", "admin-bench")
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        self.http = httpx.AsyncClient(timeout=30, limits=limits)
        self.sequence = 0

    def url(self, svc: str, path: str) -> str:
        """Each call to the service's next replica, in turn."""
        return self.services.url(svc, path)

    async def journey(self) -> Journey:
        j = Journey(started=time.perf_counter())
        try:
            await self._journey(self.next_applicant(), j)
        except Exception as exc:  # a failed journey is counted, not hidden
            j.error = f"{type(exc).__name__}: {exc}"[:200]
        return j

    async def case_file(
        self, case_id: str, ready: Callable[[dict[str, Any]], bool], deadline: float
    ) -> dict[str, Any]:
        """The assessment service's case file, once its read model shows ``ready``."""
        while True:
            got = await self.http.get(
                self.url("assessment", f"/v1/case-files/{case_id}"), headers=self.supervisor
            )
            if got.status_code == 200 and ready(doc := got.json()):
                return dict(doc)
            if time.perf_counter() > deadline:
                raise RuntimeError("the case file never caught up")
            await asyncio.sleep(0.01)

    def next_applicant(self) -> int:
        n = self.sequence
        self.sequence += 1
        return n

    def mahalla(self, n: int) -> str:
        return self.mahallas[n % len(self.mahallas)]

    async def submit(self, n: int | None = None) -> httpx.Response:
        """One application from a tablet: a distinct applicant for every ``n``."""
        if n is None:
            n = self.next_applicant()
        mahalla = self.mahalla(n)
        return await self.http.post(
            self.url("intake", "/v1/applications"),
            headers=self.tablet,
            json={
                "channel": "mahalla_tablet",
                "applicant": {
                    "name": {"last_name": "Bench", "first_name": _name(n)},
                    "birth_date": (date(1940, 1, 1) + timedelta(days=n)).isoformat(),
                    "sex": "female",
                    "language": "ru",
                },
                "address": {"region": REGION, "district": DISTRICT, "mahalla": mahalla},
                "circumstances": ["lonely_elderly", "needs_care_by_others"],
                "consent": {"given": True, "text_version": "2026-01"},
            },
        )

    async def _journey(self, n: int, j: Journey) -> None:
        mahalla = self.mahalla(n)
        got = await self.submit(n)
        if got.status_code != 201:
            raise RuntimeError(f"intake answered {got.status_code}: {got.text[:120]}")
        j.marks["intake_api"] = time.perf_counter()
        case_id = got.json()["case_id"]
        # One deadline for the whole journey: an overloaded run ends in bounded time.
        deadline = j.started + self.timeout_s

        def left() -> float:
            return max(0.1, deadline - time.perf_counter())

        j.marks["assignment"] = await self.watcher.wait(f"assigned:{case_id}", left())
        case_file = await self.case_file(case_id, lambda f: "worker_id" in f, deadline)
        worker = self.bearer(
            "social_worker", case_file["worker_id"], mahallas=[mahalla], district=DISTRICT
        )
        while True:
            # 409 until the assessment service's own view has the assignment.
            done = await self.http.post(
                self.url("assessment", f"/v1/cases/{case_id}/assessment/complete"),
                json={"situation": SITUATION},
                headers=worker,
            )
            if done.status_code == 200:
                break
            if done.status_code != 409 or time.perf_counter() > deadline:
                raise RuntimeError(f"assessment/complete: {done.status_code} {done.text[:300]}")
            await asyncio.sleep(0.02)
        approved = await self.http.post(
            self.url("assessment", f"/v1/cases/{case_id}/plan/approve"), headers=self.supervisor
        )
        if approved.status_code != 204:
            raise RuntimeError(f"plan/approve answered {approved.status_code}")
        j.marks["worker_api"] = time.perf_counter()
        plan = await self.case_file(case_id, lambda f: bool(f.get("items")), deadline)
        from referral.domain.routing import referral_id

        ids = [referral_id(plan["plan_id"], item["item_id"]) for item in plan["items"]]
        if not ids:
            raise RuntimeError("the plan has no items")
        seen = [await self.watcher.wait(f"issued:{rid}", left()) for rid in ids]
        j.marks["referrals"] = max(seen)
        for rid in ids:
            while True:
                read = await self.http.get(
                    self.url("referral", f"/v1/referrals/{rid}"), headers=self.admin
                )
                if read.status_code == 200:
                    break
                if time.perf_counter() > deadline:
                    raise RuntimeError("a referral never became visible")
                await asyncio.sleep(0.01)
        j.marks["visible"] = time.perf_counter()


def _name(n: int) -> str:
    # Distinct people (no dedup links between them): a name spelled from n.
    letters = "abdefghiklmnoprstuvz"
    digits = []
    while True:
        n, r = divmod(n, len(letters))
        digits.append(letters[r])
        if n == 0:
            break
    return "Bench" + "".join(digits)


# Drafts are needs-driven: a lonely pensioner who walks only with support and
# needs help at home gets five items, one of them (the disability allowance)
# at the Social service window, whose queue P4 times.
SITUATION = {
    "members": [
        {
            "member_ref": "m1",
            "age": 80,
            "sex": "female",
            "needs_help_with_daily_living": True,
            "employment": "pensioner",
            "disability_group": "group_2",
            "functional_limitations": ["walking"],
        }
    ],
    "income_sources": [{"kind": "pension", "monthly_amount_uzs": 800000}],
    "housing": "needs_repair",
}


async def at_rate(
    driver: Driver, rate: float, seconds: float, meter: CpuMeter | None = None
) -> dict[str, Any]:
    """Open loop: the i-th application at start + i/rate, whatever came before."""
    count = max(1, int(rate * seconds))
    cpu_before = meter.read() if meter else {}
    duplicates_before = driver.watcher.duplicates
    start = time.perf_counter()
    tasks = []
    for i in range(count):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(driver.journey()))
    submitted_s = time.perf_counter() - start
    journeys = await asyncio.gather(*tasks)
    done = [j for j in journeys if j.error is None]
    failed = [j.error for j in journeys if j.error is not None]
    result: dict[str, Any] = {
        "rate_per_s": rate,
        "seconds": seconds,
        "applications": count,
        "completed": len(done),
        "failed": len(failed),
        "failures": sorted(set(failed))[:5],
        "submitted_in_s": submitted_s,
        "drained_in_s": time.perf_counter() - start,
        # Assessment's and referral's events read twice under one id meanwhile.
        "published_twice": driver.watcher.duplicates - duplicates_before,
    }
    if meter:
        cpu = CpuMeter.per_application(cpu_before, meter.read(), count)
        result["cpu_ms_per_application"] = cpu
        result["cores_busy"] = cpu["total"] * count / 1000 / result["drained_in_s"]
    for stage in (*STAGES, "whole"):
        samples = [j.stage_seconds()[stage] for j in done if stage in j.stage_seconds()]
        if samples:
            result[stage] = percentiles(samples)
    # Lag grows when the later half of the run waits longer than the earlier.
    half = len(done) // 2
    if half >= 2:
        early = percentiles([j.stage_seconds()["whole"] for j in done[:half]])["p50_ms"]
        late = percentiles([j.stage_seconds()["whole"] for j in done[half:]])["p50_ms"]
        result["whole_p50_early_ms"], result["whole_p50_late_ms"] = early, late
        # Held: nothing failed, the later half waited no longer than the earlier
        # (25% and a quarter second of slack for noise), and the backlog drained
        # within half the run's length after the last submission.
        result["held"] = (
            not failed
            and late <= 1.25 * early + 250
            and result["drained_in_s"] <= submitted_s + max(5.0, seconds / 2)
        )
    else:
        result["held"] = not failed
    return result


async def end_to_end(
    bootstrap: str,
    mongo_url: str,
    rates: list[float],
    seconds: float,
    search: list[float],
    search_seconds: float,
    replicas: int = 1,
) -> dict[str, Any]:
    """The ladder ``search`` until a rate no longer holds, then the named rates, with
    ``replicas`` processes of every service."""
    async with platform(bootstrap, mongo_url, replicas) as services:
        watcher = Watcher(bootstrap)
        await watcher.start()
        driver = Driver(watcher, services, timeout_s=90.0)
        meter = CpuMeter(
            {
                **services.pids,
                "kafka": _listener(bootstrap),
                "ferretdb": _listener(mongo_url),
                "driver": [os.getpid()],
            }
        )
        try:
            await at_rate(driver, 1, 3)  # warm-up: connections, caches, first writes
            runs = []
            # The ladder first, while no backlog of a faster run is left to drain.
            highest: dict[str, Any] | None = None
            for rate in search:
                print(
                    f"  P2 ({replicas} per service) ladder: {rate}/s for {search_seconds:.0f} s ...",
                    file=sys.stderr,
                )
                attempt = await at_rate(driver, rate, search_seconds, meter)
                runs.append(attempt)
                if not attempt["held"]:
                    break
                highest = attempt
            for rate in rates:
                print(
                    f"  P2 ({replicas} per service) at {rate}/s for {seconds:.0f} s ...",
                    file=sys.stderr,
                )
                runs.append(await at_rate(driver, rate, seconds, meter))
        finally:
            await driver.http.aclose()
            await watcher.stop()
    return {"runs": runs, "highest_held": highest, "ladder": search, "replicas": replicas}


def _listener(address: str) -> list[int]:
    """The process serving ``host:port`` (or a URL ending in one), if it runs here."""
    port = int(address.rstrip("/").rsplit(":", 1)[1].split("/")[0])
    pid = listening_pid(port)
    return [pid] if pid else []
