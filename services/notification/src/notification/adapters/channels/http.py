"""Channels that are HTTP APIs: an SMS gateway and a Telegram-style bot API."""

from __future__ import annotations

from typing import Any

import httpx
from inson_contracts.events.notification import MessageChannel

from notification.adapters.channels.base import retryable_status
from notification.domain.outgoing import DeliveryError, OutgoingMessage


async def _post(
    client: httpx.AsyncClient, url: str, body: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    try:
        return await client.post(url, json=body, headers=headers)
    except httpx.TimeoutException:
        raise DeliveryError("provider timed out", retryable=True) from None
    except httpx.HTTPError as exc:
        # The class name only: messages of some transport errors carry the
        # URL, and the Telegram URL carries the bot token.
        raise DeliveryError(f"provider unreachable: {type(exc).__name__}", retryable=True) from None


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _check(response: httpx.Response) -> None:
    if response.is_success:
        return
    raise DeliveryError(
        f"provider answered HTTP {response.status_code}",
        retryable=retryable_status(response.status_code),
    )


class SmsGateway:
    """POST {to, text} as JSON with a bearer token; the gateway answers {id} or nothing.

    The notification id goes as ``Idempotency-Key``: the client reference
    gateways deduplicate by, and what the dev inbox joins with the delivery log.
    """

    kind = MessageChannel.SMS

    def __init__(self, client: httpx.AsyncClient, url: str, token: str) -> None:
        self.client = client
        self.url = url
        self.token = token

    async def send(self, message: OutgoingMessage) -> str | None:
        # A gateway that deduplicates drops the copy a crash makes us resend.
        headers = {"Idempotency-Key": message.notification_id}
        if self.token:
            # Never "Bearer " alone: h11 refuses the trailing space, and every
            # SMS failed as "provider unreachable" when no token was set.
            headers["Authorization"] = f"Bearer {self.token}"
        response = await _post(
            self.client, self.url, {"to": message.address, "text": message.text}, headers
        )
        _check(response)
        provider_id = _json(response).get("id")
        return str(provider_id)[:128] if provider_id is not None else None


class TelegramBot:
    """POST {base}/bot{token}/sendMessage {chat_id, text}, as the Telegram Bot API."""

    kind = MessageChannel.TELEGRAM

    def __init__(self, client: httpx.AsyncClient, base_url: str, token: str) -> None:
        self.client = client
        self.url = f"{base_url.rstrip('/')}/bot{token}/sendMessage"

    async def send(self, message: OutgoingMessage) -> str | None:
        # The Bot API has no client reference and ignores other headers; a
        # provider in between that deduplicates (or the dev inbox, which joins
        # it with the delivery log) reads the notification id here.
        headers = {"Idempotency-Key": message.notification_id}
        sent = {"chat_id": message.address, "text": message.text}
        response = await _post(self.client, self.url, sent, headers)
        _check(response)
        answer = _json(response)
        if answer.get("ok") is False:
            raise DeliveryError("bot API answered ok=false", retryable=False)
        result = answer.get("result")
        message_id = result.get("message_id") if isinstance(result, dict) else None
        return str(message_id) if message_id is not None else None
