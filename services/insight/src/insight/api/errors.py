"""Insight's refusals as problems: each handler exception, and which code it is."""

from __future__ import annotations

from inson_runtime.problems import Refusal

from insight.api import problems as p
from insight.handlers.readers import NoDistrict, UnknownDistrict

REFUSALS = [Refusal(NoDistrict, p.NO_DISTRICT), Refusal(UnknownDistrict, p.DISTRICT_NOT_FOUND)]
