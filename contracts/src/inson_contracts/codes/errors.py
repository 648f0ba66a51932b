"""The one error every code lookup raises."""

from __future__ import annotations


class UnknownCode(KeyError):
    """A code that is not in the list asked about.

    A KeyError, so callers that treat the lists as mappings keep working; the
    message names the list and the code, because a bare ``KeyError('1703999')``
    in a partner's log does not say which list was asked.
    """

    def __init__(self, kind: str, code: object) -> None:
        self.kind = kind
        self.code = code
        self.message = f"unknown {kind} code {code!r}"
        super().__init__(self.message)

    # KeyError.__str__ shows the repr of its argument, which would wrap the
    # message in quotes.
    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[UnknownCode], tuple[str, object]]:
        return (type(self), (self.kind, self.code))
