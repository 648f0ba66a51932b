"""The HTTP side: the SMS gateway, the bot API, the dev inbox and its controls.

- ``POST /sms``: ``{"to", "text"}`` with ``Authorization: Bearer <token>`` and
  ``Idempotency-Key``, as notification's ``SmsGateway`` sends; answers ``{"id"}``.
- ``POST /bot<token>/sendMessage``: ``{"chat_id", "text"}`` as the Telegram Bot
  API; answers ``{"ok": true, "result": {"message_id", ...}}``.
- ``GET /``: the inbox page; ``GET /messages``: every receipt as JSON
  (``?channel=``, ``?to=``, ``?notification_id=`` filter).
- ``POST /control/fail``: ``{"channel", "status", "times", "ok_false"?}`` makes
  the channel refuse its next messages (SMTP takes a reply code, 451 or 550).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from devsinks.inbox import CHANNELS, FailPlan, Inbox
from devsinks.page import render

# The page loads nothing from anywhere: no script, no font, no CDN.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "Cache-Control": "no-store",
}


async def _json_body(request: Request) -> dict[str, Any] | None:
    try:
        body = json.loads(await request.body())
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def app(inbox: Inbox, *, sms_token: str | None = None, bot_token: str | None = None) -> Starlette:
    async def sms(request: Request) -> Response:
        if sms_token and request.headers.get("authorization") != f"Bearer {sms_token}":
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        body = await _json_body(request)
        if body is None or not isinstance(body.get("to"), str) or "text" not in body:
            return JSONResponse({"error": "to and text are required"}, status_code=400)
        plan = inbox.answer("sms")
        status = plan.status if plan else 200
        receipt = await inbox.receive(
            "sms",
            body["to"],
            str(body["text"]),
            notification_id=request.headers.get("idempotency-key"),
            answered=status,
        )
        if plan:
            return JSONResponse({"error": "refused by the stand-in"}, status_code=status)
        return JSONResponse({"id": f"devsms-{receipt.seq}"})

    async def bot(request: Request) -> Response:
        token = request.path_params["token"]
        if bot_token and token != bot_token:
            refusal = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            return JSONResponse(refusal, status_code=401)
        body = await _json_body(request)
        if body is None or "chat_id" not in body or "text" not in body:
            refusal = {"ok": False, "error_code": 400, "description": "Bad Request"}
            return JSONResponse(refusal, status_code=400)
        plan = inbox.answer("telegram")
        status = plan.status if plan else 200
        receipt = await inbox.receive(
            "telegram",
            str(body["chat_id"]),
            str(body["text"]),
            notification_id=request.headers.get("idempotency-key"),
            answered=400 if plan and plan.ok_false else status,
        )
        if plan:
            refusal = {"ok": False, "error_code": status, "description": "refused by the stand-in"}
            return JSONResponse(refusal, status_code=200 if plan.ok_false else status)
        chat = {"id": body["chat_id"], "type": "private"}
        result = {"message_id": receipt.seq, "chat": chat, "text": body["text"]}
        return JSONResponse({"ok": True, "result": result})

    async def page(request: Request) -> Response:
        shown = [r for r in reversed(inbox.receipts) if _matches(r.as_json(), request)]
        return HTMLResponse(render(shown, total=len(inbox.receipts)), headers=_PAGE_HEADERS)

    async def messages(request: Request) -> Response:
        found = [r.as_json() for r in inbox.receipts]
        return JSONResponse([r for r in found if _matches(r, request)])

    async def fail(request: Request) -> Response:
        body = await _json_body(request) or {}
        channel, status, times = body.get("channel"), body.get("status"), body.get("times", 1)
        if channel not in CHANNELS or not isinstance(status, int) or not isinstance(times, int):
            return JSONResponse({"error": f"channel in {CHANNELS}, status and times"}, 400)
        inbox.plans[channel] = FailPlan(status, times, bool(body.get("ok_false")))
        return JSONResponse({"channel": channel, "status": status, "times": times})

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True, "received": len(inbox.receipts)})

    return Starlette(
        routes=[
            Route("/sms", sms, methods=["POST"]),
            Route("/bot{token}/sendMessage", bot, methods=["POST"]),
            Route("/", page, methods=["GET"]),
            Route("/messages", messages, methods=["GET"]),
            Route("/control/fail", fail, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
        ]
    )


def _matches(receipt: dict[str, Any], request: Request) -> bool:
    """Every query parameter naming a receipt field must equal it (``kind=citizen``)."""
    return all(
        str(receipt.get(key)) == value
        for key, value in request.query_params.items()
        if key in receipt
    )
