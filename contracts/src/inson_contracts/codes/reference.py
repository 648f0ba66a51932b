"""Reference data read from a file: one loader for every directory.

The mahalla register here, the social-worker and supervisor directory
(:mod:`inson_contracts.codes.staff`), the Public Services Centers (referral)
and the staff contact points (notification) are data, not code. Each is read
from a JSON file packaged with its module or, when an environment variable
names one, from that file, so real data replaces the generated placeholders
without a release. Each is checked as it is loaded, and a bad entry stops the
load with one line naming the file and the entry: a half-read directory
would route people to nobody.

It lives beside the code lists because the mahalla register is one of them
and the contracts import nothing of the platform's; services use it too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)


class ReferenceDataError(ValueError):
    """A reference file cannot be used; the message names the file and the entry."""


class ReferenceFile(Generic[T]):
    """A packaged JSON file, replaceable through ``env``, parsed and checked on first use.

    Loaded on first use, not at import: importing a module stays cheap for
    those who never ask, and a bad replacement file fails the call that needs
    it, with its message, not every import.
    """

    def __init__(
        self,
        *,
        package: str,
        resource: str,
        env: str,
        parse: Callable[[str, Any], T],
        error: type[ReferenceDataError],
    ) -> None:
        self.package = package
        self.resource = resource
        self.env = env
        self.parse = parse
        self.error = error
        self._loaded: T | None = None

    def read(self) -> tuple[str, Any]:
        """Where the file in use is, and its JSON document."""
        replacement = os.environ.get(self.env, "").strip()
        if replacement:
            path = Path(replacement)
            try:
                source, text = str(path), path.read_text(encoding="utf-8")
            except OSError as error:
                raise self.error(
                    f"{self.env}={replacement}: cannot read the file: {error}"
                ) from error
        else:
            source = f"{self.package.replace('.', '/')}/{self.resource}"
            text = files(self.package).joinpath(self.resource).read_text(encoding="utf-8")
        try:
            return source, json.loads(text)
        except json.JSONDecodeError as error:
            raise self.error(f"{source}: not valid JSON: {error}") from error

    def get(self) -> T:
        """The data in use, read and checked on first use."""
        if self._loaded is None:
            self._loaded = self.parse(*self.read())
        return self._loaded

    def reload(self) -> None:
        """Forget the loaded data; the next use reads the file again.

        For tests and for a process pointed at a new file through ``env``.
        """
        self._loaded = None


def member_list(source: str, document: Any, key: str, error: type[ReferenceDataError]) -> list[Any]:
    """The list under ``key`` of a document that must be an object holding one."""
    if not isinstance(document, dict) or not isinstance(document.get(key), list):
        raise error(f'{source}: expected an object with a "{key}" list')
    entries: list[Any] = document[key]
    return entries


def one_line(error: ValidationError) -> str:
    """A pydantic report on one line: it is read in logs, where lines are split apart."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}" for e in error.errors()
    )


def validated(model: type[M], where: str, entry: Any, error: type[ReferenceDataError]) -> M:
    """``entry`` as a ``model``, or ``error`` naming ``where`` and every problem."""
    try:
        return model.model_validate(entry)
    except ValidationError as problem:
        raise error(f"{where}: {one_line(problem)}") from None


def describe(source: str, kind: str, number: int, entry: Any, *, limit: int | None = None) -> str:
    """How an error names an entry: the file, its kind and number, and the entry (cut at
    ``limit`` characters when entries are long)."""
    return f"{source}: {kind} #{number} {json.dumps(entry, ensure_ascii=False)[:limit]}"
