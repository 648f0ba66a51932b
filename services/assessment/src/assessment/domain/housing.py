"""Temporary housing: how long a registration may last, which one continues another,
when it ends and when the person is told. Pure.

The rule is data, ``rules/housing-v1.json``: the longest term in calendar
months and how many days before the end the person and the worker are told.
Its examples (the 31st, February, leap years) are checked when it loads and
by the tests. Dates are days in Uzbekistan (UTC+5 all year): a registration
whose last day is 1 September expires on 2 September, Tashkent time.

The decisions over a case's registrations are in ``case_file.py``; this
module holds what they are made of.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any, Literal

from inson_contracts.events import (
    TemporaryHousingEndingSoon,
    TemporaryHousingExpired,
    TemporaryHousingGranted,
)
from pydantic import BaseModel, Field, ValidationError, model_validator

from assessment.domain.rule_language import RuleFileError, explain_validation, read_rule_file

# Uzbekistan keeps UTC+5 all year (no daylight saving since 1992).
TASHKENT = timezone(timedelta(hours=5), "UZT")

FieldError = dict[str, Any]
HousingStatus = Literal["upcoming", "active", "ended"]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, or that month's last day if it has
    no such day (31 August + 6 = 28 or 29 February); past the calendar, its last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plus_days(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the calendar's ends (a date a client may send
    is any date: arithmetic on it must not fail)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def local_day(moment: datetime) -> date:
    """The day it is in Uzbekistan at ``moment``."""
    return moment.astimezone(TASHKENT).date()


class TermExample(BaseModel):
    valid_from: date
    latest_valid_until: date
    why: str = ""


class ReminderExample(BaseModel):
    valid_until: date
    first_reminder_day: date


class HousingRule(BaseModel):
    """One version of the temporary housing rule (``rules/housing-v<n>.json``)."""

    rule: str = Field(pattern=r"^housing-v[1-9][0-9]*$")
    max_term_months: int = Field(ge=1, le=24)
    reminder_days_before_end: int = Field(ge=0, le=90)
    examples: list[TermExample] = Field(min_length=1)
    reminder_examples: list[ReminderExample] = Field(default_factory=list)

    def latest_end(self, valid_from: date) -> date:
        """The last day a registration starting on ``valid_from`` may have."""
        return add_months(valid_from, self.max_term_months)

    def first_reminder_day(self, valid_until: date) -> date:
        return plus_days(valid_until, -self.reminder_days_before_end)

    def reminding(self, days_before_end: int | None) -> HousingRule:
        """The rule with a deployment's own lead time (None: the rule's)."""
        if days_before_end is None:
            return self
        return self.model_copy(update={"reminder_days_before_end": days_before_end})

    @model_validator(mode="after")
    def _examples_hold(self) -> HousingRule:
        for e in self.examples:
            if self.latest_end(e.valid_from) != e.latest_valid_until:
                raise ValueError(
                    f"example {e.valid_from}: the rule gives {self.latest_end(e.valid_from)}, "
                    f"not {e.latest_valid_until}"
                )
        for r in self.reminder_examples:
            if self.first_reminder_day(r.valid_until) != r.first_reminder_day:
                raise ValueError(f"reminder example {r.valid_until} does not hold")
        return self

    @classmethod
    def load(cls, version: int) -> HousingRule:
        source = f"housing-v{version}.json"
        try:
            rule = cls.model_validate(read_rule_file(source))
        except ValidationError as error:
            raise RuleFileError(f"{source}: {explain_validation(error)}") from None
        if rule.rule != f"housing-v{version}":
            raise RuleFileError(f"{source}: says rule {rule.rule!r}, not housing-v{version}")
        return rule


CURRENT_RULE: HousingRule = HousingRule.load(1)


class InvalidRegistration(ValueError):
    """The registration cannot be granted as asked; ``errors`` name each field (422)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(str(e["msg"]) for e in errors))
        self.errors = errors


def refused(field: str, msg: str, kind: str = "value_error") -> InvalidRegistration:
    """A refusal of one field; its message holds dates and ids, never the person's data."""
    return InvalidRegistration([{"loc": [field], "msg": msg, "type": kind}])


def term_errors(valid_from: date, valid_until: date, rule: HousingRule) -> list[FieldError]:
    """What is wrong with the term itself, whatever else the case holds."""
    if valid_until <= valid_from:
        return refused("valid_until", "valid_until must be after valid_from").errors
    latest = rule.latest_end(valid_from)
    if valid_until > latest:
        return refused(
            "valid_until",
            f"temporary registration is for at most {rule.max_term_months} calendar "
            f"months ({rule.rule}): from {valid_from.isoformat()} it may last until "
            f"{latest.isoformat()}",
        ).errors
    return []


@dataclass(frozen=True)
class Registration:
    """A registration as the case file knows it: granted, perhaps continued, told, ended."""

    granted: TemporaryHousingGranted
    expired: bool = False
    reminded: bool = False
    extended_by: str | None = None

    @property
    def registration_id(self) -> str:
        return self.granted.registration_id

    @property
    def valid_until(self) -> date:
        return self.granted.valid_until

    def status(self, today: date) -> HousingStatus:
        if self.expired or self.granted.valid_until < today:
            return "ended"
        return "upcoming" if today < self.granted.valid_from else "active"

    def same_terms(self, other: TemporaryHousingGranted) -> bool:
        """``other`` asks for this very registration again (a retried request)."""
        mine = self.granted
        return (mine.institution_code, mine.valid_until, mine.extends) == (
            other.institution_code,
            other.valid_until,
            other.extends,
        )


Housing = Mapping[str, Registration]


def continued_by(housing: Housing, granted: TemporaryHousingGranted) -> list[Registration]:
    """The registrations ``granted`` runs on with: overlapping them, or with no day between
    (ended ones too, so a second term cannot begin silently after the first)."""
    return [
        r
        for r in housing.values()
        if r.registration_id != granted.registration_id
        and r.granted.valid_from <= plus_days(granted.valid_until, 1)
        and granted.valid_from <= plus_days(r.valid_until, 1)
    ]


def with_granted(housing: Housing, granted: TemporaryHousingGranted) -> dict[str, Registration]:
    found = {**housing, granted.registration_id: Registration(granted)}
    continued = found.get(granted.extends or "")
    # The earlier one's end is no longer the person's: it is not told of it.
    if continued is not None and granted.valid_until > continued.valid_until:
        found[continued.registration_id] = replace(continued, extended_by=granted.registration_id)
    return found


def with_expired(housing: Housing, expired: TemporaryHousingExpired) -> dict[str, Registration]:
    registration = housing.get(expired.registration_id)
    if registration is None:
        return dict(housing)
    return {**housing, expired.registration_id: replace(registration, expired=True)}


def with_reminded(
    housing: Housing, reminded: TemporaryHousingEndingSoon
) -> dict[str, Registration]:
    registration = housing.get(reminded.registration_id)
    if registration is None:
        return dict(housing)
    return {**housing, reminded.registration_id: replace(registration, reminded=True)}


def reminder_due(registration: Registration, today: date, rule: HousingRule) -> bool:
    """Told once, from the rule's lead time before the last day until that day; never for a
    registration a later one continues, or one that ended."""
    return (
        not registration.reminded
        and not registration.expired
        and registration.extended_by is None
        and rule.first_reminder_day(registration.valid_until) <= today <= registration.valid_until
    )
