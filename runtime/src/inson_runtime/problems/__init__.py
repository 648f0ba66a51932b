"""One error model for every service: RFC 9457 problem details with stable codes.

- :mod:`.catalogue`: :class:`ProblemType` (code, status, title and detail in
  uz-Latn, uz-Cyrl and ru), :class:`FieldCode`, :class:`Catalogue`, and
  :class:`ProblemError` to raise one;
- :mod:`.common`: the runtime's own problems and field codes;
- :mod:`.language`: the script chosen by ``Accept-Language``;
- :mod:`.fields`: pydantic's errors as pointers and codes, never the input;
- :mod:`.answers`: the body, its media type and headers;
- :mod:`.handlers`: ``install_problems`` (``build_app``) and
  ``install_refusals`` (a service's exceptions as its problems);
- :mod:`.model`: the published schemas; :mod:`.openapi`: the document says so.
"""

from inson_runtime.problems.catalogue import (
    Catalogue,
    FieldCode,
    FieldError,
    ProblemError,
    ProblemType,
    field_code,
)
from inson_runtime.problems.common import invalid_input
from inson_runtime.problems.fields import SOURCES, field_errors, pointer
from inson_runtime.problems.handlers import (
    Refusal,
    body_fields,
    catalogue_of,
    install_problems,
    install_refusals,
)
from inson_runtime.problems.language import negotiate
from inson_runtime.problems.model import FieldProblem, Problem, ValidationProblem
from inson_runtime.problems.openapi import install_problem_document

__all__ = [
    "SOURCES",
    "Catalogue",
    "FieldCode",
    "FieldError",
    "FieldProblem",
    "Problem",
    "ProblemError",
    "ProblemType",
    "Refusal",
    "ValidationProblem",
    "body_fields",
    "catalogue_of",
    "field_code",
    "field_errors",
    "install_problem_document",
    "install_problems",
    "install_refusals",
    "invalid_input",
    "negotiate",
    "pointer",
]
