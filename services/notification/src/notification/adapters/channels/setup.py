"""The channels as the settings configure them, each behind its token bucket."""

from __future__ import annotations

import httpx
from inson_contracts.events.notification import MessageChannel

from notification.adapters.channels.base import Unconfigured
from notification.adapters.channels.http import SmsGateway, TelegramBot
from notification.adapters.channels.ratelimit import RateLimited, TokenBucket
from notification.adapters.channels.smtp import SmtpEmail
from notification.domain.outgoing import Channel
from notification.settings import Settings


def channels(settings: Settings, client: httpx.AsyncClient) -> dict[MessageChannel, Channel]:
    sms: Channel = Unconfigured(MessageChannel.SMS)
    if settings.sms_gateway_url:
        token = settings.sms_gateway_token.get_secret_value()
        sms = SmsGateway(client, settings.sms_gateway_url, token)
    telegram: Channel = Unconfigured(MessageChannel.TELEGRAM)
    if settings.telegram_api_base:
        token = settings.telegram_bot_token.get_secret_value()
        telegram = TelegramBot(client, settings.telegram_api_base, token)
    email: Channel = Unconfigured(MessageChannel.EMAIL)
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
    limits = {
        MessageChannel.SMS: (sms, settings.sms_rate_per_s, settings.sms_burst),
        MessageChannel.TELEGRAM: (telegram, settings.telegram_rate_per_s, settings.telegram_burst),
        MessageChannel.EMAIL: (email, settings.email_rate_per_s, settings.email_burst),
    }
    return {
        kind: RateLimited(channel, TokenBucket(rate, burst))
        for kind, (channel, rate, burst) in limits.items()
    }
