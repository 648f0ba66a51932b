"""The fault-injection harness: the four services as real processes (two of
assessment and referral by default) on a Kafka broker and a FerretDB of their
own, applications flowing through them from a scripted social worker and
window staff, and faults injected while they flow (SIGKILL, SIGTERM, the
broker or the store stopped, poison records).

Afterwards the effects are counted from the topics (read raw, from offset 0)
and the services' projections, never from the services' own counters, and
checked: nothing accepted lost, nothing doubled, nothing valid dead-lettered.

The servers are a separate instance of ``infra/local.sh``
(``INSON_INFRA_INSTANCE=faults``, their own ports and data): stopping "the
broker" here pulls nothing from under the other tests, and every run starts
from empty topics and databases, so everything on them is this run's.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes, policy
from importlib.resources import files
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiosmtpd.controller import Controller
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope, EnvelopeError, from_kafka, to_kafka
from inson_contracts.events import (
    REGISTRY,
    ApplicationSubmitted,
    CaseOpened,
    NotificationFailed,
    NotificationSent,
    PlanApproved,
    PlanCompleted,
    PlanItemCompleted,
    ReferralCompleted,
    ReferralIssued,
    SocialWorkerAssigned,
)
from inson_contracts.topics import (
    ASSESSMENT_PLANS,
    INTAKE_CASES,
    NOTIFICATIONS,
    REFERRALS,
)
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.deadletters import dead_letters
from inson_runtime.kafka import partitions_of
from inson_runtime.mongo import connect
from inson_runtime.testing import free_port
from notification.domain.rules import intents_for
from referral.domain.routing import referral_id

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "assessment", "referral", "notification")
EVENT_TOPICS = (INTAKE_CASES.name, ASSESSMENT_PLANS.name, REFERRALS.name, NOTIFICATIONS.name)
DISTRICTS = ("1735207", "1703236")
REGION_OF = {"1735207": "1735", "1703236": "1703"}
# What the partner subscribes to: the milestones of a case.
PARTNER_TYPES = (CaseOpened.TYPE, PlanApproved.TYPE, ReferralIssued.TYPE, PlanCompleted.TYPE)
REFERRAL_STEPS = (("accept", "accepted"), ("start", "started"), ("complete", "completed"))
REFERRAL_ORDER = ("issued", "delivered", "accepted", "started", "completed")


def now() -> float:
    return time.monotonic()


def log(message: str) -> None:
    stamp = datetime.now(UTC).strftime("%H:%M:%S")
    print(f"[faults {stamp}] {message}", flush=True)


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Campaign:
    """How big a run is and which faults it injects."""

    seed: int
    # Small for `make test`: on two shared cores one application takes about a
    # minute from submission to a completed plan (nine requests, three
    # referrals, every hop through FerretDB on SQLite).
    applications: int = 12
    concurrency: int = 6
    # SIGKILL rounds: each round kills every service once, in a seeded order.
    kill_rounds: int = 1
    broker_outages: int = 1
    broker_outage_s: float = 3.0
    store_outages: int = 1
    # Longer than the driver's 5 s server selection, so answers arrive while
    # the store is down and can be judged.
    store_outage_s: float = 8.0
    sigterms: int = 1
    poison: bool = True
    # A deploy of notification with the wrong key-encryption key: every event
    # with personal data it reads in that time is dead-lettered (unreadable);
    # the right key is deployed again and an operator replays those letters,
    # twice. Each must then take effect once: replay after a fix.
    wrong_keys: int = 1
    wrong_key_s: float = 8.0
    # How long one application may take from submission to a completed plan.
    flow_timeout_s: float = 900.0
    # A graceful stop must end within this (uvicorn's own limit is 20 s).
    sigterm_bound_s: float = 30.0
    # Processes per service, side by side on the same groups and store; a
    # SIGKILL or SIGTERM hits one of them. Two of assessment and referral:
    # the services whose consumers and periodic jobs carry the flow.
    replicas: tuple[tuple[str, int], ...] = (("assessment", 2), ("referral", 2))

    @classmethod
    def short(cls, seed: int) -> Campaign:
        return cls(seed=seed)

    @classmethod
    def full(cls, seed: int, applications: int = 2000, replicas: int | None = None) -> Campaign:
        """``replicas``: that many processes of every service (default: as the short run)."""
        every = tuple((name, replicas) for name in SERVICES) if replicas else cls.replicas
        return cls(
            seed=seed,
            applications=applications,
            replicas=every,
            concurrency=16,
            kill_rounds=2,
            broker_outages=1,
            broker_outage_s=20.0,
            store_outages=1,
            store_outage_s=20.0,
            sigterms=2,
            wrong_key_s=15.0,
            flow_timeout_s=1800.0,
        )

    def replicas_of(self, service: str) -> int:
        return dict(self.replicas).get(service, 1)


# --------------------------------------------------------------------------- infrastructure


class Instance:
    """A Kafka and a FerretDB of the suite's own, through infra/local.sh."""

    def __init__(
        self, name: str | None = None, kafka_port: int | None = None, ferret_port: int | None = None
    ):
        # A name and ports of its own per run: several worktrees may run
        # `make test` at once on one machine, and two runs sharing a broker
        # would stop it under each other.
        self.name = name or f"faults-{os.getpid()}"
        self.kafka_port = kafka_port or free_port_pair()
        self.ferret_port = ferret_port or free_port()
        local = os.environ.get("INSON_LOCAL_DIR") or str(ROOT / ".local")
        self.state = Path(local) / "instances" / self.name

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def mongodb_url(self) -> str:
        return f"mongodb://127.0.0.1:{self.ferret_port}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        # Set, these would make local.sh treat the servers as somebody else's.
        env.pop("KAFKA_BOOTSTRAP_SERVERS", None)
        env.pop("MONGODB_URL", None)
        env |= {
            "INSON_INFRA_INSTANCE": self.name,
            "INSON_KAFKA_PORT": str(self.kafka_port),
            "INSON_FERRET_PORT": str(self.ferret_port),
        }
        return env

    async def local_sh(self, *args: str) -> None:
        process = await asyncio.create_subprocess_exec(
            "bash",
            str(ROOT / "infra" / "local.sh"),
            *args,
            env=self.env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"infra/local.sh {' '.join(args)} failed:\n{out.decode()[-3000:]}")

    async def fresh(self) -> None:
        """Stop whatever a previous run left, wipe the data, start both servers."""
        await self.reap_abandoned()
        await self.local_sh("down")
        shutil.rmtree(self.state, ignore_errors=True)
        await self.local_sh("up")
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "inson_runtime.topics_cli",
            "ensure",
            env={**os.environ, "KAFKA_BOOTSTRAP_SERVERS": self.bootstrap},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"inson-topics ensure failed:\n{out.decode()[-3000:]}")

    async def reap_abandoned(self) -> None:
        """Stop and delete the instances of runs whose process is gone.

        A run killed before its teardown (a CI timeout, Ctrl-C twice) leaves
        its broker and store running under ``faults-<pid>``; they would hold
        memory and CPU through every later run on this machine.
        """
        for state in sorted(self.state.parent.glob("faults-*")):
            pid = state.name.removeprefix("faults-")
            if state == self.state or not pid.isdigit() or _alive(int(pid)):
                continue
            log(f"stopping the servers of an abandoned run ({state.name})")
            await Instance(state.name, kafka_port=1, ferret_port=1).remove()

    async def down(self, what: str = "all") -> None:
        await self.local_sh("down", *(() if what == "all" else (what,)))

    async def remove(self) -> None:
        """Stop both servers and delete the instance's data."""
        await self.down()
        shutil.rmtree(self.state, ignore_errors=True)

    async def up(self, what: str = "all") -> None:
        await self.local_sh("up", *(() if what == "all" else (what,)))


# --------------------------------------------------------------------------- gateways


@dataclass
class Receipt:
    channel: str
    key: str
    at: float
    detail: dict[str, Any] = field(default_factory=dict)


class Gateways:
    """Local stand-ins for the SMS gateway, the SMTP relay and a partner's webhook
    receiver, recording every message they accept with its idempotency key
    (Idempotency-Key, Message-ID, webhook-id)."""

    def __init__(self) -> None:
        self.receipts: list[Receipt] = []
        self.partner_secret = ""
        self.bad_signatures = 0
        self.http_url = ""
        self.smtp_port = 0
        self._server: uvicorn.Server | None = None
        self._task: asyncio.Task[None] | None = None
        self._smtp: Controller | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        status, reply = 200, {"id": uuid.uuid4().hex}
        if scope["path"] == "/sms":
            sms = json.loads(body)
            self.receipts.append(
                Receipt("sms", headers.get("idempotency-key", ""), now(), {"to": sms["to"]})
            )
        elif scope["path"] == "/partner":
            status = self._partner(headers, body)
        else:
            status = 404
        payload = json.dumps(reply).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": payload})

    def _partner(self, headers: dict[str, str], body: bytes) -> int:
        from notification.domain.signing import verify

        msg_id = headers.get("webhook-id", "")
        try:
            stamp = int(headers.get("webhook-timestamp", "0"))
        except ValueError:
            stamp = 0
        signed = verify(
            self.partner_secret,
            msg_id,
            stamp,
            body,
            headers.get("webhook-signature", ""),
            now=int(time.time()),
        )
        if not signed:
            self.bad_signatures += 1
            return 401
        event = json.loads(body)
        self.receipts.append(
            Receipt("webhook", msg_id, now(), {"type": event["type"], "subject": event["subject"]})
        )
        return 200

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        mail = message_from_bytes(envelope.original_content, policy=policy.default)
        self.receipts.append(Receipt("email", str(mail["Message-ID"]), now()))
        return "250 OK"

    async def start(self) -> None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(self, lifespan="off", log_level="warning", access_log=False)
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:  # uvicorn offers no event to wait on
            await asyncio.sleep(0.01)
        self.http_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.smtp_port = free_port()
        self._smtp = Controller(self, hostname="127.0.0.1", port=self.smtp_port)
        self._smtp.start()

    async def stop(self) -> None:
        if self._smtp is not None:
            self._smtp.stop()
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dying_with_parent(argv: list[str]) -> list[str]:
    """``argv`` run so that it is SIGKILLed when the harness process dies (a
    killed run then leaves no service behind); as is where setpriv is missing."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--", *argv] if setpriv else argv


def free_port_pair() -> int:
    """A free port whose successor is free too (Kafka's controller takes port + 1)."""
    for _ in range(50):
        port = free_port()
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two adjacent free ports")


# --------------------------------------------------------------------------- services


class Service:
    """One process of a service (its own session, so a signal reaches it alone)."""

    def __init__(
        self, name: str, port: int, env: dict[str, str], logs: Path, replica: str = ""
    ) -> None:
        self.name = name
        self.port = port
        self.env = env
        # ``assessment-2.log``: which replica, when there are several.
        self.replica = f"{name}-{replica}" if replica else name
        self.log_path = logs / f"{self.replica}.log"
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.starts += 1
        with self.log_path.open("ab") as out:
            out.write(f"\n==== start {self.starts} at {datetime.now(UTC)} ====\n".encode())
            out.flush()
            argv = [sys.executable, "-m", f"{self.name}.main", "serve", "--port", str(self.port)]
            self.process = await asyncio.create_subprocess_exec(
                *_dying_with_parent(argv),
                env=self.env,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
                start_new_session=True,
            )

    async def ready(self, timeout_s: float = 120.0) -> float:
        """Wait for /readyz to answer 200; the seconds it took."""
        started = now()
        async with httpx.AsyncClient(base_url=self.url, timeout=3) as http:
            while now() - started < timeout_s:
                if self.process is not None and self.process.returncode is not None:
                    raise RuntimeError(f"{self.replica} exited: {self.tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get("/readyz")).status_code == 200:
                        return now() - started
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{self.replica} not ready after {timeout_s}s: {self.tail()}")

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def shutdown_record(self) -> dict[str, Any] | None:
        """The "service stopping" line of the current start's log, if it got there."""
        marker = f"==== start {self.starts} at "
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return None
        begun = max((i for i, line in enumerate(lines) if line.startswith(marker)), default=0)
        for line in lines[begun:]:
            if '"service stopping"' in line:
                with contextlib.suppress(ValueError):
                    record: dict[str, Any] = json.loads(line)
                    return record
        return None

    async def kill(self) -> None:
        assert self.process is not None
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        await self.process.wait()

    async def terminate(self, bound_s: float) -> tuple[float, int | None]:
        """SIGTERM; (seconds until it exited, exit code), killed if past ``bound_s``."""
        assert self.process is not None
        started = now()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(self.process.wait(), bound_s)
        except TimeoutError:
            await self.kill()
            return now() - started, None
        return now() - started, code

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            await self.kill()


# --------------------------------------------------------------------------- the run


@dataclass
class Flow:
    index: int
    district: str
    mahalla: str
    key: str
    case_id: str | None = None
    application_id: str | None = None
    accepted_at: float | None = None
    plan_id: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)
    completed_at: float | None = None
    failure: str | None = None
    # Seconds since submission at each milestone, to see where time goes.
    steps: dict[str, float] = field(default_factory=dict)

    def mark(self, step: str) -> None:
        if self.accepted_at is not None:
            self.steps[step] = round(now() - self.accepted_at, 2)


@dataclass
class FaultRecord:
    kind: str
    target: str
    started: float
    ended: float = 0.0
    recovered_s: float | None = None
    flowing_s: float | None = None
    note: str = ""


@dataclass
class Answer:
    service: str
    method: str
    path: str
    status: int | None  # None: no answer (connection refused, reset, timeout)
    at: float
    retry_after: str | None = None
    error: str = ""


@dataclass
class Report:
    seed: int
    campaign: Campaign
    faults: list[FaultRecord]
    applications: int
    accepted: int
    completed: int
    lost: dict[str, list[str]]
    doubled: dict[str, list[str]]
    resent_same_key: dict[str, int]
    dead_lettered_valid: list[str]
    poison: dict[str, Any]
    outage_answers: dict[str, Counter[str]]
    server_errors: list[str]
    sigterm: list[dict[str, Any]]
    counts: dict[str, int]
    seconds: float
    flow_failures: list[str] = field(default_factory=list)

    @property
    def lost_total(self) -> int:
        return sum(len(v) for v in self.lost.values())

    @property
    def doubled_total(self) -> int:
        return sum(len(v) for v in self.doubled.values())

    def table(self) -> str:
        kinds = Counter(f.kind for f in self.faults)
        recover: dict[str, str] = {}
        for kind in kinds:
            of_kind = [f for f in self.faults if f.kind == kind]
            ready = max((f.recovered_s or 0.0) for f in of_kind)
            flowing = max((f.flowing_s or 0.0) for f in of_kind)
            recover[kind] = f"{ready:.0f}/{flowing:.0f}s"
        faults = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
        rows = [
            ("seed", str(self.seed)),
            ("replicas", ", ".join(f"{n} {s}" for s, n in self.campaign.replicas) or "one each"),
            ("faults injected", f"{len(self.faults)} ({faults})"),
            ("applications", f"{self.accepted} accepted of {self.applications}"),
            ("plans completed", str(self.completed)),
            ("lost", f"{self.lost_total} {_nonempty(self.lost)}"),
            ("doubled", f"{self.doubled_total} {_nonempty(self.doubled)}"),
            (
                "dead-lettered",
                f"{self.poison.get('letters', 0)} of poison and its "
                f"{self.poison.get('replays', 0)} replays (expected "
                f"{self.poison.get('expected_letters', 0)}), "
                f"{len(self.dead_lettered_valid)} valid",
            ),
            (
                "replayed after a fix",
                f"{self.poison.get('wrong_key_letters', 0)} letters of a wrong-key deploy, "
                f"replayed {self.poison.get('wrong_key_replays', 0)} times",
            ),
            (
                "recover: ready/flowing",
                ", ".join(f"{k} {v}" for k, v in sorted(recover.items())) or "-",
            ),
            ("resent with the same key", _nonempty(self.resent_same_key) or "0"),
            ("HTTP 5xx other than 503", str(len(self.server_errors))),
            ("run time", f"{self.seconds:.0f}s"),
        ]
        width = max(len(k) for k, _ in rows)
        line = "+" + "-" * (width + 2) + "+" + "-" * 102 + "+"
        out = [line]
        out += [f"| {k.ljust(width)} | {v[:100].ljust(100)} |" for k, v in rows]
        out.append(line)
        return "\n".join(out)

    @property
    def passed(self) -> bool:
        return not self.problems()

    def problems(self) -> list[str]:
        found = []
        if self.accepted < self.applications:
            found.append(f"only {self.accepted} of {self.applications} applications accepted")
        if self.lost_total:
            found.append(f"lost: {_sample(self.lost)}")
        if self.doubled_total:
            found.append(f"doubled: {_sample(self.doubled)}")
        if self.dead_lettered_valid:
            found.append(f"valid records dead-lettered: {self.dead_lettered_valid[:5]}")
        if self.flow_failures:
            found.append(f"{len(self.flow_failures)} flows failed: {self.flow_failures[:3]}")
        if self.server_errors:
            found.append(f"5xx answers other than 503: {self.server_errors[:5]}")
        for problem in self.poison.get("problems", []):
            found.append(f"poison: {problem}")
        for service, answers in self.outage_answers.items():
            wrong = {k: v for k, v in answers.items() if k not in ("503+retry-after", "none")}
            if wrong:
                found.append(f"{service} answered during the store outage: {dict(wrong)}")
        if self.campaign.store_outages:
            silent = [
                s for s in SERVICES if not self.outage_answers.get(s, {}).get("503+retry-after")
            ]
            if silent:
                found.append(f"no 503 with Retry-After seen from {silent} during the store outage")
        found.extend(
            f"SIGTERM of {t['service']}: {t['problem']}" for t in self.sigterm if t.get("problem")
        )
        return found


def _nonempty(groups: dict[str, Any]) -> str:
    parts = []
    for k, v in groups.items():
        n = len(v) if isinstance(v, list) else v
        if n:
            parts.append(f"{k}={n}")
    return ", ".join(parts)


def _sample(groups: dict[str, list[str]]) -> str:
    return "; ".join(f"{k}: {len(v)} e.g. {v[:3]}" for k, v in groups.items() if v)


class Run:
    """One campaign: servers, gateways, services, load, faults, checks."""

    def __init__(self, campaign: Campaign, workdir: Path, instance: Instance | None = None):
        self.campaign = campaign
        self.random = random.Random(campaign.seed)
        self.workdir = workdir
        self.instance = instance or Instance()
        self.gateways = Gateways()
        self.auth = AuthSettings(dev_key_path=workdir / "dev-key.pem")
        # Each service's processes, and which one the next request goes to.
        self.services: dict[str, list[Service]] = {}
        self._next_replica: Counter[str] = Counter()
        self.flows: list[Flow] = []
        self.answers: list[Answer] = []
        self.faults: list[FaultRecord] = []
        self.poison_records: list[dict[str, Any]] = []
        self.sigterm: list[dict[str, Any]] = []
        self.replays = 0
        # Dead letters of the wrong-key deploys (ids), and how often replayed.
        self.wrong_key_letters: set[str] = set()
        self.wrong_key_replays = 0
        # The last application waits for the wrong-key deploy, so that deploy
        # always has an application to read, however early the rest finished.
        self.wrong_key_deployed = asyncio.Event()
        self.store_down: tuple[float, float] | None = None
        self.store_outages: list[tuple[float, float]] = []
        self.http: httpx.AsyncClient | None = None
        self.subscription_id = ""
        self._tokens: dict[tuple[Any, ...], dict[str, str]] = {}

    # ---------------------------------------------------------------- set-up

    def bearer(self, role: str, sub: str, **scope: Any) -> dict[str, str]:
        cache_key = (role, sub, tuple(sorted((k, str(v)) for k, v in scope.items())))
        if cache_key not in self._tokens:
            token = mint_dev_token(sub=sub, role=role, settings=self.auth, ttl="8h", **scope)
            self._tokens[cache_key] = {"Authorization": f"Bearer {token}"}
        return self._tokens[cache_key]

    def _contacts_file(self) -> Path:
        """The packaged staff directory with e-mail only: every staff message then
        carries a Message-ID derived from its notification id, which is what lets
        the harness tell a resend from a second message."""
        packaged = files("notification.reference").joinpath("data/contacts.json").read_text()
        document = json.loads(packaged)
        for kind in ("social_worker", "window", "supervisor"):
            for entry in document.get(kind, {}).values():
                entry.pop("chat_id", None)
        path = self.workdir / "contacts.json"
        path.write_text(json.dumps(document))
        return path

    def _service_env(self, name: str) -> dict[str, str]:
        env = dict(os.environ)
        env |= {
            "KAFKA_BOOTSTRAP_SERVERS": self.instance.bootstrap,
            "MONGODB_URL": self.instance.mongodb_url,
            "INSON_AUTH_DEV_KEY_PATH": str(self.auth.dev_key_path),
            "INSON_LOG_JSON": "true",
            "INSON_OUTBOX_SWEEP_INTERVAL_S": "0.5",
            "INSON_OUTBOX_GRACE_S": "0.5",
        }
        if name == "notification":
            env |= {
                "INSON_SMS_GATEWAY_URL": f"{self.gateways.http_url}/sms",
                "INSON_SMS_GATEWAY_TOKEN": "faults",
                "INSON_SMTP_HOST": "127.0.0.1",
                "INSON_SMTP_PORT": str(self.gateways.smtp_port),
                "INSON_CONTACTS_FILE": str(self._contacts_file()),
                "INSON_WEBHOOK_INTERVAL_S": "0.5",
                "INSON_MESSAGE_RETRY_INTERVAL_S": "1",
                "INSON_MESSAGE_BACKOFF_FIRST_S": "0.5",
                "INSON_MESSAGE_BACKOFF_MAX_S": "5",
                "INSON_MESSAGE_MAX_ATTEMPTS": "40",
                "INSON_MESSAGE_LEASE_S": "20",
                "INSON_RECIPIENT_RECHECK_S": "1",
                "INSON_SMS_RATE_PER_S": "1000",
                "INSON_SMS_BURST": "1000",
                "INSON_EMAIL_RATE_PER_S": "1000",
                "INSON_EMAIL_BURST": "1000",
            }
        return env

    async def set_up(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        logs = self.workdir / "logs"
        logs.mkdir(exist_ok=True)
        started = now()
        await self.instance.fresh()
        log(f"fresh Kafka and FerretDB ({self.instance.state}) in {now() - started:.0f}s")
        await self.gateways.start()
        self.bearer("admin", "faults-admin")  # creates the dev key the services read
        for name in SERVICES:
            count = self.campaign.replicas_of(name)
            self.services[name] = [
                Service(name, free_port(), self._service_env(name), logs, replica)
                for replica in ([""] if count == 1 else [str(n) for n in range(1, count + 1)])
            ]
        for process in self.processes():
            await process.start()
        for process in self.processes():
            await process.ready()
        log(f"services ready ({now() - started:.0f}s since the start): {self.campaign.replicas}")
        self.http = httpx.AsyncClient(timeout=httpx.Timeout(20.0, connect=3.0))
        # A partner that verifies signatures and timestamps, as partners must.
        partner = self.bearer("partner_admin", "partner-faults")
        created = await self.call(
            "notification",
            "POST",
            "/v1/subscriptions",
            headers=partner,
            json={"url": f"{self.gateways.http_url}/partner", "event_types": list(PARTNER_TYPES)},
        )
        assert created.status_code == 201, created.text
        self.gateways.partner_secret = created.json()["secret"]
        self.subscription_id = created.json()["id"]

    async def tear_down(self) -> None:
        if self.http is not None:
            await self.http.aclose()
        for process in self.processes():
            await process.stop()
        await self.gateways.stop()
        with contextlib.suppress(Exception):
            await self.instance.remove()

    def processes(self) -> list[Service]:
        return [process for replicas in self.services.values() for process in replicas]

    # ---------------------------------------------------------------- HTTP

    def url_of(self, service: str) -> str:
        """The next of the service's processes, in turn: what a load balancer in
        front of the replicas does (a request to a stopped one is sent again)."""
        replicas = self.services[service]
        self._next_replica[service] += 1
        return replicas[self._next_replica[service] % len(replicas)].url

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        headers: dict[str, str],
        json: Any = None,
        deadline: float | None = None,
    ) -> httpx.Response:
        """One request, repeated while there is no answer or a 503 (the caller's
        retry): what a tablet does. Every answer is recorded."""
        assert self.http is not None
        deadline = deadline or now() + self.campaign.flow_timeout_s
        while True:
            url = self.url_of(service) + path
            try:
                response = await self.http.request(method, url, headers=headers, json=json)
            except httpx.HTTPError as exc:
                self.answers.append(
                    Answer(service, method, path, None, now(), error=type(exc).__name__)
                )
                if now() > deadline:
                    raise
                await asyncio.sleep(0.5)
                continue
            self.answers.append(
                Answer(
                    service,
                    method,
                    path,
                    response.status_code,
                    now(),
                    response.headers.get("retry-after"),
                )
            )
            if response.status_code in (502, 503, 504) and now() < deadline:
                await asyncio.sleep(0.5)
                continue
            return response

    async def case_file(self, flow: Flow, deadline: float) -> dict[str, Any]:
        supervisor = self.bearer("supervisor", f"sup-{flow.district}", district=flow.district)
        got = await self.call(
            "assessment",
            "GET",
            f"/v1/case-files/{flow.case_id}",
            headers=supervisor,
            deadline=deadline,
        )
        return dict(got.json()) if got.status_code == 200 else {}

    async def until(
        self,
        probe: Callable[[], Awaitable[Any]],
        deadline: float,
        what: str,
        pause_s: float = 0.5,
    ) -> Any:
        while True:
            got = await probe()
            if got:
                return got
            if now() > deadline:
                raise TimeoutError(what)
            await asyncio.sleep(pause_s)

    # ---------------------------------------------------------------- one application

    def new_flow(self, index: int) -> Flow:
        district = DISTRICTS[index % len(DISTRICTS)]
        mahallas = mahallas_of(district)
        mahalla = mahallas[self.random.randrange(min(len(mahallas), 8))].code
        return Flow(index, district, mahalla, key=f"faults-{self.campaign.seed}-{index}")

    def application(self, flow: Flow) -> dict[str, Any]:
        rnd = random.Random(f"{self.campaign.seed}/{flow.index}")
        # A birth date of one's own per application (and the PINFL carrying
        # it): no two applicants look alike, so none waits for a confirmation.
        born = date(1930, 1, 1) + timedelta(days=flow.index % 25000)
        pinfl = f"4{born:%d%m%y}{flow.index:07d}"
        last, first = (
            rnd.choice(["Karimova", "Yusupova", "Rahimova", "Tosheva"]),
            rnd.choice(["Saodat", "Muhabbat", "Dilnoza", "Gulnora"]),
        )
        return {
            "channel": "mahalla_tablet",
            "applicant": {
                "pinfl": pinfl,
                "name": {"last_name": last, "first_name": first},
                "birth_date": born.isoformat(),
                "sex": "female",
                "language": rnd.choice(["uz-Latn", "uz-Cyrl", "ru"]),
                "phone": f"+99890{flow.index:07d}",
            },
            "address": {
                "region": REGION_OF[flow.district],
                "district": flow.district,
                "mahalla": flow.mahalla,
            },
            "circumstances": ["lonely_elderly"],
            "consent": {"given": True, "text_version": "2026-01"},
        }

    async def run_flow(self, flow: Flow) -> None:
        deadline = now() + self.campaign.flow_timeout_s
        try:
            await self._flow(flow, deadline)
        except Exception as exc:
            flow.failure = f"{type(exc).__name__}: {exc}"[:300]

    async def _flow(self, flow: Flow, deadline: float) -> None:
        tablet = self.bearer(
            "social_worker", "tablet-faults", mahallas=[flow.mahalla], district=flow.district
        )
        submitted = await self.call(
            "intake",
            "POST",
            "/v1/applications",
            headers=tablet | {"Idempotency-Key": flow.key},
            json=self.application(flow),
            deadline=deadline,
        )
        if submitted.status_code not in (200, 201):
            raise AssertionError(f"submission answered {submitted.status_code}: {submitted.text}")
        flow.case_id = submitted.json()["case_id"]
        flow.application_id = submitted.json().get("application_id")
        flow.accepted_at = now()

        async def assigned() -> dict[str, Any]:
            found = await self.case_file(flow, deadline)
            return found if "visit_at" in found else {}

        found = await self.until(assigned, deadline, "the worker assignment", 1.0)
        flow.mark("assigned")
        worker = self.bearer(
            "social_worker", found["worker_id"], mahallas=[flow.mahalla], district=flow.district
        )
        # A lonely pensioner who walks only with support: drafts are
        # needs-driven, and hers hold three items, the disability allowance at
        # the Social service window and two at the Inson center.
        situation = {
            "members": [
                {
                    "member_ref": "m1",
                    "age": 70 + flow.index % 15,
                    "sex": "female",
                    "employment": "pensioner",
                    "disability_group": "group_2",
                    "functional_limitations": ["walking"],
                }
            ],
            "income_sources": [{"kind": "pension", "monthly_amount_uzs": 3000000}],
            "housing": "adequate",
        }

        async def assessed() -> bool:
            if (await self.case_file(flow, deadline)).get("plan_status", "none") != "none":
                return True
            done = await self.call(
                "assessment",
                "POST",
                f"/v1/cases/{flow.case_id}/assessment/complete",
                headers=worker,
                json={"situation": situation},
                deadline=deadline,
            )
            # 409: the facts have not arrived yet, or an earlier try (whose
            # answer was lost) already completed it; the case file tells.
            if done.status_code not in (200, 409):
                raise AssertionError(f"assessment answered {done.status_code}: {done.text}")
            return done.status_code == 200

        await self.until(assessed, deadline, "the assessment completed")
        flow.mark("assessed")
        supervisor = self.bearer("supervisor", f"sup-{flow.district}", district=flow.district)

        async def approved() -> dict[str, Any]:
            current = await self.case_file(flow, deadline)
            if current.get("plan_status") in ("approved", "completed"):
                return current
            if current.get("plan_status") == "drafted":
                done = await self.call(
                    "assessment",
                    "POST",
                    f"/v1/cases/{flow.case_id}/plan/approve",
                    headers=supervisor,
                    deadline=deadline,
                )
                if done.status_code not in (204, 409):
                    raise AssertionError(f"approval answered {done.status_code}: {done.text}")
            return {}

        plan = await self.until(approved, deadline, "the plan approved")
        flow.plan_id, flow.items = plan["plan_id"], list(plan["items"])
        flow.mark("approved")
        admin = self.bearer("admin", "faults-admin")
        for item in flow.items:
            rid = referral_id(flow.plan_id, item["item_id"])

            async def status(rid: str = rid) -> str:
                got = await self.call(
                    "referral", "GET", f"/v1/referrals/{rid}", headers=admin, deadline=deadline
                )
                return str(got.json()["status"]) if got.status_code == 200 else ""

            await self.until(status, deadline, f"referral {rid} issued")
            flow.mark("issued")
            current = await status()
            for step, reached in REFERRAL_STEPS:
                # The command's answer is the referral's state in the store; the
                # projection behind GET may lag (after an outage, by a lot). A
                # repeated command in the state it leads to changes nothing.
                while REFERRAL_ORDER.index(current) < REFERRAL_ORDER.index(reached):
                    acted = await self.call(
                        "referral",
                        "POST",
                        f"/v1/referrals/{rid}/{step}",
                        headers=admin,
                        json={},
                        deadline=deadline,
                    )
                    if acted.status_code == 200:
                        current = str(acted.json()["status"])
                    elif acted.status_code == 409:
                        await asyncio.sleep(0.5)
                        current = await status()
                    else:
                        raise AssertionError(f"{step} answered {acted.status_code}: {acted.text}")
                    if now() > deadline:
                        raise TimeoutError(f"referral {rid} {step}")

        flow.mark("referrals done")

        async def completed() -> bool:
            return (await self.case_file(flow, deadline)).get("plan_status") == "completed"

        await self.until(completed, deadline, "the plan completed", 1.0)
        flow.completed_at = now()
        flow.mark("completed")

    # ---------------------------------------------------------------- load and faults

    async def drive(self) -> None:
        slots = asyncio.Semaphore(self.campaign.concurrency)
        self.flows = [self.new_flow(i) for i in range(self.campaign.applications)]

        held_back = self.flows[-1] if self.campaign.wrong_keys and self.flows else None

        async def one(flow: Flow) -> None:
            if flow is held_back:
                await self.wrong_key_deployed.wait()
            async with slots:
                await self.run_flow(flow)

        faults = asyncio.create_task(self.inject_faults())
        progress = asyncio.create_task(self._progress())
        try:
            await asyncio.gather(*(one(flow) for flow in self.flows))
            await faults
        finally:
            progress.cancel()
            faults.cancel()

    def accepted(self) -> int:
        return sum(1 for f in self.flows if f.accepted_at is not None)

    async def _progress(self) -> None:
        while True:
            await asyncio.sleep(15)
            done = sum(1 for f in self.flows if f.completed_at is not None)
            failed = sum(1 for f in self.flows if f.failure)
            log(f"accepted {self.accepted()}, completed {done}, failed {failed}")

    def schedule(self) -> list[tuple[str, str]]:
        """The faults in a seeded order: (kind, target)."""
        faults: list[tuple[str, str]] = []
        for _ in range(self.campaign.kill_rounds):
            faults += [("sigkill", s) for s in self.random.sample(SERVICES, len(SERVICES))]
        faults += [("broker-outage", "kafka")] * self.campaign.broker_outages
        faults += [("store-outage", "ferretdb")] * self.campaign.store_outages
        faults += [("sigterm", self.random.choice(SERVICES)) for _ in range(self.campaign.sigterms)]
        faults += [("wrong-key", "notification")] * self.campaign.wrong_keys
        if self.campaign.poison:
            faults.append(("poison", "topics"))
        self.random.shuffle(faults)
        return faults

    async def inject_faults(self) -> None:
        try:
            await self._inject_faults()
        finally:
            self.wrong_key_deployed.set()  # never leave the held-back application waiting

    async def _inject_faults(self) -> None:
        planned = self.schedule()
        log(f"seed {self.campaign.seed}: faults {planned}")
        total = self.campaign.applications
        # Spread over the middle of the run, by progress (applications accepted),
        # so faults land while applications are in every stage of the flow.
        thresholds = sorted(
            int(total * (0.1 + 0.75 * (i + self.random.random()) / len(planned)))
            for i in range(len(planned))
        )
        for (kind, target), threshold in zip(planned, thresholds, strict=True):
            while self.accepted() < threshold and not all(
                f.failure or f.completed_at for f in self.flows
            ):
                await asyncio.sleep(0.2)
            await asyncio.sleep(self.random.uniform(0, 1.5))
            log(f"fault: {kind} {target} (accepted {self.accepted()})")
            record = FaultRecord(kind, target, now())
            self.faults.append(record)
            if kind == "sigkill":
                process = self.random.choice(self.services[target])
                record.target = process.replica
                await process.kill()
                await asyncio.sleep(self.random.uniform(0.5, 2.0))
                record.ended = now()
                await process.start()
            elif kind == "sigterm":
                await self._sigterm(target, record)
            elif kind == "broker-outage":
                await self.instance.down("kafka")
                await asyncio.sleep(self.campaign.broker_outage_s)
                await self.instance.up("kafka")
                record.ended = now()
                record.note = f"down {record.ended - record.started:.0f}s"
            elif kind == "store-outage":
                await self._store_outage(record)
            elif kind == "poison":
                await self.poison()
                record.ended = now()
            elif kind == "wrong-key":
                await self._wrong_key(target, record)
            record.recovered_s = await self.recovered(record)
            log(f"recovered from {kind} {target} in {record.recovered_s:.1f}s")

    async def _sigterm(self, target: str, record: FaultRecord) -> None:
        service = self.random.choice(self.services[target])
        record.target = service.replica
        in_flight_before = len(self.answers)
        took, code = await service.terminate(self.campaign.sigterm_bound_s)
        record.ended = now()
        # What it had read, it must answer: the service's own shutdown record
        # counts the requests still running or cancelled when its lifespan
        # ended. The client's view cannot tell those apart from a request sent
        # on an idle keep-alive connection just as the server closed it, which
        # the server never read (runtime/tests/test_graceful_shutdown.py); the
        # client sends those again, so they are reported, and the flows' own
        # checks catch anything lost.
        no_answer = Counter(
            a.error
            for a in self.answers[in_flight_before:]
            if a.service == target and a.status is None and a.at <= record.ended
        )
        shutdown = service.shutdown_record()
        unanswered = None if shutdown is None else shutdown.get("http_requests_unanswered")
        problem = ""
        if code is None:
            problem = f"still running after {self.campaign.sigterm_bound_s}s"
        elif code not in (0, -signal.SIGTERM):
            # uvicorn re-raises the SIGTERM it handled once shut down: -15 is
            # the graceful end, as 0 would be.
            problem = f"exit code {code}"
        elif unanswered is None:
            problem = "no shutdown record in its log"
        elif unanswered:
            problem = f"{unanswered} requests it had read cut off without an answer"
        record.note = f"stopped in {took:.1f}s, exit {code}"
        self.sigterm.append(
            {
                "service": service.replica,
                "seconds": round(took, 1),
                "exit": code,
                "requests_read_and_unanswered": unanswered,
                "client_requests_without_answer": dict(no_answer),
                "problem": problem,
            }
        )
        await service.start()

    async def _wrong_key(self, target: str, record: FaultRecord) -> None:
        """Deploy ``target`` (every replica) with a wrong KEK for a while, deploy the
        right one again, then replay what it dead-lettered meanwhile, twice."""
        since = datetime.now(UTC)
        replicas = self.services[target]
        right = replicas[0].env.get("INSON_KEK")
        wrong = base64.b64encode(os.urandom(32)).decode()
        await self._deploy(replicas, {**replicas[0].env, "INSON_KEK": wrong})
        self.wrong_key_deployed.set()
        await asyncio.sleep(self.campaign.wrong_key_s)
        env = {k: v for k, v in replicas[0].env.items() if k != "INSON_KEK"}
        await self._deploy(replicas, env if right is None else {**env, "INSON_KEK": right})
        record.ended = now()
        letters = [
            (letter_id, letter)
            for letter_id, letter in await dead_letters(self.instance.bootstrap, since=since)
            if letter.consumer_group.startswith(f"{target}.")
            and letter.reason.startswith("unreadable")
        ]
        self.wrong_key_letters |= {letter_id for letter_id, _ in letters}
        record.note = f"{len(letters)} records dead-lettered"
        # One letter per record: replaying puts the record back for every group.
        chosen: dict[tuple[str, int, int], str] = {}
        for letter_id, letter in letters:
            where = (letter.original_topic, letter.original_partition, letter.original_offset)
            chosen.setdefault(where, letter_id)
        for _ in range(2):
            await self._replay(sorted(chosen.values()))
        self.wrong_key_replays += 2

    async def _deploy(self, replicas: list[Service], env: dict[str, str]) -> None:
        """Stop every replica, start them all with ``env``."""
        for process in replicas:
            await process.stop()
        for process in replicas:
            process.env = dict(env)
            await process.start()
        for process in replicas:
            await process.ready()

    async def _replay(self, letter_ids: list[str]) -> None:
        """``inson-deadletters replay`` of these letters, as an operator runs it."""
        if not letter_ids:
            return
        ids = [arg for letter_id in letter_ids for arg in ("--id", letter_id)]
        env = {**os.environ, "KAFKA_BOOTSTRAP_SERVERS": self.instance.bootstrap}
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "inson_runtime.deadletters",
            "replay",
            *ids,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        out, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"inson-deadletters replay failed: {out.decode()[-2000:]}")
        log(f"inson-deadletters replay: {out.decode().strip()}")

    async def _store_outage(self, record: FaultRecord) -> None:
        await self.instance.down("ferretdb")
        down_at = now()
        self.store_down = (down_at, float("inf"))
        # Meanwhile the APIs are asked as a tablet and a supervisor would.
        probes = asyncio.create_task(self._probe_while_store_down())
        await asyncio.sleep(self.campaign.store_outage_s)
        up_at = now()
        self.store_down = None
        probes.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await probes
        self.store_outages.append((down_at, up_at))
        await self.instance.up("ferretdb")
        record.ended = now()
        record.note = f"down {record.ended - record.started:.0f}s"

    async def _probe_while_store_down(self) -> None:
        assert self.http is not None
        admin = self.bearer("admin", "faults-admin")
        probe_flow = self.new_flow(10**6)
        body = self.application(probe_flow)
        tablet = self.bearer(
            "social_worker",
            "tablet-faults",
            mahallas=[probe_flow.mahalla],
            district=probe_flow.district,
        )
        asks = [
            (
                "intake",
                "POST",
                "/v1/applications",
                tablet | {"Idempotency-Key": "faults-store-outage-probe"},
                body,
            ),
            ("assessment", "GET", f"/v1/case-files/{uuid.uuid4()}", admin, None),
            ("referral", "GET", f"/v1/referrals/{uuid.uuid4()}", admin, None),
            ("notification", "GET", "/v1/subscriptions", self.bearer("partner_admin", "p"), None),
        ]
        await asyncio.sleep(1.0)  # the drivers notice the server is gone
        http = self.http

        async def ask(service: str, method: str, path: str, headers: Any, body_: Any) -> None:
            while True:
                url = self.url_of(service) + path
                try:
                    got = await http.request(method, url, headers=headers, json=body_)
                    status, retry = got.status_code, got.headers.get("retry-after")
                    error = got.text[:200] if status != 503 else ""
                except httpx.HTTPError as exc:
                    status, retry, error = None, None, type(exc).__name__
                self.answers.append(
                    Answer(service, method, f"probe:{path}", status, now(), retry, error)
                )
                await asyncio.sleep(0.5)

        # Each service asked in a loop of its own: an answer takes the
        # driver's server selection timeout (5 s) while the store is down.
        await asyncio.gather(*(ask(*one) for one in asks))

    async def recovered(self, record: FaultRecord) -> float:
        """Seconds from the fault's end until every service answers /readyz (its
        store and broker reachable); ``record.flowing_s`` is until a plan is
        completed again (the whole chain moves)."""
        for process in self.processes():
            await process.ready(timeout_s=180)
        ready_s = now() - record.ended
        asyncio.get_running_loop().create_task(self._flowing_again(record))
        return ready_s

    async def _flowing_again(self, record: FaultRecord) -> None:
        while now() - record.ended < 600:
            if any((f.completed_at or 0) > record.ended for f in self.flows):
                record.flowing_s = now() - record.ended
                return
            if all(f.failure or f.completed_at for f in self.flows):
                return
            await asyncio.sleep(0.2)

    # ---------------------------------------------------------------- poison

    async def poison(self) -> None:
        """On each event topic: a record that is not a CloudEvent and a CloudEvent of
        an unknown future version, keyed like a busy stream so they sit in a
        partition that carries the run's traffic."""
        producer = AIOKafkaProducer(bootstrap_servers=self.instance.bootstrap, acks="all")
        await producer.start()
        try:
            # Streams still in flight: their next events come after the poison in
            # its partition, so their completing shows the partition moved on.
            keys = [f.case_id for f in self.flows if f.case_id and not f.completed_at] or [
                f.case_id for f in self.flows if f.case_id
            ]
            keys = keys or [str(uuid.uuid4())]
            for topic in EVENT_TOPICS:
                key = self.random.choice(keys)
                future = Envelope(
                    id=str(uuid.uuid4()),
                    source="inson/faults",
                    type=f"uz.inson.{topic.split('.')[1]}.sample.recorded.v9",
                    time=datetime.now(UTC),
                    subject=key,
                    streamversion=1,
                    data={"from": "a newer producer"},
                )
                _, headers, value = to_kafka(future)
                sent = [
                    await producer.send_and_wait(
                        topic, b"{not json", key=key.encode(), headers=[("x-faults", b"malformed")]
                    ),
                    await producer.send_and_wait(
                        topic,
                        value,
                        key=key.encode(),
                        headers=[(k, v.encode()) for k, v in headers.items()]
                        + [("x-faults", b"future-version")],
                    ),
                ]
                for what, meta in zip(("malformed", "future-version"), sent, strict=True):
                    self.poison_records.append(
                        {
                            "what": what,
                            "topic": topic,
                            "partition": meta.partition,
                            "offset": meta.offset,
                        }
                    )
        finally:
            await producer.stop()

    # ---------------------------------------------------------------- settle and count

    async def settle(self, quiet_s: float = 180.0) -> None:
        """Wait until every message and partner delivery is out and every group has
        read its topics to the end: nothing more can happen.

        A platform that ran behind under the campaign's load catches up here:
        the wait goes on while the backlog shrinks, and gives up only after
        ``quiet_s`` without progress (the counts then show what is missing).
        """
        client = connect(self.instance.mongodb_url)
        db = client["inson_notification"]
        started = now()
        best = None
        last_progress = now()
        try:
            while now() - last_progress < quiet_s:
                pending = await db["deliveries"].count_documents({"status": {"$ne": "sent"}})
                # Sent but its NotificationSent not yet an event on the topic.
                pending += await db["deliveries"].count_documents({"unrecorded": True})
                # Commits not yet on Kafka (their outbox marker is still on).
                pending += await db["event_commits"].count_documents({"pending": True})
                # Waiting for its recipient to become known.
                pending += await db["deferred_events"].count_documents({})
                outbox = await db["webhook_outbox"].count_documents({"state": {"$ne": "delivered"}})
                lags = await self.group_lags()
                backlog = pending + outbox + sum(lags.values())
                if backlog == 0:
                    log(f"settled in {now() - started:.0f}s")
                    return
                if best is None or backlog < best:
                    best, last_progress = backlog, now()
                await asyncio.sleep(2)
            behind = {g: n for g, n in lags.items() if n}
            log(
                f"not settled: no progress for {quiet_s:.0f}s: messages {pending}, "
                f"webhooks {outbox}, lag by group {behind}"
            )
        finally:
            await client.close()

    async def group_lags(self) -> dict[str, int]:
        """Records each consumer group has still to read, by group."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.instance.bootstrap)
        await admin.start()
        reader = AIOKafkaConsumer(bootstrap_servers=self.instance.bootstrap)
        await reader.start()
        try:
            lags: dict[str, int] = {}
            for group in await self.groups(admin):
                offsets = await admin.list_consumer_group_offsets(group)
                ends = await reader.end_offsets(list(offsets))
                lags[group] = sum(max(0, ends[tp] - meta.offset) for tp, meta in offsets.items())
            return lags
        finally:
            await reader.stop()
            await admin.close()

    async def groups(self, admin: AIOKafkaAdminClient) -> list[str]:
        listed = await admin.list_consumer_groups()
        return sorted(g[0] for g in listed)

    async def group_topics(self) -> dict[str, set[str]]:
        """Which topics each consumer group has committed offsets on (the broker's word)."""
        admin = AIOKafkaAdminClient(bootstrap_servers=self.instance.bootstrap)
        await admin.start()
        try:
            found: dict[str, set[str]] = defaultdict(set)
            for group in await self.groups(admin):
                for tp in await admin.list_consumer_group_offsets(group):
                    found[tp.topic].add(group)
            return found
        finally:
            await admin.close()

    async def read_topic(self, topic: str) -> tuple[list[Envelope], int]:
        """Every readable envelope on ``topic`` from offset 0, and how many were not."""
        reader = AIOKafkaConsumer(bootstrap_servers=self.instance.bootstrap)
        await reader.start()
        found: list[Envelope] = []
        unreadable = 0
        try:
            tps = await partitions_of(reader, topic)
            reader.assign(tps)
            await reader.seek_to_beginning(*tps)
            ends = await reader.end_offsets(tps)
            remaining = {tp for tp in tps if ends[tp] > 0}
            while remaining:
                batches = await reader.getmany(*remaining, timeout_ms=1000)
                for records in batches.values():
                    for record in records:
                        try:
                            found.append(from_kafka(record.headers, record.value))
                        except EnvelopeError:
                            unreadable += 1
                for tp in list(remaining):
                    if await reader.position(tp) >= ends[tp]:
                        remaining.discard(tp)
        finally:
            await reader.stop()
        return found, unreadable

    async def count(self, seconds: float) -> Report:
        topics = {t: (await self.read_topic(t))[0] for t in EVENT_TOPICS}
        by_type: dict[str, list[Envelope]] = defaultdict(list)
        for envelopes in topics.values():
            for envelope in envelopes:
                by_type[envelope.type].append(envelope)

        def effects(event_type: str, *fields: str) -> dict[tuple[str, ...], set[str]]:
            """Distinct event ids per effect key: two records with one id are one
            effect published twice (at-least-once); two ids are two effects."""
            grouped: dict[tuple[str, ...], set[str]] = defaultdict(set)
            for envelope in by_type[event_type]:
                grouped[tuple(str(envelope.data[f]) for f in fields)].add(envelope.id)
            return grouped

        opened = effects(CaseOpened.TYPE, "case_id")
        submitted = effects(ApplicationSubmitted.TYPE, "application_id")
        assigned = effects(SocialWorkerAssigned.TYPE, "case_id")
        approved = effects(PlanApproved.TYPE, "case_id")
        items_done = effects(PlanItemCompleted.TYPE, "plan_id", "item_id")
        plans_done = effects(PlanCompleted.TYPE, "plan_id")
        issued = effects(ReferralIssued.TYPE, "referral_id")
        referrals_done = effects(ReferralCompleted.TYPE, "referral_id")
        notified = effects(NotificationSent.TYPE, "notification_id")
        per_cause = effects(NotificationSent.TYPE, "cause_event_id", "recipient_kind", "channel")

        doubled: dict[str, list[str]] = {
            "case": [k[0] for k, ids in opened.items() if len(ids) > 1],
            "application": [k[0] for k, ids in submitted.items() if len(ids) > 1],
            "assignment": [k[0] for k, ids in assigned.items() if len(ids) > 1],
            "plan": [k[0] for k, ids in approved.items() if len(ids) > 1],
            "plan item": ["/".join(k) for k, ids in items_done.items() if len(ids) > 1],
            "plan completed": [k[0] for k, ids in plans_done.items() if len(ids) > 1],
            "referral": [k[0] for k, ids in issued.items() if len(ids) > 1],
            "referral completed": [k[0] for k, ids in referrals_done.items() if len(ids) > 1],
            "notification": [k[0] for k, ids in notified.items() if len(ids) > 1]
            + ["/".join(k) for k, ids in per_cause.items() if len(ids) > 1],
        }

        # Projections, each service's own database.
        client = connect(self.instance.mongodb_url)
        try:
            intake_cases = {d["_id"] async for d in client["inson_intake"]["cases"].find({})}
            case_files = {
                d["_id"]: d async for d in client["inson_assessment"]["case_files"].find({})
            }
            referral_docs = {
                d["_id"]: d async for d in client["inson_referral"]["referrals"].find({})
            }
            deliveries = [d async for d in client["inson_notification"]["deliveries"].find({})]
            parked = {
                d["_id"] async for d in client["inson_notification"]["deferred_events"].find({})
            }
            outbox = [d async for d in client["inson_notification"]["webhook_outbox"].find({})]
        finally:
            await client.close()

        lost: dict[str, list[str]] = defaultdict(list)
        accepted = [f for f in self.flows if f.accepted_at is not None]
        for flow in accepted:
            case = str(flow.case_id)
            if (case,) not in opened or case not in intake_cases:
                lost["case"].append(case)
                continue
            if (case,) not in approved:
                lost["plan"].append(case)
                continue
            plan_event = next(e for e in by_type[PlanApproved.TYPE] if e.data["case_id"] == case)
            plan_id = plan_event.data["plan_id"]
            items = [i["item_id"] for i in plan_event.data["items"]]
            for item in items:
                rid = referral_id(plan_id, item)
                if (rid,) not in issued or rid not in referral_docs:
                    lost["referral"].append(rid)
                elif (rid,) not in referrals_done:
                    lost["referral completed"].append(rid)
                elif (plan_id, item) not in items_done:
                    lost["plan item"].append(f"{plan_id}/{item}")
            if (plan_id,) not in plans_done or case_files.get(case, {}).get("plan_status") != (
                "completed"
            ):
                lost["plan completed"].append(case)

        # Every event that calls for a message has one, sent or given up on
        # (every recipient here has a contact point): a dead letter never
        # replayed, or a replay that did not take, shows up here.
        told = {
            (e.data["cause_event_id"], e.data["recipient_kind"])
            for t in (NotificationSent.TYPE, NotificationFailed.TYPE)
            for e in by_type[t]
        }
        causes: dict[str, Envelope] = {}
        for topic, envelopes in topics.items():
            if topic != NOTIFICATIONS.name:
                causes |= {e.id: e for e in envelopes if e.type in REGISTRY}
        for envelope in causes.values():
            event = REGISTRY.parse(envelope.type, envelope.data)
            for intent in intents_for(event, envelope.subject or ""):
                if (envelope.id, intent.kind.value) not in told:
                    where = _message_trail(envelope.id, intent.kind.value, deliveries, parked)
                    lost["message"].append(
                        f"{envelope.type} {envelope.id} to {intent.kind.value} ({where})"
                    )

        # Every message in the log went out, and the provider has it.
        keys = Counter(r.key for r in self.gateways.receipts)
        lost["message"] += [d["_id"] for d in deliveries if d.get("status") != "sent"]
        for envelope in by_type[NotificationSent.TYPE]:
            nid = envelope.data["notification_id"]
            key = nid if envelope.data["channel"] == "sms" else f"<{nid}@notification.inson>"
            if keys[key] == 0:
                lost["message"].append(nid)
        # Every event the partner subscribed to reached it.
        subscribed = {e.id for t in PARTNER_TYPES for e in by_type[t]}
        lost["partner delivery"] += sorted(subscribed - set(keys))
        lost["partner delivery"] += [d["_id"] for d in outbox if d.get("state") != "delivered"]
        entries_per_event = Counter(d["event_id"] for d in outbox)
        doubled["partner delivery"] = [k for k, n in entries_per_event.items() if n > 1]

        resent: dict[str, int] = {}
        for channel in ("sms", "email", "webhook"):
            per_key = Counter(r.key for r in self.gateways.receipts if r.channel == channel)
            resent[channel] = sum(n - 1 for n in per_key.values() if n > 1)

        poison, valid_letters = await self.check_dead_letters()
        outage_answers: dict[str, Counter[str]] = defaultdict(Counter)
        for start, end in self.store_outages:
            for a in self.answers:
                # The second after the stop and before the start is a race
                # with connections already open; judged on the rest.
                if start + 1.0 <= a.at <= end:
                    outage_answers[a.service][_answer_kind(a)] += 1
        odd = [
            a for a in self.answers if a.path.startswith("probe:") and a.status not in (None, 503)
        ]
        if odd:
            log(f"odd answers to probes: {[(a.service, a.status, a.error) for a in odd[:5]]}")
        server_errors = [
            f"{a.service} {a.method} {a.path} -> {a.status}"
            for a in self.answers
            if a.status is not None and a.status >= 500 and a.status != 503
        ]
        counts = {
            "cases": len(opened),
            "plans": len(approved),
            "referrals": len(issued),
            "referrals completed": len(referrals_done),
            "plans completed": len(plans_done),
            "notifications": len(notified),
            "partner deliveries": len(
                {r.key for r in self.gateways.receipts if r.channel == "webhook"}
            ),
            "partner deliveries refused as badly signed": self.gateways.bad_signatures,
            "answers": len(self.answers),
        }
        return Report(
            seed=self.campaign.seed,
            campaign=self.campaign,
            faults=self.faults,
            applications=self.campaign.applications,
            accepted=len(accepted),
            completed=sum(1 for f in self.flows if f.completed_at is not None),
            lost={k: v for k, v in lost.items()},
            doubled=doubled,
            resent_same_key=resent,
            dead_lettered_valid=valid_letters,
            poison=poison,
            outage_answers=dict(outage_answers),
            server_errors=server_errors,
            sigterm=self.sigterm,
            counts=counts,
            seconds=seconds,
        )

    async def replay_poison(self, times: int = 2) -> None:
        """Replay the poison's dead letters (those of one group per record) with
        ``inson-deadletters replay``, ``times`` over, as an operator would: each
        replay puts the record back once, every group reading the topic
        dead-letters it again with the same reason, and nothing else moves."""
        letters = await dead_letters(self.instance.bootstrap)
        chosen: dict[tuple[str, int, int], str] = {}
        for letter_id, letter in sorted(letters, key=lambda x: x[1].consumer_group):
            where = (letter.original_topic, letter.original_partition, letter.original_offset)
            if letter.original_headers.get("x-faults"):
                chosen.setdefault(where, letter_id)
        for _ in range(times):
            await self._replay(list(chosen.values()))
        self.replays = times

    async def check_dead_letters(self) -> tuple[dict[str, Any], list[str]]:
        letters = await dead_letters(self.instance.bootstrap)
        readers = await self.group_topics()
        # A poison record and its replayed copies: (topic, what) -> groups per copy.
        copies: dict[tuple[str, str], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
        valid: list[str] = []
        problems: list[str] = []
        wrong_key = 0
        for letter_id, letter in letters:
            what = letter.original_headers.get("x-faults")
            if letter_id in self.wrong_key_letters:
                # Valid records a wrongly keyed deploy could not read, replayed
                # after the fix; a replayed copy dead-lettered again would have
                # an id of its own and count as valid below.
                wrong_key += 1
                continue
            if what is None:
                where = (letter.original_topic, letter.original_partition, letter.original_offset)
                valid.append(f"{letter.consumer_group} {where}: {letter.reason[:120]}")
                continue
            copies[(letter.original_topic, what)][letter.original_offset].add(letter.consumer_group)
            want = "not a CloudEvent" if what == "malformed" else "unknown event type"
            if not letter.reason.startswith(want):
                problems.append(f"{what} on {letter.original_topic}: {letter.reason!r}")
        expected = 0
        for record in self.poison_records:
            topic = record["topic"]
            groups = readers.get(topic, set())
            seen = copies[(topic, record["what"])]
            want_copies = (1 + self.replays) if groups else 0
            expected += len(groups) * want_copies
            if len(seen) != want_copies or any(g != groups for g in seen.values()):
                problems.append(
                    f"{record['what']} on {topic}: {len(seen)} copies dead-lettered "
                    f"(want {want_copies}) by {[sorted(g) for g in seen.values()]}, "
                    f"read by {sorted(groups)}"
                )
        if self.campaign.wrong_keys and not wrong_key:
            problems.append("the wrong-key deploy dead-lettered nothing: no replay was tested")
        summary = {
            "records": len(self.poison_records),
            "replays": self.replays,
            "wrong_key_letters": wrong_key,
            "wrong_key_replays": self.wrong_key_replays,
            "letters": sum(len(g) for c in copies.values() for g in c.values()),
            "expected_letters": expected,
            "unread_topics": sorted(
                {r["topic"] for r in self.poison_records if not readers.get(r["topic"])}
            ),
            "problems": problems,
        }
        return summary, valid


def _medians(steps: list[dict[str, float]]) -> dict[str, float]:
    values: dict[str, list[float]] = defaultdict(list)
    for one in steps:
        for step, seconds in one.items():
            values[step].append(seconds)
    return {k: sorted(v)[len(v) // 2] for k, v in values.items()}


def _answer_kind(answer: Answer) -> str:
    if answer.status is None:
        return "none"
    if answer.status == 503:
        return "503+retry-after" if answer.retry_after else "503 without retry-after"
    return str(answer.status)


@contextlib.asynccontextmanager
async def campaign_run(campaign: Campaign, workdir: Path) -> AsyncIterator[Run]:
    run = Run(campaign, workdir)
    try:
        await run.set_up()
        yield run
    finally:
        await run.tear_down()


async def execute(campaign: Campaign, workdir: Path) -> Report:
    """Run a campaign from empty servers to its report (servers stopped after)."""
    started = now()
    async with campaign_run(campaign, workdir) as run:
        await run.drive()
        await run.settle()
        if campaign.poison:
            await run.replay_poison()
            await run.settle()
        report = await run.count(now() - started)
    report.flow_failures = [f"#{f.index}: {f.failure}" for f in run.flows if f.failure]
    print(report.table(), flush=True)
    details = {
        "faults": [f.__dict__ for f in report.faults],
        "sigterm": report.sigterm,
        "poison": report.poison,
        "store outage answers": {k: dict(v) for k, v in report.outage_answers.items()},
        "counts": report.counts,
        "flow failures": report.flow_failures[:20],
        "median seconds to each step": _medians([f.steps for f in run.flows]),
        "problems": report.problems(),
    }
    print(json.dumps(details, default=str, indent=1), flush=True)
    return report


def _message_trail(
    cause_id: str, kind: str, deliveries: list[dict[str, Any]], parked: set[str]
) -> str:
    """Where a missing message got to in notification's own store (for the report)."""
    found = [d for d in deliveries if d.get("cause_event_id") == cause_id and d.get("kind") == kind]
    if found:
        d = found[0]
        return (
            f"in the log: {d.get('status')}, {len(d.get('outcomes', []))} outcome(s), "
            f"{d.get('recorded', 0)} recorded"
        )
    if cause_id in parked:
        return "parked, waiting for its recipient"
    return "not in the delivery log"
