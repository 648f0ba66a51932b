"""The building blocks of the need score: member filters and the factor kinds.

A scoring file (``rules/scoring-v<N>.json``) lists factors; each names one of
the kinds below (``kind``) and carries its points and explanation text. The
kinds are the only code: which factors exist and what they weigh is data.
Explanations are rendered from the file's text and counts only, never from a
household's personal data. ``MemberFilter`` and ``Resource`` are shared with
the eligibility rule language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Literal

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events.assessment import (
    AssessedMember,
    DisabilityGroup,
    Employment,
    FunctionalLimitation,
    HouseholdSituation,
    HousingCondition,
    ProtectionRisk,
    Resources,
    Schooling,
    ScoreContribution,
)
from inson_contracts.events.values import Relation, Sex
from pydantic import BaseModel, ConfigDict, Field, model_validator

EXPLANATION_MAX = 300
"""ScoreContribution.explanation's limit."""


class Data(BaseModel):
    # Unknown keys are refused: a typo in a weight file must not silently drop a factor.
    model_config = ConfigDict(frozen=True, extra="forbid")


class Resource(StrEnum):
    """What the family itself brings (``Resources`` fields); it lowers the need."""

    RELATIVES_SUPPORT = "relatives_support"
    OWNS_HOME = "owns_home"
    LAND_PLOT = "land_plot"
    LIVESTOCK = "livestock"
    SKILLS = "skills"

    def present(self, resources: Resources) -> bool:
        # ``skills`` is a list: any recorded skill counts as the resource.
        return bool(getattr(resources, self.value))


class MemberFilter(Data):
    """Conditions on one household member; every condition given must hold."""

    applicant: bool | None = None
    age_min: int | None = Field(default=None, ge=0, le=130)
    age_max: int | None = Field(default=None, ge=0, le=130)
    sex: tuple[Sex, ...] | None = Field(default=None, min_length=1)
    relation: tuple[Relation, ...] | None = Field(default=None, min_length=1)
    disability_group: tuple[DisabilityGroup, ...] | None = Field(default=None, min_length=1)
    has_disability: bool | None = None
    needs_help_with_daily_living: bool | None = None
    chronic_illness: bool | None = None
    # Any of these limitations (the questionnaire's ``functional_limitations``).
    functional_limitations: tuple[FunctionalLimitation, ...] | None = Field(
        default=None, min_length=1
    )
    employment: tuple[Employment, ...] | None = Field(default=None, min_length=1)
    schooling: tuple[Schooling, ...] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _ages_in_order(self) -> MemberFilter:
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            raise ValueError(f"age_min {self.age_min} is above age_max {self.age_max}")
        return self

    def matches(self, m: AssessedMember) -> bool:
        return all(
            (
                self.applicant is None or (m.relation is None) == self.applicant,
                self.age_min is None or m.age >= self.age_min,
                self.age_max is None or m.age <= self.age_max,
                self.sex is None or m.sex in self.sex,
                self.relation is None or m.relation in self.relation,
                self.disability_group is None or m.disability_group in self.disability_group,
                self.has_disability is None
                or (m.disability_group is not None) is self.has_disability,
                self.needs_help_with_daily_living is None
                or m.needs_help_with_daily_living is self.needs_help_with_daily_living,
                self.chronic_illness is None or m.chronic_illness is self.chronic_illness,
                self.functional_limitations is None
                or not set(self.functional_limitations).isdisjoint(m.functional_limitations),
                self.employment is None or m.employment in self.employment,
                self.schooling is None or m.schooling in self.schooling,
            )
        )

    def describe(self) -> str:
        parts: list[str] = []
        if self.applicant is not None:
            parts.append("the applicant" if self.applicant else "not the applicant")
        if self.age_min is not None and self.age_max is not None:
            parts.append(f"aged {self.age_min} to {self.age_max}")
        elif self.age_min is not None:
            parts.append(f"aged {self.age_min} or over")
        elif self.age_max is not None:
            parts.append(f"aged {self.age_max} or under")
        for label, values in (
            ("sex", self.sex),
            ("relation", self.relation),
            ("disability group", self.disability_group),
            ("functional limitation", self.functional_limitations),
            ("employment", self.employment),
            ("schooling", self.schooling),
        ):
            if values is not None:
                parts.append(f"{label} {' or '.join(values)}")
        for flag, yes, no in (
            (self.has_disability, "with a disability group", "without a disability group"),
            (self.needs_help_with_daily_living, "needs help with daily living", "lives unaided"),
            (self.chronic_illness, "with a chronic illness", "without a chronic illness"),
        ):
            if flag is not None:
                parts.append(yes if flag else no)
        return ", ".join(parts) or "any member"


@dataclass(frozen=True, slots=True)
class FactorFacts:
    situation: HouseholdSituation
    circumstances: frozenset[Circumstance]
    income_per_person: int
    poverty_line: int


def income_per_person(situation: HouseholdSituation) -> int:
    """Monthly household income divided by its members, rounded down to a whole sum."""
    return sum(s.monthly_amount_uzs for s in situation.income_sources) // len(situation.members)


def render(template: str, count: int = 0, line: int = 0) -> str:
    members = f"{count} member" if count == 1 else f"{count} members"
    return template.format(count=count, members=members, line=f"{line:,}")


def _line(factor: str, points: float, text: str) -> ScoreContribution:
    return ScoreContribution(factor=factor, points=points, explanation=f"{text}: {points:+g}")


class _Factor(Data):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")
    note: str = ""  # why the weight is what it is; for rule authors, never shown to citizens

    def templates(self) -> tuple[str, ...]:
        raise NotImplementedError

    def contribute(self, facts: FactorFacts) -> ScoreContribution | None:
        raise NotImplementedError


class MembersFactor(_Factor):
    """``points_each`` for every member matching ``member`` (at most ``max_count``)."""

    kind: Literal["members"]
    member: MemberFilter
    points_each: float
    max_count: int | None = Field(default=None, ge=1)
    explanation: str  # may use {count} and {members} ("2 members")

    def templates(self) -> tuple[str, ...]:
        return (self.explanation,)

    def contribute(self, facts: FactorFacts) -> ScoreContribution | None:
        count = sum(1 for m in facts.situation.members if self.member.matches(m))
        if self.max_count is not None:
            count = min(count, self.max_count)
        if count == 0:
            return None
        return _line(self.id, self.points_each * count, render(self.explanation, count=count))


class IncomeBand(Data):
    below_share: float = Field(gt=0)  # of the reference line
    points: float
    explanation: str  # may use {line}


class IncomeFactor(_Factor):
    """The first band whose share of the reference line the income per person is below."""

    kind: Literal["income"]
    bands: tuple[IncomeBand, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ascending(self) -> IncomeFactor:
        shares = [b.below_share for b in self.bands]
        if shares != sorted(set(shares)):
            raise ValueError(f"factor {self.id}: bands must have rising below_share")
        return self

    def templates(self) -> tuple[str, ...]:
        return tuple(b.explanation for b in self.bands)

    def contribute(self, facts: FactorFacts) -> ScoreContribution | None:
        for band in self.bands:
            if facts.income_per_person < band.below_share * facts.poverty_line:
                text = render(band.explanation, line=facts.poverty_line)
                return _line(self.id, band.points, text)
        return None


class RatioBand(Data):
    at_least: float = Field(ge=0)
    points: float
    explanation: str


class DependencyFactor(_Factor):
    """Dependants (members not matching ``supporter``) per supporter, in falling bands.

    A household with dependants and no supporter at all falls in the top band.
    """

    kind: Literal["dependency_ratio"]
    supporter: MemberFilter
    min_household_size: int = Field(default=2, ge=1)
    bands: tuple[RatioBand, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _descending(self) -> DependencyFactor:
        limits = [b.at_least for b in self.bands]
        if limits != sorted(set(limits), reverse=True):
            raise ValueError(f"factor {self.id}: bands must have falling at_least")
        return self

    def templates(self) -> tuple[str, ...]:
        return tuple(b.explanation for b in self.bands)

    def contribute(self, facts: FactorFacts) -> ScoreContribution | None:
        members = facts.situation.members
        if len(members) < self.min_household_size:
            return None
        supporters = sum(1 for m in members if self.supporter.matches(m))
        dependants = len(members) - supporters
        if dependants == 0:
            return None
        ratio = math.inf if supporters == 0 else dependants / supporters
        for band in self.bands:
            if ratio >= band.at_least:
                return _line(self.id, band.points, render(band.explanation))
        return None


class _FlagFactor(_Factor):
    points: float
    explanation: str

    def templates(self) -> tuple[str, ...]:
        return (self.explanation,)

    def present(self, facts: FactorFacts) -> bool:
        raise NotImplementedError

    def contribute(self, facts: FactorFacts) -> ScoreContribution | None:
        return _line(self.id, self.points, self.explanation) if self.present(facts) else None


class HouseholdFactor(_FlagFactor):
    """The household's shape: its size, and a filter every member must match."""

    kind: Literal["household"]
    size_min: int = Field(default=1, ge=1)
    size_max: int | None = Field(default=None, ge=1)
    all_members: MemberFilter

    def present(self, facts: FactorFacts) -> bool:
        members = facts.situation.members
        return (
            len(members) >= self.size_min
            and (self.size_max is None or len(members) <= self.size_max)
            and all(self.all_members.matches(m) for m in members)
        )


class HousingFactor(_FlagFactor):
    kind: Literal["housing"]
    housing: tuple[HousingCondition, ...] = Field(min_length=1)

    def present(self, facts: FactorFacts) -> bool:
        return facts.situation.housing in self.housing


class RiskFactor(_FlagFactor):
    kind: Literal["risk"]
    risk: ProtectionRisk

    def present(self, facts: FactorFacts) -> bool:
        return self.risk in facts.situation.protection_risks


class ResourceFactor(_FlagFactor):
    kind: Literal["resource"]
    resource: Resource

    def present(self, facts: FactorFacts) -> bool:
        return self.resource.present(facts.situation.resources)


class CircumstanceFactor(_FlagFactor):
    kind: Literal["circumstance"]
    circumstance: Circumstance

    def present(self, facts: FactorFacts) -> bool:
        return self.circumstance in facts.circumstances


Factor = Annotated[
    MembersFactor
    | IncomeFactor
    | DependencyFactor
    | HouseholdFactor
    | HousingFactor
    | RiskFactor
    | ResourceFactor
    | CircumstanceFactor,
    Field(discriminator="kind"),
]
