"""The supervisor's registers: the care register and temporary housing.

``Assessments`` (``commands.py``) takes these use cases from here. Temporary
housing follows the versioned rule of ``domain/housing.py``: a term checked
before any event is built (so a refusal names the field and echoes nothing
the caller sent), and a registration that runs on with an earlier one only as
the supervisor's decision, naming it, with a reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from inson_contracts.events import (
    CareRegisterEntryAdded,
    CareRegisterEntryRemoved,
    TemporaryHousingGranted,
)
from inson_contracts.events.registers import CareRegisterCategory, CareRegisterRemovalReason
from inson_runtime.apikit import actor_of
from inson_runtime.auth import Principal

from assessment.domain import case_file as rules
from assessment.domain.housing import HousingRule, Registration, term_errors
from assessment.handlers.case_files import CaseFiles, case_file_for, decided, derived_id, record
from assessment.handlers.errors import Unprocessable


class RegisterCommands:
    files: CaseFiles
    clock: Callable[[], datetime]
    housing_rule: HousingRule

    async def add_to_care_register(
        self,
        caller: Principal,
        case_id: str,
        category: CareRegisterCategory,
        decision_ref: str,
        pinfl: str | None,
    ) -> str:
        """Put the person on the care register; the entry's id (derived from the decision)."""
        file = await case_file_for(self.files, caller, case_id)
        entry_id = derived_id("care", case_id, category.value, decision_ref)
        now = self.clock()
        events = decided(
            lambda: rules.decide_care_entry(
                file,
                CareRegisterEntryAdded(
                    case_id=case_id,
                    entry_id=entry_id,
                    pinfl=pinfl,
                    category=category,
                    district=file.district or "",
                    decision_ref=decision_ref,
                    decided_by=actor_of(caller),
                    decided_at=now,
                ),
            )
        )
        await record(self.files, file, events)
        return entry_id

    async def remove_from_care_register(
        self,
        caller: Principal,
        case_id: str,
        entry_id: str,
        reason: CareRegisterRemovalReason,
        note: str | None,
    ) -> None:
        file = await case_file_for(self.files, caller, case_id)
        now = self.clock()
        events = decided(
            lambda: rules.decide_care_removal(
                file,
                CareRegisterEntryRemoved(
                    case_id=case_id,
                    entry_id=entry_id,
                    reason=reason,
                    note=note,
                    decided_by=actor_of(caller),
                    decided_at=now,
                ),
            )
        )
        await record(self.files, file, events)

    async def grant_temporary_housing(
        self,
        caller: Principal,
        case_id: str,
        institution_code: str,
        valid_from: date,
        valid_until: date,
        pinfl: str | None,
        *,
        extends: str | None = None,
        reason: str | None = None,
    ) -> str:
        """Register a homeless person at an institution; the registration's id (derived from
        its first day, so asking again for the same registration records nothing)."""
        file = await case_file_for(self.files, caller, case_id)
        if errors := term_errors(valid_from, valid_until, self.housing_rule):
            raise Unprocessable([{**e, "loc": ["body", *e["loc"]]} for e in errors])
        registration_id = derived_id("housing", case_id, valid_from.isoformat())
        now = self.clock()
        events = decided(
            lambda: rules.decide_housing(
                file,
                TemporaryHousingGranted(
                    case_id=case_id,
                    registration_id=registration_id,
                    pinfl=pinfl,
                    institution_code=institution_code,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    decided_by=actor_of(caller),
                    decided_at=now,
                    extends=extends,
                    reason=reason,
                ),
                self.housing_rule,
            )
        )
        await record(self.files, file, events)
        return registration_id

    async def temporary_housing(self, caller: Principal, case_id: str) -> list[Registration]:
        """Every registration of the case, earliest first, ended ones too."""
        file = await case_file_for(self.files, caller, case_id)
        return sorted(file.housing.values(), key=lambda r: r.granted.valid_from)
