"""The command line every service shares: ``serve`` and ``rebuild <projection>``."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Sequence
from typing import TypeVar

import uvicorn
from fastapi import FastAPI

from inson_runtime.progress import Progress
from inson_runtime.projections import rebuild
from inson_runtime.service import Runtime
from inson_runtime.settings import ServiceSettings

S = TypeVar("S", bound=ServiceSettings)
# A service's composition root: its own settings in, (runtime, app) out.
Compose = Callable[[S], tuple[Runtime, FastAPI]]


def service_cli(
    prog: str, settings: S, compose: Compose[S], argv: Sequence[str] | None = None
) -> int:
    parser = argparse.ArgumentParser(prog=prog)
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the HTTP API, consumers and outbox relay")
    serve.add_argument("--host", default=settings.http_host)
    serve.add_argument("--port", type=int, default=settings.http_port)
    rebuild_cmd = commands.add_parser(
        "rebuild", help="drop a projection's collections and replay its topics into them"
    )
    rebuild_cmd.add_argument("projection", nargs="?", help="name; omit to list them")
    args = parser.parse_args(argv)

    runtime, app = compose(settings)
    if args.command == "rebuild":
        return asyncio.run(_rebuild(runtime, args.projection))
    uvicorn.run(
        app,
        host=getattr(args, "host", settings.http_host),
        port=getattr(args, "port", settings.http_port),
        log_config=None,  # logging is structlog's, configured by the runtime
        timeout_graceful_shutdown=20,
    )
    return 0


async def _rebuild(runtime: Runtime, name: str | None) -> int:
    by_name = {p.name: p for p in runtime.projections}
    if name not in by_name:
        print("projections:", ", ".join(sorted(by_name)) or "(none yet)")
        return 0 if name is None else 2
    await runtime.broker.connect()  # the dead-letter publisher needs a producer
    # On stderr: stdout keeps the one result line.
    progress = Progress(f"rebuild {name}")
    try:
        report = await rebuild(
            by_name[name],
            runtime.db,
            bootstrap_servers=runtime.settings.kafka_bootstrap_servers,
            service=runtime.service,
            publisher=runtime.publisher,
            security=runtime.settings.kafka_security(),
            sealer=runtime.sealer,
            progress=progress,
        )
    finally:
        progress.close()
        await runtime.broker.stop()
        await runtime.mongo.close()
    print(
        f"rebuilt {name}: {report.events} events in {report.seconds:.1f}s "
        f"({report.events_per_second:.0f}/s) {report.outcomes}"
    )
    return 0
