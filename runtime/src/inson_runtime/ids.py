"""Ids derived from what they identify, so doing a thing twice names it once.

A referral's id from its plan and item, an application's from the caller's
Idempotency-Key, a commit's from the event it reacts to: the same inputs give
the same UUIDv5, so a retry or a redelivery finds what the first attempt
made instead of making it again. Each service derives under a namespace of
its own, so equal parts in two services never collide.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class DerivedIds:
    namespace: uuid.UUID

    def __call__(self, *parts: str) -> str:
        """The id of ``parts`` (joined by ``/``) in this namespace."""
        return str(uuid.uuid5(self.namespace, "/".join(parts)))
