"""E-mail through an SMTP relay (smtplib, in a worker thread)."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from email.utils import formatdate

from inson_contracts.events.notification import MessageChannel

from notification.domain.outgoing import DeliveryError, OutgoingMessage


class SmtpEmail:
    kind = MessageChannel.EMAIL

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        username: str | None = None,
        password: str = "",
        starttls: bool = False,
        timeout_s: float = 10.0,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.username = username
        self.password = password
        self.starttls = starttls
        self.timeout_s = timeout_s

    async def send(self, message: OutgoingMessage) -> str | None:
        # smtplib blocks; a thread keeps the event loop (and Kafka heartbeats) free.
        return await asyncio.to_thread(self._send, message)

    def _send(self, message: OutgoingMessage) -> str:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.address
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(usegmt=True)
        # Stable per notification, so a resent copy can be recognised downstream.
        message_id = f"<{message.notification_id}@notification.inson>"
        mail["Message-ID"] = message_id
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout_s) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused:
            raise DeliveryError("mail server refused the recipient", retryable=False) from None
        except smtplib.SMTPResponseException as exc:
            # 4xx is "try later", 5xx is "never".
            raise DeliveryError(
                f"mail server answered {exc.smtp_code}", retryable=exc.smtp_code < 500
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(
                f"mail server unreachable: {type(exc).__name__}", retryable=True
            ) from None
        return message_id
