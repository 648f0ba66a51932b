"""A message's attempts as events: stream ``notification-<notification_id>``.

One NotificationFailed per failed attempt (``final`` on the last), then
NotificationSent if it got through. The commit id of each is derived from
(notification id, attempt, outcome), so recording the same outcome twice
(inline, then by the sweep after a crash) appends once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from inson_contracts.events import Event, NotificationFailed, NotificationSent

from notification.domain.deliveries import Delivery, Outcome

STREAM_PREFIX = "notification"
# The recipient of a message whose address an erasure blanked. The field is
# personal: the store seals it under the case's key, which is gone, so it is
# dropped on append either way; the event just needs a value to be valid.
ERASED_RECIPIENT = "erased"


@dataclass(frozen=True)
class MessageRecord:
    """What the stream holds of one message: how many outcomes are events."""

    notification_id: str
    version: int


def replay(notification_id: str, events: Iterable[Event]) -> MessageRecord:
    return MessageRecord(notification_id, sum(1 for _ in events))


def commit_id_of(delivery: Delivery, outcome: Outcome) -> str:
    return f"{delivery.id}:{outcome.attempt}:{'sent' if outcome.sent else 'failed'}"


def event_of(delivery: Delivery, outcome: Outcome) -> NotificationSent | NotificationFailed:
    common = {
        "notification_id": delivery.id,
        "case_id": delivery.case_id,
        "cause_event_id": delivery.cause_event_id,
        "recipient_kind": delivery.kind,
        "recipient": delivery.address or ERASED_RECIPIENT,
        "channel": delivery.channel,
        "template": delivery.template.value,
        "language": delivery.language,
        "attempts": outcome.attempt,
    }
    if outcome.sent:
        return NotificationSent(
            **common,
            provider_message_id=(outcome.provider_message_id or None),
            sent_at=outcome.at,
        )
    return NotificationFailed(
        **common,
        reason=(outcome.reason or "unknown")[:300],
        final=outcome.final,
        failed_at=outcome.at,
    )
