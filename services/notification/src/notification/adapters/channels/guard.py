"""The last question before a message to a citizen leaves: was the person erased?

Wrapped innermost, under the token bucket, so it is asked after any wait for
the provider's rate and right before the provider is called: the window in
which an erasure and a message can still cross is one HTTP call, not a queue.
"""

from __future__ import annotations

from notification.domain.outgoing import Channel, Erasures, OutgoingMessage, Withheld


class ErasureGuard:
    def __init__(self, channel: Channel, erasures: Erasures) -> None:
        self.channel = channel
        self.erasures = erasures
        self.kind = channel.kind

    async def send(self, message: OutgoingMessage) -> str | None:
        if message.person is not None and await self.erasures.erased(message.person):
            raise Withheld
        return await self.channel.send(message)
