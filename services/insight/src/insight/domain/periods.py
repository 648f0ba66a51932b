"""Weeks and months as people in Uzbekistan count them: Tashkent dates (pure)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

TASHKENT = ZoneInfo("Asia/Tashkent")


class PeriodKind(StrEnum):
    WEEK = "week"  # ISO week: 2026-W49
    MONTH = "month"  # calendar month: 2026-12


def tashkent_date(moment: datetime) -> date:
    return moment.astimezone(TASHKENT).date()


def period_of(moment: datetime, kind: PeriodKind) -> str:
    """The week or month (Tashkent time) ``moment`` falls in, as a sortable label."""
    return period_of_day(tashkent_date(moment), kind)


def period_of_day(day: date, kind: PeriodKind) -> str:
    if kind is PeriodKind.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"
