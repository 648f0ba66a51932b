"""Refuse request bodies larger than a limit (413), before the app reads them.

A body with ``Content-Length`` is judged by it up front. A body without one
(chunked) is read here, up to the limit, and handed on whole: a body the
app would buffer anyway, and one that goes over is refused as it streams,
whatever the route (before, FastAPI read it, failed and answered 400).
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inson_runtime.observability.http import CORRELATION_SCOPE_KEY
from inson_runtime.problems.answers import problem_response
from inson_runtime.problems.common import BODY_TOO_LARGE, COMMON


class BodySizeLimit:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length")
        if length is not None:
            if length.isdigit() and int(length) > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return  # the client left: there is no one to answer
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > self.max_bytes:
                await self._refuse(scope, receive, send)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replaying(b"".join(chunks), receive), send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem_response(
            BODY_TOO_LARGE,
            Headers(scope=scope),
            COMMON,
            params={"max_bytes": self.max_bytes},
            correlation_id=scope.get(CORRELATION_SCOPE_KEY),
            # The rest of the body is not read: the connection cannot be reused.
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The body read already as one message, then whatever the client sends next."""
    pending: list[Message] = [{"type": "http.request", "body": body, "more_body": False}]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay
