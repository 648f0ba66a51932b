"""The need score: a transparent, versioned sum of points, one line per factor.

The weights are policy, not code: ``rules/scoring-v<N>.json`` lists the factors
(kinds in :mod:`assessment.domain.need_factors`), their points, the reference
income line and the level thresholds, so a supervisor can read them and a new
model can change them without a code change. A published model never changes
meaning: new weights are a new file and a new ``model`` name ("need-score/2"),
so a score recorded in an ``AssessmentCompleted`` event can be recomputed and
explained later. The total is the sum of the contributions, clamped at 0.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events.assessment import HouseholdSituation, NeedLevel, ScoreContribution
from pydantic import Field, ValidationError, model_validator

from assessment.domain.need_factors import (
    EXPLANATION_MAX,
    Data,
    Factor,
    FactorFacts,
    income_per_person,
    render,
)
from assessment.domain.rule_language import RuleFileError, explain_validation, read_rule_file

__all__ = [
    "CURRENT_MODEL",
    "Levels",
    "NeedScore",
    "ReferenceLine",
    "RuleFileError",
    "ScoringModel",
    "income_per_person",
    "score",
]


class ReferenceLine(Data):
    uzs_per_person_month: int = Field(gt=0)
    # Where the figure comes from, and that it is a configurable assumption.
    assumption: str = Field(min_length=1)


class Levels(Data):
    """The lowest total of each level above ``low``."""

    moderate: float = Field(gt=0)
    high: float
    critical: float

    @model_validator(mode="after")
    def _rising(self) -> Levels:
        if not self.moderate < self.high < self.critical:
            raise ValueError("levels must rise: moderate < high < critical")
        return self

    def level_for(self, total: float) -> NeedLevel:
        for level, threshold in (
            (NeedLevel.CRITICAL, self.critical),
            (NeedLevel.HIGH, self.high),
            (NeedLevel.MODERATE, self.moderate),
        ):
            if total >= threshold:
                return level
        return NeedLevel.LOW


class ScoringModel(Data):
    model: str = Field(pattern=r"^need-score/[0-9]+$", max_length=32)
    description: str = ""
    reference_line: ReferenceLine
    levels: Levels
    factors: tuple[Factor, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _factors_usable(self) -> ScoringModel:
        ids = [f.id for f in self.factors]
        if duplicated := sorted({i for i in ids if ids.count(i) > 1}):
            raise ValueError(f"factor ids used twice: {', '.join(duplicated)}")
        for factor in self.factors:
            for template in factor.templates():
                # Render with the largest values now, so a bad placeholder or an
                # over-long text fails the load instead of a later assessment.
                try:
                    text = render(template, count=31, line=self.reference_line.uzs_per_person_month)
                except (KeyError, IndexError, ValueError):
                    raise ValueError(
                        f"factor {factor.id}: explanation {template!r} uses a placeholder other"
                        " than {count}, {members}, {line}"
                    ) from None
                if len(text) > EXPLANATION_MAX - 12:  # room for ": +123.45"
                    raise ValueError(f"factor {factor.id}: explanation is too long")
        return self

    @classmethod
    def parse(cls, data: object, *, source: str) -> ScoringModel:
        try:
            return cls.model_validate(data)
        except ValidationError as error:
            raise RuleFileError(
                f"{source}: {explain_validation(error, _factor_names(data))}"
            ) from None

    @classmethod
    def load(cls, version: int) -> ScoringModel:
        source = f"scoring-v{version}.json"
        model = cls.parse(read_rule_file(source), source=source)
        if model.model != f"need-score/{version}":
            raise RuleFileError(f"{source}: says model {model.model!r}, not need-score/{version}")
        return model


CURRENT_MODEL: ScoringModel = ScoringModel.load(1)


def _factor_names(data: object) -> dict[int, str]:
    # Errors then name the factor by its id, which is what a rule author searches for.
    factors = data.get("factors") if isinstance(data, dict) else None
    if not isinstance(factors, list):
        return {}
    return {
        i: f"factor {f['id']}" for i, f in enumerate(factors) if isinstance(f, dict) and "id" in f
    }


@dataclass(frozen=True, slots=True)
class NeedScore:
    model: str
    total: float
    level: NeedLevel
    contributions: tuple[ScoreContribution, ...]
    income_per_person_uzs: int


def score(
    situation: HouseholdSituation,
    circumstances: Collection[Circumstance],
    *,
    model: ScoringModel = CURRENT_MODEL,
) -> NeedScore:
    """Score a household's need; the same inputs and model always give the same score."""
    facts = FactorFacts(
        situation=situation,
        circumstances=frozenset(Circumstance(c) for c in circumstances),
        income_per_person=income_per_person(situation),
        poverty_line=model.reference_line.uzs_per_person_month,
    )
    lines = tuple(
        c for f in model.factors if (c := f.contribute(facts)) is not None and c.points != 0
    )
    # Resources can outweigh hardship; a need below nothing means nothing.
    total = round(max(0.0, math.fsum(c.points for c in lines)), 2)
    return NeedScore(
        model=model.model,
        total=total,
        level=model.levels.level_for(total),
        contributions=lines,
        income_per_person_uzs=facts.income_per_person,
    )
