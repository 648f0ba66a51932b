"""A uvicorn server with the runtime's request middleware, for the graceful-shutdown test.

argv: port, path of the file that gets one line per request read and the
ledger as JSON at lifespan shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
from collections.abc import AsyncIterator

import uvicorn
from fastapi import FastAPI, Request
from inson_runtime.observability import install_observability

port, record_path = int(sys.argv[1]), sys.argv[2]
record = open(record_path, "a", buffering=1)  # noqa: SIM115 - open for the process's life


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    ledger = app.state.http_requests
    record.write(json.dumps({"answered": ledger.answered, "unanswered": ledger.unanswered}) + "\n")


app = FastAPI(lifespan=lifespan)


@app.post("/work")
async def work(request: Request) -> dict[str, bool]:
    record.write(request.headers["x-request"] + "\n")
    await asyncio.sleep(0.03)
    return {"ok": True}


install_observability(app, "keepalive-test")
uvicorn.run(app, host="127.0.0.1", port=port, timeout_graceful_shutdown=20, log_level="warning")
