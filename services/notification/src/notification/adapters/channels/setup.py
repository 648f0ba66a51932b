"""The configured channels, each behind its erasure guard and token bucket.

A channel left unset is absent from the mapping: the notifier holds its
messages until a start with the setting (``handlers/messages.py``).
"""

from __future__ import annotations

import httpx
from inson_contracts.events.notification import MessageChannel

from notification.adapters.channels.guard import ErasureGuard
from notification.adapters.channels.http import SmsGateway, TelegramBot
from notification.adapters.channels.ratelimit import RateLimited, TokenBucket
from notification.adapters.channels.smtp import SmtpEmail
from notification.domain.outgoing import Channel, Erasures
from notification.settings import Settings


def channels(
    settings: Settings, client: httpx.AsyncClient, erasures: Erasures
) -> dict[MessageChannel, Channel]:
    configured: list[tuple[Channel, float, int]] = []
    if settings.sms_gateway_url:
        token = settings.sms_gateway_token.get_secret_value()
        sms = SmsGateway(client, settings.sms_gateway_url, token)
        configured.append((sms, settings.sms_rate_per_s, settings.sms_burst))
    if settings.telegram_api_base:
        token = settings.telegram_bot_token.get_secret_value()
        telegram = TelegramBot(client, settings.telegram_api_base, token)
        configured.append((telegram, settings.telegram_rate_per_s, settings.telegram_burst))
    if settings.smtp_host:
        email = SmtpEmail(
            settings.smtp_host,
            settings.smtp_port,
            settings.smtp_sender,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value(),
            starttls=settings.smtp_starttls,
            timeout_s=settings.channel_timeout_s,
        )
        configured.append((email, settings.email_rate_per_s, settings.email_burst))
    return {
        channel.kind: RateLimited(ErasureGuard(channel, erasures), TokenBucket(rate, burst))
        for channel, rate, burst in configured
    }
