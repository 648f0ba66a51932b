"""Intake, assessment and referral as real processes for P2 and P4, one or more of each.

Every process of a service runs under the same service name, so the replicas
share its database and its consumer groups (Kafka splits the partitions
between them) as replicas in a cluster do; each listens on a port of its
own, and the driver sends its requests to them in turn (:meth:`Platform.url`),
as a load balancer in front of them would.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import tempfile
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.mongo import connect
from inson_runtime.testing import start_groups_at_end

SERVICES = ("intake", "assessment", "referral")
# The first replica's port; the n-th listens REPLICA_STEP * n above it.
PORTS = {"intake": 18101, "assessment": 18102, "referral": 18103}
REPLICA_STEP = 10


@dataclass
class Platform:
    names: dict[str, str]  # service -> the service name its processes run under
    key_dir: Path  # the development signing key, and the processes' logs
    ports: dict[str, list[int]]  # service -> its replicas' ports
    pids: dict[str, list[int]] = field(default_factory=dict)  # service -> its processes
    _turn: Counter[str] = field(default_factory=Counter)

    @property
    def replicas(self) -> int:
        return len(self.ports["intake"])

    def url(self, svc: str, path: str) -> str:
        """``path`` on the service's next replica, in turn."""
        ports = self.ports[svc]
        self._turn[svc] += 1
        return f"http://127.0.0.1:{ports[self._turn[svc] % len(ports)]}{path}"

    def auth(self) -> AuthSettings:
        return AuthSettings(dev_key_path=self.key_dir / "dev-key.pem")


@contextlib.asynccontextmanager
async def platform(bootstrap: str, mongo_url: str, replicas: int = 1) -> AsyncIterator[Platform]:
    """The three services, ``replicas`` processes each, ready; stopped and dropped after."""
    run = uuid.uuid4().hex[:6]
    key_dir = Path(tempfile.mkdtemp(prefix="inson-bench-"))
    names = {svc: f"bench-{svc}-{run}" for svc in SERVICES}
    ports = {svc: [PORTS[svc] + REPLICA_STEP * n for n in range(replicas)] for svc in SERVICES}
    await _groups_at_end(bootstrap, mongo_url, names)
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
        "MONGODB_URL": mongo_url,
        "INSON_AUTH_DEV_KEY_PATH": str(key_dir / "dev-key.pem"),
        "INSON_LOG_LEVEL": "WARNING",
    }
    made = Platform(names, key_dir, ports)
    mint_dev_token(sub="warm-up", role="admin", settings=made.auth())  # creates the key
    processes = []
    try:
        for svc in SERVICES:
            for n, port in enumerate(ports[svc]):
                service_env = {**env, "INSON_SERVICE_NAME": names[svc]}
                processes.append(_spawn(svc, n, port, service_env, key_dir))
                made.pids.setdefault(svc, []).append(processes[-1].pid)
        async with httpx.AsyncClient(timeout=5) as http:
            for port in (port for svc in SERVICES for port in ports[svc]):
                await _ready(http, port, key_dir)
        yield made
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        client = connect(mongo_url)
        for name in names.values():
            await client.drop_database(f"inson_{name}")
        await client.close()


async def _groups_at_end(bootstrap: str, mongo_url: str, names: dict[str, str]) -> None:
    """Fresh groups would replay every event on the shared topics first: start
    them at the end, as the services' own tests do."""
    from assessment.main import compose as compose_assessment
    from assessment.settings import Settings as AssessmentSettings
    from intake.main import compose as compose_intake
    from intake.settings import Settings as IntakeSettings
    from referral.main import compose as compose_referral
    from referral.settings import Settings as ReferralSettings

    kafka, mongo = bootstrap, mongo_url
    runtimes = [
        compose_intake(
            IntakeSettings(
                service_name=names["intake"], kafka_bootstrap_servers=kafka, mongodb_url=mongo
            )
        ),
        compose_assessment(
            AssessmentSettings(
                service_name=names["assessment"], kafka_bootstrap_servers=kafka, mongodb_url=mongo
            )
        ),
        compose_referral(
            ReferralSettings(
                service_name=names["referral"], kafka_bootstrap_servers=kafka, mongodb_url=mongo
            )
        ),
    ]
    for runtime, _ in runtimes:
        await start_groups_at_end(bootstrap, runtime.consumers)


async def _ready(http: httpx.AsyncClient, port: int, key_dir: Path) -> None:
    for _ in range(240):
        with contextlib.suppress(httpx.HTTPError):
            if (await http.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                return
        await asyncio.sleep(0.25)
    raise RuntimeError(f"service on {port} not ready (logs in {key_dir})")


def _spawn(
    svc: str, replica: int, port: int, env: dict[str, str], log_dir: Path
) -> subprocess.Popen[bytes]:
    with open(log_dir / f"{svc}-{replica + 1}.log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", f"{svc}.main", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
