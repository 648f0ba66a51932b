"""The questionnaire draft: a tablet's scratch copy of a visit, outside the event store.

A draft is not a fact, so it is never an event; it is saved as it is, nothing
validated until the assessment is completed. Each save has a revision: a save
based on revision ``n`` becomes ``n + 1`` and is refused when another save
came in between (0 means "none saved yet"), so two tablets never overwrite
each other silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class SavedDraft:
    draft: Any
    saved_by: str | None
    saved_at: datetime | None
    revision: int
