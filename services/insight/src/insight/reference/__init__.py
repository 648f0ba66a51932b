"""The reference counts coverage is measured against: each district's mahallas
(the mahalla register) and active social workers (the staff directory)."""

from __future__ import annotations

from collections import Counter

from inson_contracts.codes.mahallas import mahallas
from inson_contracts.codes.staff import workers

from insight.domain.coverage import Reference


def load_reference() -> Reference:
    per_district = Counter(m.district_code for m in mahallas())
    staffed = Counter(w.district for w in workers() if w.active)
    return Reference(mahallas=dict(per_district), workers=dict(staffed))
