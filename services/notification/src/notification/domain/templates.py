"""The messages the service can send, and the parameters each one takes.

A template is a symbolic key (``citizen.plan_approved``); its wording in each
language lives in the message catalogues (``notification/messages``). This
table is the one list of what the catalogues must hold: the completeness test
reads it, so a new template without all three translations fails the build.

Parameters carry no personal data: a short case reference, a date, a code, a
service's name from the catalogue.
Names, addresses and free text written by staff never go into a message,
because an SMS is read on a shared family phone and kept by the operator.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from inson_contracts.events.referral import RejectionCode


class Template(StrEnum):
    APPLICATION_RECEIVED = "citizen.application_received"
    VISIT_SCHEDULED = "citizen.visit_scheduled"
    PLAN_APPROVED = "citizen.plan_approved"
    REFERRAL_ISSUED = "citizen.referral_issued"
    REFERRAL_ACCEPTED = "citizen.referral_accepted"
    REFERRAL_COMPLETED = "citizen.referral_completed"
    REFERRAL_REJECTED = "citizen.referral_rejected"
    HOUSING_ENDING = "citizen.housing_ending"
    CASE_ASSIGNED = "worker.case_assigned"
    WORKER_REFERRAL_ESCALATED = "worker.referral_escalated"
    WORKER_REFERRAL_REJECTED = "worker.referral_rejected"
    WORKER_REFERRAL_EXPIRED = "worker.referral_expired"
    WORKER_HOUSING_ENDING = "worker.housing_ending"
    SUPERVISOR_REFERRAL_ESCALATED = "supervisor.referral_escalated"
    WINDOW_REFERRAL_RECEIVED = "window.referral_received"


class ParamKind(StrEnum):
    """How a parameter's value becomes text in a given language."""

    TEXT = "text"  # as it is: references, codes, numbers
    DATE = "date"  # an ISO date, written the way the language writes dates
    TIME = "time"  # HH:MM, local time of Uzbekistan
    MESSAGE = "message"  # the key of another catalogue entry, in the same language
    SERVICE = "service"  # a service code, written as the service catalogue names it


TEMPLATE_PARAMS: Mapping[Template, Mapping[str, ParamKind]] = MappingProxyType(
    {
        Template.APPLICATION_RECEIVED: {"case_ref": ParamKind.TEXT},
        Template.VISIT_SCHEDULED: {
            "case_ref": ParamKind.TEXT,
            "date": ParamKind.DATE,
            "time": ParamKind.TIME,
        },
        Template.PLAN_APPROVED: {"case_ref": ParamKind.TEXT},
        Template.REFERRAL_ISSUED: {
            "case_ref": ParamKind.TEXT,
            "service": ParamKind.SERVICE,
            "referral_code": ParamKind.TEXT,
        },
        Template.REFERRAL_ACCEPTED: {"case_ref": ParamKind.TEXT},
        Template.REFERRAL_COMPLETED: {"case_ref": ParamKind.TEXT},
        Template.REFERRAL_REJECTED: {"case_ref": ParamKind.TEXT},
        Template.HOUSING_ENDING: {"case_ref": ParamKind.TEXT, "date": ParamKind.DATE},
        Template.CASE_ASSIGNED: {"case_ref": ParamKind.TEXT},
        Template.WORKER_REFERRAL_ESCALATED: {
            "case_ref": ParamKind.TEXT,
            "referral_ref": ParamKind.TEXT,
            "level": ParamKind.TEXT,
        },
        Template.WORKER_REFERRAL_REJECTED: {
            "case_ref": ParamKind.TEXT,
            "referral_ref": ParamKind.TEXT,
            "reason": ParamKind.MESSAGE,
        },
        Template.WORKER_REFERRAL_EXPIRED: {
            "case_ref": ParamKind.TEXT,
            "referral_ref": ParamKind.TEXT,
        },
        Template.WORKER_HOUSING_ENDING: {
            "case_ref": ParamKind.TEXT,
            "registration_ref": ParamKind.TEXT,
            "date": ParamKind.DATE,
        },
        Template.SUPERVISOR_REFERRAL_ESCALATED: {
            "case_ref": ParamKind.TEXT,
            "referral_ref": ParamKind.TEXT,
            "level": ParamKind.TEXT,
            "overdue_hours": ParamKind.TEXT,
        },
        Template.WINDOW_REFERRAL_RECEIVED: {
            "referral_ref": ParamKind.TEXT,
            "service": ParamKind.SERVICE,
            "service_code": ParamKind.TEXT,
            "accept_by": ParamKind.DATE,
        },
    }
)

EMAIL_SUBJECT = "email.subject"


def rejection_message(code: RejectionCode) -> str:
    """The catalogue key of a referral rejection code's wording."""
    return f"rejection.{code.value}"


def catalogue_keys() -> frozenset[str]:
    """Every key each language's catalogue must define, and no other."""
    return frozenset(
        {t.value for t in Template}
        | {EMAIL_SUBJECT}
        | {rejection_message(code) for code in RejectionCode}
    )
