"""The SMTP relay stand-in (aiosmtpd on the process's own event loop)."""

from __future__ import annotations

import asyncio
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP

from devsinks.inbox import Inbox

# notification's SmtpEmail writes Message-ID <notification id@notification.inson>.
_DOMAIN = "@notification.inson>"


class Catcher:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        body = parsed.get_body(("plain",)) if isinstance(parsed, EmailMessage) else None
        text = body.get_content().strip() if isinstance(body, EmailMessage) else ""
        message_id = str(parsed.get("Message-ID", ""))
        notification_id = message_id[1 : -len(_DOMAIN)] if message_id.endswith(_DOMAIN) else None
        plan = self.inbox.answer("email")
        code = plan.status if plan else 250
        await self.inbox.receive(
            "email",
            ", ".join(envelope.rcpt_tos),
            text,
            subject=str(parsed.get("Subject", "")),
            notification_id=notification_id,
            answered=code,
        )
        return f"{code} refused by the stand-in" if plan else "250 OK"


async def serve_smtp(inbox: Inbox, host: str, port: int) -> asyncio.Server:
    loop = asyncio.get_running_loop()
    handler = Catcher(inbox)
    return await loop.create_server(
        lambda: SMTP(handler, hostname="devsinks", enable_SMTPUTF8=True), host, port
    )
