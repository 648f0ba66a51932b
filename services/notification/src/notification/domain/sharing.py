"""What personal data a subscription's webhooks carry: its data-sharing level.

An administrator sets it, never the partner: by default (``none``) a body
holds no personal field at all, only ids, codes, dates and the like;
``named_fields`` adds the personal fields the partner's agreement allows,
each named by its path in the event's data as the JSON schemas mark it
(``applicant.name``, ``applicant.phone``, ``household[].birth_date`` or
``household.birth_date``; a path names everything under it), for every type
the subscription receives.

Whatever is withheld leaves a trace a reader of the contracts can parse:
the ``sealed`` member without ciphertext, listing the paths left out
(``erased: true`` when the person's key is gone), exactly as a partner
reading Kafka sees an event it has no key for. The level in force when a
delivery is sent applies, retries and replays included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from inson_contracts.events import Event
from inson_contracts.personal import SEALED, merge_personal, personal_paths, split_personal


class Level(StrEnum):
    NONE = "none"
    NAMED_FIELDS = "named_fields"


@dataclass(frozen=True)
class DataSharing:
    level: Level = Level.NONE
    personal_fields: tuple[str, ...] = ()
    # The partner's data-sharing agreement that allows the fields (a reference, no data).
    agreement: str | None = None
    set_by: str | None = None
    set_at: datetime | None = None

    def allows(self, path: str) -> bool:
        """Whether a personal field (by its schema path) may be sent."""
        if self.level is not Level.NAMED_FIELDS:
            return False
        plain = _plain(path)
        return any(
            plain == f or plain.startswith(f + ".") for f in map(_plain, self.personal_fields)
        )


NO_PERSONAL_DATA = DataSharing()


def shareable(classes: Iterable[type[Event]]) -> frozenset[str]:
    """Every path an administrator may name for these types: their personal fields and
    every object holding some (``applicant.name`` for its three parts)."""
    names: set[str] = set()
    for cls in classes:
        for path in personal_paths(cls):
            parts = path.split(".")
            prefixes = {".".join(parts[: n + 1]) for n in range(len(parts))}
            names.update(prefixes, map(_plain, prefixes))
    return frozenset(names)


def _plain(path: str) -> str:
    # ``household[].name`` and ``household.name`` name the same fields.
    return path.replace("[]", "")


_POSITION = re.compile(r"\.\d+(?=\.|$)")


def schema_path(concrete: str) -> str:
    """``household.2.name.last_name`` -> ``household[].name.last_name``."""
    return _POSITION.sub("[]", concrete)


def webhook_data(
    sharing: DataSharing, cls: type[Event], data: dict[str, Any], subject: str
) -> dict[str, Any]:
    """An event's data as the subscription may receive it.

    ``data`` is the stored, sealed form for ``none`` (never opened), the
    opened form for ``named_fields``: personal fields in clear, or, once the
    person is erased, the ``sealed`` member without ciphertext.
    """
    trace = data.get(SEALED) if isinstance(data.get(SEALED), dict) else None
    public, values = split_personal(cls, {k: v for k, v in data.items() if k != SEALED})
    sent = {path: value for path, value in values.items() if sharing.allows(schema_path(path))}
    withheld = set(values) - set(sent)
    erased = False
    if trace is not None:
        # Never opened, or erased: whatever it held is not in the body.
        withheld.update(str(path) for path in trace.get("paths", []))
        erased = trace.get("erased") is True
    shared = merge_personal(public, sent)
    if withheld or erased:
        # No nonce, no ciphertext: nothing here opens, whoever holds a key.
        kid = trace.get("kid") if trace is not None else None
        shared[SEALED] = {
            "v": 1,
            "kid": kid if isinstance(kid, str) else _case_of(data, subject),
            "paths": sorted(withheld),
            "erased": erased,
        }
    return shared


def _case_of(data: dict[str, Any], subject: str) -> str:
    # The key id a sealed member names: the case (intake's streams carry it as the subject).
    case_id = data.get("case_id")
    return case_id if isinstance(case_id, str) else subject.removeprefix("case-")
