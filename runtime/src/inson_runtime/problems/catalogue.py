"""What an error answer can say: problem types, field codes, and their texts.

A **problem type** is one refusal a client can act on: a stable ``code``
(``case.not_found``), the HTTP status it is answered with, and a title and
detail in Uzbek (Latin and Cyrillic) and Russian. A **field code** says what
is wrong with one field of the input (``missing``, ``too_long``,
``pinfl_format``), with its message in the three scripts.

Texts may name parameters (``{max_bytes}``), and every parameter is declared
with a kind whose pattern its value must match when the answer is rendered:
numbers, role names, never free text. So an answer can carry a limit or a
role, but never a name, a PINFL or anything else a caller sent.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from inson_contracts.codes.names import Language, LocalizedName
from starlette.exceptions import HTTPException

TYPE_PREFIX = "urn:inson:problem:"
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
FIELD_CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

# What a parameter of a text may hold. Values come from the schema, the
# settings or the token (limits, counts, roles), never from the request.
_ROLE = r"[a-z][a-z_]{1,31}"
PARAM_KINDS: Mapping[str, re.Pattern[str]] = MappingProxyType(
    {
        # Up to eight digits: a limit or a count, too short for a PINFL or a phone.
        "number": re.compile(r"^-?[0-9]{1,8}(\.[0-9]{1,4})?$"),
        "role": re.compile(rf"^{_ROLE}$"),
        # A day the rules compute (the latest end of a term), never one that was sent.
        "date": re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"),
        "roles": re.compile(rf"^{_ROLE}(, {_ROLE})*$"),
    }
)
UNRENDERABLE = "…"


def placeholders(text: str) -> set[str]:
    """The ``{name}`` parameters a text uses."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _declared(code: str, texts: Iterable[LocalizedName], params: Mapping[str, str]) -> None:
    for kind in params.values():
        if kind not in PARAM_KINDS:
            raise ValueError(f"{code}: unknown parameter kind {kind!r}")
    for text in texts:
        for script in (text.uz_latn, text.uz_cyrl, text.ru):
            used = placeholders(script)
            if used != set(params):
                raise ValueError(
                    f"{code}: {script!r} uses {sorted(used)}, declared {sorted(params)}"
                )


def render(text: LocalizedName, language: Language, params: Mapping[str, str]) -> str:
    return text.in_language(language.value).format_map(params)


def checked_params(
    code: str, kinds: Mapping[str, str], given: Mapping[str, object]
) -> dict[str, str]:
    """``given`` as text, each value matching its kind; a value that does not is never
    shown (the text says ``…``): a parameter is never where input could leak."""
    values: dict[str, str] = {}
    for name, kind in kinds.items():
        value = given.get(name)
        text = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
        values[name] = text if PARAM_KINDS[kind].fullmatch(text) else UNRENDERABLE
    return values


@dataclass(frozen=True)
class ProblemType:
    """One refusal: its code, status, and title and detail in the three scripts."""

    code: str
    status: int
    title: LocalizedName
    detail: LocalizedName
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not CODE_PATTERN.fullmatch(self.code):
            raise ValueError(f"problem code {self.code!r} is not <area>.<what>")
        if not 400 <= self.status <= 599:
            raise ValueError(f"{self.code}: status {self.status} is not an error")
        _declared(self.code, [self.detail], self.params)
        _declared(self.code, [self.title], {})

    @property
    def type_uri(self) -> str:
        return f"{TYPE_PREFIX}{self.code}"


@dataclass(frozen=True)
class FieldCode:
    """What is wrong with one field, and its message in the three scripts."""

    code: str
    message: LocalizedName
    params: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not FIELD_CODE_PATTERN.fullmatch(self.code):
            raise ValueError(f"field code {self.code!r} is not snake_case")
        _declared(self.code, [self.message], self.params)


def field_code(code: str, uz_latn: str, uz_cyrl: str, ru: str, **params: str) -> FieldCode:
    """A field code with its message in the three scripts (``params``: its placeholders)."""
    return FieldCode(code, LocalizedName(uz_latn=uz_latn, uz_cyrl=uz_cyrl, ru=ru), params)


@dataclass(frozen=True)
class FieldError:
    """One field at fault, before it is put in words: where (a JSON pointer), which code,
    and the parameters of its message (numbers from the schema)."""

    pointer: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Catalogue:
    """The problem types and field codes one app answers with.

    ``field_codes_of`` maps pydantic's error types (and a service's own
    ``PydanticCustomError`` types) to field codes; a type it lacks is ``invalid``.
    """

    problems: Mapping[str, ProblemType] = field(default_factory=dict)
    fields: Mapping[str, FieldCode] = field(default_factory=dict)
    field_codes_of: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        problems: Iterable[ProblemType] = (),
        fields: Iterable[FieldCode] = (),
        field_codes_of: Mapping[str, str] | None = None,
    ) -> Catalogue:
        by_code: dict[str, ProblemType] = {}
        for problem in problems:
            if by_code.setdefault(problem.code, problem) is not problem:
                raise ValueError(f"problem code {problem.code} is defined twice")
        by_field: dict[str, FieldCode] = {}
        for entry in fields:
            if by_field.setdefault(entry.code, entry) is not entry:
                raise ValueError(f"field code {entry.code} is defined twice")
        mapped = dict(field_codes_of or {})
        # A field code names itself: a service's custom error type is its code.
        mapped.update({code: code for code in by_field if code not in mapped})
        return cls(MappingProxyType(by_code), MappingProxyType(by_field), MappingProxyType(mapped))

    def merged(self, other: Catalogue) -> Catalogue:
        """This catalogue and ``other`` (a service's): a code defined in both is an error."""
        return Catalogue.of(
            [*self.problems.values(), *other.problems.values()],
            [*self.fields.values(), *other.fields.values()],
            {**self.field_codes_of, **other.field_codes_of},
        )

    def field_code(self, error_type: str) -> str:
        code = self.field_codes_of.get(error_type, "invalid")
        return code if code in self.fields else "invalid"


class ProblemError(HTTPException):
    """Raise to answer with a problem: its type, the parameters of its detail, extension
    members (data the answer carried before, never personal values) and field errors.

    A subclass of Starlette's ``HTTPException`` so that FastAPI passes it on from
    wherever it is raised (a dependency, a body read) to the problem handlers.
    """

    def __init__(
        self,
        problem: ProblemType,
        *,
        params: Mapping[str, object] | None = None,
        extensions: Mapping[str, Any] | None = None,
        errors: Iterable[FieldError] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(problem.status, detail=problem.code, headers=dict(headers or {}))
        self.problem = problem
        self.params = dict(params or {})
        self.extensions = dict(extensions or {})
        self.errors = list(errors)
