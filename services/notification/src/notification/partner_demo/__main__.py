"""``python -m notification.partner_demo`` (``make partner-demo``): a partner's webhook
receiver on the loopback, subscribed through the notification API, printing what arrives.

    make run                      # the services, in the development profile
    make partner-demo             # in another terminal; Ctrl-C stops it
    make partner-demo ARGS="--share applicant.name --share applicant.phone"
    make partner-demo ARGS="--circumstance-category child_protection --region 1718"

Steps: start the verifying receiver on 127.0.0.1 (the first free port of
8210-8219); subscribe it as partner administrator ``partner-demo`` (a dev
token); as administrator ``admin-demo`` set its data-sharing level (none,
or the ``--share`` fields); submit one application through intake so
something happens (``--no-submit`` to only listen); print every delivery,
signature checked; delete the subscription on the way out (``--keep`` not
to). Plain http to the loopback is what the development profile allows; a
service in production refuses it (``INSON_PROFILE``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import socket
import sys
from collections.abc import AsyncIterator, Iterator, Sequence

import httpx
import uvicorn

from notification.partner_demo.demo import Demo, DemoError, Filters, Sharing
from notification.partner_demo.receiver import Receiver

PORTS = range(8210, 8220)


def _say(line: str) -> None:
    print(f"[partner-demo] {line}", flush=True)


def _show(line: str) -> None:
    print(line, flush=True)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="make partner-demo ARGS=...",
        description="A verifying webhook receiver on the loopback, subscribed through the "
        "notification API; prints every delivery.",
    )
    parser.add_argument("--notification", default="http://127.0.0.1:8004")
    parser.add_argument("--intake", default="http://127.0.0.1:8001")
    parser.add_argument("--port", type=int, help="the receiver's port (default: 8210-8219)")
    parser.add_argument("--type", dest="types", action="append", default=[], help="repeatable")
    parser.add_argument("--region", action="append", default=[])
    parser.add_argument("--district", action="append", default=[])
    parser.add_argument("--circumstance-category", action="append", default=[])
    parser.add_argument("--service-category", action="append", default=[])
    parser.add_argument(
        "--share", action="append", default=[], help="a personal field the admin allows"
    )
    parser.add_argument("--agreement", default="DEMO-DSA-1")
    parser.add_argument("--no-submit", dest="submit", action="store_false")
    parser.add_argument("--seconds", type=float, help="stop after this long (default: Ctrl-C)")
    parser.add_argument("--count", type=int, help="stop after this many deliveries")
    parser.add_argument("--keep", action="store_true", help="keep the subscription at the end")
    return parser


def _free_port(wanted: int | None) -> int:
    for port in [wanted] if wanted else PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise DemoError(f"no free port among {wanted or 'ports 8210-8219'}")


class _Server(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # Ctrl-C is the demo's: it deletes the subscription, then stops the receiver.
        yield


@contextlib.asynccontextmanager
async def listening(receiver: Receiver, port: int) -> AsyncIterator[str]:
    """The receiver served on 127.0.0.1:``port``; yields its webhook URL."""
    config = uvicorn.Config(receiver, host="127.0.0.1", port=port, log_level="warning")
    server = _Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
            raise DemoError(f"the receiver could not listen on port {port}")
        await asyncio.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}/inson"
    finally:
        server.should_exit = True
        await task


async def run(args: argparse.Namespace) -> int:
    receiver = Receiver(out=_show)
    filters = Filters(
        args.types, args.region, args.district, args.circumstance_category, args.service_category
    )
    _stop_on_sigterm()
    async with (
        listening(receiver, _free_port(args.port)) as url,
        httpx.AsyncClient(base_url=args.notification, timeout=30) as notification,
    ):
        _say(f"receiver listening on {url}; it verifies every webhook-signature")
        demo = Demo(notification)
        created = await demo.subscribe(url, filters)
        receiver.secret = created["secret"]
        sid = created["id"]
        _say(
            f"subscribed {sid} as partner_admin 'partner-demo' (dev token): "
            f"{len(created['event_types'])} event types, regions {created['regions'] or 'any'}, "
            f"districts {created['districts'] or 'any'}, circumstance categories "
            f"{created['circumstance_categories'] or 'any'}, service categories "
            f"{created['service_categories'] or 'any'}; the secret is kept by the receiver"
        )
        try:
            shared = (await demo.share(sid, Sharing(args.share, args.agreement)))["data_sharing"]
            fields = ", ".join(shared["personal_fields"]) or "no personal fields"
            _say(f"admin 'admin-demo' set data sharing: {shared['level']} ({fields})")
            if args.submit:
                async with httpx.AsyncClient(base_url=args.intake, timeout=30) as intake:
                    case_id = await demo.submit(intake)
                _say(f"a social worker submitted an application: case {case_id} (Beruniy)")
            until = "Ctrl-C to stop" if args.seconds is None else f"{args.seconds:g} s"
            _say(f"waiting for deliveries ({until})")
            await _wait(receiver, args.seconds, args.count)
        finally:
            # Left behind, it would be retried for a day against a closed port.
            if not args.keep:
                await demo.unsubscribe(sid)
                _say(f"deleted subscription {sid}")
            good = sum(a.signature_ok for a in receiver.arrivals)
            _say(f"{len(receiver.arrivals)} deliveries, {good} with a valid signature")
    return 0


def _stop_on_sigterm() -> None:
    """SIGTERM ends the demo as Ctrl-C does: cleaned up, not cut off."""
    task = asyncio.current_task()
    if task is not None:
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)


async def _wait(receiver: Receiver, seconds: float | None, count: int | None) -> None:
    loop = asyncio.get_running_loop()
    deadline = None if seconds is None else loop.time() + seconds
    while deadline is None or loop.time() < deadline:
        if count is not None and len(receiver.arrivals) >= count:
            return
        await asyncio.sleep(0.1)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(run(args))
    except (KeyboardInterrupt, asyncio.CancelledError):
        return 0
    except (DemoError, httpx.HTTPError) as exc:
        _say(f"stopped: {exc}")
        if isinstance(exc, httpx.ConnectError):
            _say("are the services running? start them with `make run`")
        return 1


if __name__ == "__main__":
    sys.exit(main())
