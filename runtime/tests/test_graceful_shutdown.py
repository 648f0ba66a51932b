"""SIGTERM with clients on keep-alive connections, on a real uvicorn process.

The fault suite judges a service's SIGTERM by the service's own shutdown
record (requests read but never answered), not by the errors its clients saw.
This is why: uvicorn answers every request it has read, but closes idle
keep-alive connections at once, and a request a client sent on one just then
fails on the client side although the server never read it.
"""

from __future__ import annotations

import asyncio
import json
import random
import signal
import sys
import uuid
from pathlib import Path

import httpx
from inson_runtime.testing import free_port

SERVER = Path(__file__).with_name("_keepalive_server.py")


async def test_sigterm_answers_every_request_read_and_fails_only_requests_never_read(
    tmp_path: Path,
) -> None:
    port, record = free_port(), tmp_path / "record"
    record.touch()
    server = await asyncio.create_subprocess_exec(sys.executable, str(SERVER), str(port), record)
    url = f"http://127.0.0.1:{port}/work"
    failed: list[str] = []
    answered: list[str] = []
    stop = asyncio.Event()

    async def client(http: httpx.AsyncClient) -> None:
        while not stop.is_set():
            request = uuid.uuid4().hex
            try:
                await http.post(url, headers={"x-request": request})
                answered.append(request)
            except httpx.HTTPError:
                failed.append(request)
                await asyncio.sleep(0.5)
            # Pauses leave connections idle, as tablets do between requests.
            await asyncio.sleep(random.uniform(0, 0.05))

    async with httpx.AsyncClient(timeout=httpx.Timeout(20, connect=3)) as http:
        for _ in range(100):
            try:
                await http.post(url, headers={"x-request": "warm-up"})
                break
            except httpx.TransportError:
                await asyncio.sleep(0.1)
        clients = [asyncio.create_task(client(http)) for _ in range(48)]
        await asyncio.sleep(1.0)
        server.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(server.wait(), 30)
        await asyncio.sleep(0.6)
        stop.set()
        await asyncio.gather(*clients)

    assert code in (0, -signal.SIGTERM)
    lines = record.read_text().splitlines()
    shutdown = json.loads(lines[-1])
    read = set(lines[:-1])
    assert answered and failed  # requests flowed, and the SIGTERM refused some
    assert shutdown["unanswered"] == 0
    assert read.isdisjoint(failed), "a request the server read got no answer"
    assert shutdown["answered"] == len(read)
