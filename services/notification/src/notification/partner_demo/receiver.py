"""A partner's webhook receiver that verifies what it is sent and says what arrived.

It checks each delivery as a partner must (Standard Webhooks: the HMAC of
``id.timestamp.body`` with the subscription's secret, a timestamp within
five minutes), answers 204 when it holds and 401 when it does not, and
prints one block per delivery: the signature's verdict, the event type,
stream and version, its ids, its other fields, and its personal data: the
fields the subscription's data-sharing level let through, and the paths
withheld.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from inson_contracts.events import REGISTRY, UnknownEventType
from inson_contracts.personal import SEALED, split_personal

from notification.domain.signing import verify

Out = Callable[[str], None]


@dataclass(frozen=True)
class Arrival:
    """One delivery as the receiver saw it."""

    signature_ok: bool
    body: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        data: dict[str, Any] = self.body.get("data", {})
        return data

    def personal(self) -> dict[str, Any]:
        """The personal fields it carries, by concrete path."""
        try:
            cls = REGISTRY.class_for(str(self.body.get("type")))
        except UnknownEventType:
            return {}
        _, values = split_personal(cls, {k: v for k, v in self.data.items() if k != SEALED})
        return values

    def withheld(self) -> list[str]:
        trace = self.data.get(SEALED)
        return [str(p) for p in trace.get("paths", [])] if isinstance(trace, dict) else []


@dataclass
class Receiver:
    """An ASGI app; ``secret`` is set once the subscription answered with it."""

    out: Out = print
    secret: str | None = None
    arrivals: list[Arrival] = field(default_factory=list)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        headers = {k.decode().lower(): v.decode() for k, v in scope["headers"]}
        ok = scope["method"] == "POST" and self._verified(headers, body)
        try:
            parsed = json.loads(body) if body else {}
        except ValueError:
            parsed = {}
        arrival = Arrival(ok, parsed if isinstance(parsed, dict) else {})
        self.arrivals.append(arrival)
        for line in describe(arrival):
            self.out(line)
        await send({"type": "http.response.start", "status": 204 if ok else 401, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def _verified(self, headers: dict[str, str], body: bytes) -> bool:
        try:
            return self.secret is not None and verify(
                self.secret,
                headers["webhook-id"],
                int(headers["webhook-timestamp"]),
                body,
                headers["webhook-signature"],
                now=int(time.time()),
            )
        except (KeyError, ValueError):
            return False


def describe(arrival: Arrival) -> list[str]:
    """The lines printed for one delivery."""
    body = arrival.body
    verdict = "signature ok" if arrival.signature_ok else "SIGNATURE INVALID (answered 401)"
    lines = [
        f"<- {verdict}  {body.get('type', '?')}  {body.get('subject', '?')}"
        f" v{body.get('streamversion', '?')}  event {body.get('id', '?')}"
    ]
    data, personal = arrival.data, arrival.personal()
    top_personal = {path.split(".")[0] for path in personal}
    ids = {k: v for k, v in data.items() if k.endswith("_id") and isinstance(v, str)}
    fields = {
        k: v for k, v in data.items() if k not in ids and k != SEALED and k not in top_personal
    }
    lines.append("   ids:      " + (_pairs(ids) or "-"))
    lines.append("   fields:   " + (_pairs(fields) or "-"))
    lines.append("   personal: " + (_pairs(personal) or "none"))
    withheld = arrival.withheld()
    if withheld:
        erased = isinstance(data.get(SEALED), dict) and data[SEALED].get("erased") is True
        lines.append(
            f"   withheld: {len(withheld)} personal field(s){' (erased)' if erased else ''}: "
            + ", ".join(withheld[:6])
            + (", ..." if len(withheld) > 6 else "")
        )
    return lines


def _pairs(values: dict[str, Any]) -> str:
    return "  ".join(f"{k}={_short(v)}" for k, v in values.items())


def _short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 3] + "..."
