"""What the command handlers refuse, each kind with the answer the API gives it.

``detail`` is what the caller is told: words, or a list of field errors. The
API maps the kinds to HTTP (``api/errors.py``); the domain's own refusal,
``CaseFileRuleViolation``, is answered like :class:`Refused`.
"""

from __future__ import annotations

from typing import Any

from assessment.domain.drafts import SavedDraft


class CommandError(Exception):
    def __init__(self, detail: Any) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(CommandError):
    """No such case file, draft or open conflict (404)."""


class OutOfScope(CommandError):
    """The case file is outside the caller's mahallas or district (403)."""


class Refused(CommandError):
    """Not possible in the case file's current state (409)."""


class Unprocessable(CommandError):
    """The command cannot become valid events (422, field errors)."""


class DraftConflict(Refused):
    """Another save of the draft came in since the caller's revision: nothing was written."""

    def __init__(self, base_revision: int, current: SavedDraft | None, submitted: Any) -> None:
        super().__init__("another tablet saved this draft since your revision; nothing changed")
        self.base_revision = base_revision
        self.current = current
        self.submitted = submitted
