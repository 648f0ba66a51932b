"""A real Chromium and a service on a free port, for the platform's browser tests.

Chromium is Debian's (``/usr/bin/chromium``, ``make browser-tools``), driven by
Playwright without a browser download of its own. Imported by the tests that
use it only (Playwright is a development dependency).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Literal

import uvicorn
from fastapi import FastAPI
from playwright.async_api import Browser, Locator, Page, async_playwright

CHROMIUM = Path("/usr/bin/chromium")
# Headless in a container: no sandbox, no GPU, and nothing that calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


# Where the browser tests leave what they saw, for a person to look at (git-ignored).
SCREENSHOTS = Path(__file__).resolve().parents[4] / ".local" / "screenshots"


async def shoot(shown: Page | Locator, name: str, *, full_page: bool = True) -> Path:
    """A screenshot of a page (whole, or what the viewport shows) or of one
    element, saved as ``name`` under SCREENSHOTS; its path is printed."""
    await asyncio.to_thread(SCREENSHOTS.mkdir, parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    if isinstance(shown, Page):
        await shown.screenshot(path=str(path), full_page=full_page)
    else:
        await shown.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


class ChromiumMissing(RuntimeError):
    """Debian's Chromium is not installed: a failure, never a skip."""


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    """A headless Chromium, closed on the way out."""
    if not await asyncio.to_thread(CHROMIUM.exists):
        raise ChromiumMissing(f"{CHROMIUM} is missing: run `make browser-tools` (make test does)")
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@contextlib.asynccontextmanager
async def serving(app: FastAPI, *, lifespan: Literal["on", "off"] = "off") -> AsyncIterator[str]:
    """``app`` behind uvicorn on 127.0.0.1 and a port the OS chose; yields its base URL.

    The socket is bound here and handed over, so no other process can take the
    port in between. ``lifespan="on"`` starts the app's runtime (consumers,
    jobs) with it.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    # Idle connections are kept longer than a client keeps them (httpx: 5 s),
    # so a client never sends on one the server is closing at that instant
    # ("Server disconnected without sending a response"; uvicorn's default is 5 s).
    config = uvicorn.Config(app, log_config=None, lifespan=lifespan, timeout_keep_alive=30)
    http = uvicorn.Server(config)
    task = asyncio.create_task(http.serve(sockets=[sock]))
    try:
        async with asyncio.timeout(30):
            while not http.started:
                if task.done():
                    task.result()  # raises why it stopped
                    raise RuntimeError("the server stopped while starting")
                await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        http.should_exit = True
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout=30)
        sock.close()
