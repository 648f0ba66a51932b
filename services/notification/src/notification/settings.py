"""Settings of the notification service (environment variables prefixed INSON_)."""

from __future__ import annotations

from enum import StrEnum

from inson_runtime.auth import AuthSettings
from inson_runtime.settings import ServiceSettings
from pydantic import SecretStr


class Profile(StrEnum):
    """Where the service runs: a developer's checkout, or anywhere else."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Settings(ServiceSettings):
    service_name: str = "notification"
    http_port: int = 8004

    # Channels. A message for one left unconfigured is held (status "held"
    # in the delivery log, no attempt made), not failed, and goes out once a
    # start has the setting; see message_hold_s.
    sms_gateway_url: str | None = None
    sms_gateway_token: SecretStr = SecretStr("")
    telegram_api_base: str | None = None
    telegram_bot_token: SecretStr = SecretStr("")
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_sender: str = "Inson <noreply@inson.example>"
    smtp_username: str | None = None
    smtp_password: SecretStr = SecretStr("")
    smtp_starttls: bool = False
    channel_timeout_s: float = 10.0

    # Token buckets per channel: sustained messages per second and burst.
    sms_rate_per_s: float = 10.0
    sms_burst: int = 20
    telegram_rate_per_s: float = 25.0
    telegram_burst: int = 30
    email_rate_per_s: float = 5.0
    email_burst: int = 10

    # Events handled at once by the message and partner policies, in lanes
    # of one stream each (order kept within a stream). Their handlers wait on
    # the store and the channels, so one at a time left the service far
    # behind the others under load (the fault suite's full campaign).
    message_concurrency: int = 8
    partner_fanout_concurrency: int = 4

    # Message retries: attempt n waits first * 2**(n-1) seconds, capped.
    message_max_attempts: int = 8
    message_backoff_first_s: float = 2.0
    message_backoff_max_s: float = 600.0
    # A message marked "sending" longer than this was lost with its process:
    # the retry job sends it again. Longer than any channel call may take.
    message_lease_s: float = 60.0
    message_retry_interval_s: float = 5.0
    # Older events are history (a new consumer group reads topics from the
    # start): telling someone today of last month's visit helps nobody.
    max_event_age_s: float = 2 * 24 * 3600.0
    # A held message whose channel is configured within this long of when it
    # was written goes out then; older, it fails for good (NotificationFailed,
    # final) when the retry job finds it: as with max_event_age_s, news of a
    # visit days late helps nobody.
    message_hold_s: float = 2 * 24 * 3600.0
    # How long an event waits for the read model to learn its case's contact.
    recipient_wait_s: float = 3600.0
    recipient_recheck_s: float = 5.0

    # Partner webhooks.
    webhook_interval_s: float = 2.0
    webhook_timeout_s: float = 10.0
    webhook_lease_s: float = 60.0
    webhook_concurrency: int = 8
    webhook_resolve_timeout_s: float = 5.0

    # INSON_PROFILE. In development a partner's webhook may be plain http to
    # the loopback (a receiver on the developer's machine, `make
    # partner-demo`); elsewhere https to public addresses only
    # (domain/destinations.py). Unset, it follows the keys the platform runs
    # on: production once a key-encryption key is required
    # (INSON_KEK_REQUIRED) or tokens are verified through an identity
    # provider (INSON_AUTH_JWKS_URL), development on a checkout's own keys
    # (`make run`, the tests).
    profile: Profile | None = None
    # INSON_WEBHOOK_REQUIRE_HTTPS=true holds a development service's webhooks
    # to the production rule; false loosens nothing (outside development the
    # rule always holds).
    webhook_require_https: bool | None = None

    def running_profile(self) -> Profile:
        if self.profile is not None:
            return self.profile
        if self.kek_required or AuthSettings().jwks_url:
            return Profile.PRODUCTION
        return Profile.DEVELOPMENT

    def webhooks_to_loopback(self) -> bool:
        """Webhooks may go to the loopback, over plain http too (the development profile)."""
        development = self.running_profile() is Profile.DEVELOPMENT
        return development and self.webhook_require_https is not True
