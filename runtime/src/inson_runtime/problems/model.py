"""The shape of every error answer: RFC 9457 problem details, as published in OpenAPI.

Answers that carried data before (a refused transition's state, a tablet's
conflict, a stale draft) are subclasses adding extension members; ``detail``
is always a string.
"""

from __future__ import annotations

from pydantic import BaseModel, Field


class FieldProblem(BaseModel):
    """One field at fault. It says where and what, never the value that was sent."""

    pointer: str = Field(
        description="JSON pointer (RFC 6901) to the field, prefixed by where it was sent: "
        "/body/applicant/pinfl, /query/status, /header/idempotency-key, /path/case_id",
        examples=["/body/applicant/pinfl"],
    )
    code: str = Field(
        description="What is wrong with it, a stable code: missing, unknown_field, too_short, "
        "too_long, pattern_mismatch, not_allowed_value, not_date, ... or the service's own",
        examples=["pinfl_format"],
    )
    detail: str = Field(description="What is wrong, in the language negotiated")


class Problem(BaseModel):
    """An error answer (RFC 9457, ``application/problem+json``).

    ``code`` is stable and machine-readable (a client keys its own texts or
    behaviour on it); ``title`` and ``detail`` are in Uzbek (Latin or Cyrillic
    script) or Russian, as ``Accept-Language`` asks (default Uzbek, Latin).
    No answer carries a value the caller sent or an internal field.
    """

    type: str = Field(
        description="A URI per code: urn:inson:problem:<code>",
        examples=["urn:inson:problem:case.not_found"],
    )
    title: str = Field(
        description="What went wrong, in a few words (the same for every answer "
        "of this code and language)"
    )
    status: int = Field(description="The HTTP status of the answer", examples=[404])
    detail: str = Field(description="What went wrong and what to do, in the language negotiated")
    code: str = Field(description="The stable code of this problem", examples=["case.not_found"])
    instance: str | None = Field(
        default=None,
        description="This occurrence: urn:inson:request:<X-Correlation-ID>",
    )
    errors: list[FieldProblem] | None = Field(
        default=None, description="For invalid input: each field at fault"
    )


class ValidationProblem(Problem):
    """Invalid input (422): every field at fault, each with its pointer and code."""

    errors: list[FieldProblem] = Field(description="Each field at fault")
