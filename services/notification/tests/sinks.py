"""The dev stand-ins (``python -m devsinks``, at the checkout's root) as the tests run
them: a real process on free ports, read through its own HTTP API, as on `make run`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from inson_runtime.testing import free_port

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class DevSinks:
    url: str
    smtp_port: int
    http: httpx.AsyncClient

    @property
    def sms_url(self) -> str:
        return f"{self.url}/sms"

    async def messages(self, **where: str) -> list[dict[str, Any]]:
        """Every receipt, oldest first; ``where`` filters by field (``to=``, ``channel=``)."""
        answer = await self.http.get(f"{self.url}/messages", params=where)
        answer.raise_for_status()
        return list(answer.json())

    async def texts(self, **where: str) -> list[str]:
        return [m["text"] for m in await self.messages(**where) if m["accepted"]]

    async def fail(self, channel: str, status: int, times: int = 1, ok_false: bool = False) -> None:
        plan = {"channel": channel, "status": status, "times": times, "ok_false": ok_false}
        (await self.http.post(f"{self.url}/control/fail", json=plan)).raise_for_status()


@contextlib.asynccontextmanager
async def running_devsinks(
    mongodb_url: str | None = None,
    database: str = "inson_notification",
    *,
    sms_token: str | None = None,
    bot_token: str | None = None,
) -> AsyncIterator[DevSinks]:
    """The stand-in process, joined with notification's delivery log in ``database``."""
    port, smtp_port = free_port(), free_port()
    args = ["--http-port", str(port), "--smtp-port", str(smtp_port)]
    args += ["--mongodb-url", mongodb_url or "", "--notification-database", database]
    if sms_token:
        args += ["--sms-token", sms_token]
    if bot_token:
        args += ["--bot-token", bot_token]
    # Its log goes to a file: a pipe nobody reads would block it once full.
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed in finally)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "devsinks",
        *args,
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=output,
        stderr=output,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            for _ in range(200):
                if process.returncode is not None:
                    output.seek(0)
                    raise RuntimeError(f"devsinks exited: {output.read().decode()[-2000:]}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"{url}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
            else:
                raise RuntimeError("devsinks did not answer within 10 s")
            yield DevSinks(url, smtp_port, http)
    finally:
        if process.returncode is None:
            process.terminate()
            try:
                await asyncio.wait_for(process.wait(), timeout=10)
            except TimeoutError:
                process.kill()
                await process.wait()
        output.close()
