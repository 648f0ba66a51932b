"""Every rule, in every language: who is told what, with no personal data in the text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from inson_contracts.codes.names import CYRILLIC, Language
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.codes.services import SERVICES
from inson_contracts.events import Event
from inson_contracts.events.notification import RecipientKind
from inson_contracts.events.referral import RejectionCode
from inson_contracts.events.values import PlanItem
from notification.domain.rules import (
    RULE_EVENTS,
    CitizenOf,
    Intent,
    StaffMember,
    WorkerOf,
    intents_for,
    short_ref,
)
from notification.domain.templates import Template
from notification.messages.catalogue import render

from .conftest import (
    APPLICANT_NAME,
    PINFL,
    REFERRAL_CODE,
    SUPERVISOR,
    WINDOW,
    WORKER,
    Samples,
    fresh_phone,
)

VISIT_AT = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)  # 14:00 in Tashkent


def all_rule_events(s: Samples, phone: str) -> list[tuple[Event, str]]:
    """One event of every type a rule reacts to, with the stream it is recorded in."""
    case, assessment, referral = f"case-{s.case_id}", f"assessment-{s.case_id}", "referral-1"
    return [
        (s.submitted(phone), case),
        (s.visit(VISIT_AT), assessment),
        (s.plan_approved(), assessment),
        (s.accepted(), referral),
        (s.completed(), referral),
        (s.rejected(), referral),
        (s.assigned(), assessment),
        (s.reassigned("sw-1735207-02"), assessment),
        (s.escalated(), referral),
        (s.issued(ProviderType.SOCIAL_SERVICE_WINDOW, code=REFERRAL_CODE), referral),
        (s.expired(), referral),
        (s.housing_ending(), assessment),
    ]


def one(intents: list[Intent]) -> Intent:
    assert len(intents) == 1, intents
    return intents[0]


def test_the_citizen_hears_of_the_application_with_the_contact_in_the_event(
    samples: Samples,
) -> None:
    phone = fresh_phone()
    intent = one(intents_for(samples.submitted(phone, "ru"), f"case-{samples.case_id}"))
    assert intent.kind is RecipientKind.CITIZEN
    assert intent.template is Template.APPLICATION_RECEIVED
    assert isinstance(intent.recipient, CitizenOf)
    assert intent.recipient.case_id == samples.case_id
    assert intent.recipient.contact is not None
    assert intent.recipient.contact.phone == phone
    assert intent.recipient.contact.language is Language.RU
    assert intent.params == {"case_ref": short_ref(samples.case_id)}


@pytest.mark.parametrize(
    ("build", "template"),
    [
        (lambda s: s.plan_approved(), Template.PLAN_APPROVED),
        (lambda s: s.accepted(), Template.REFERRAL_ACCEPTED),
        (lambda s: s.completed(), Template.REFERRAL_COMPLETED),
    ],
)
def test_citizen_rules_name_the_case_and_leave_the_contact_to_the_read_model(
    samples: Samples, build: object, template: Template
) -> None:
    intent = one(intents_for(build(samples), "any"))  # type: ignore[operator]
    assert intent.kind is RecipientKind.CITIZEN
    assert intent.recipient == CitizenOf(samples.case_id)
    assert intent.template is template
    assert intent.case_id == samples.case_id


def test_a_visit_is_told_in_tashkent_time(samples: Samples) -> None:
    intent = one(intents_for(samples.visit(VISIT_AT), "assessment-x"))
    assert intent.template is Template.VISIT_SCHEDULED
    assert intent.params["date"] == "2026-03-12" and intent.params["time"] == "14:00"
    late = datetime(2026, 3, 12, 20, 30, tzinfo=UTC)  # already the 13th in Tashkent
    assert one(intents_for(samples.visit(late), "x")).params["date"] == "2026-03-13"


def test_a_rejected_referral_tells_the_citizen_and_the_worker_the_code_not_the_text(
    samples: Samples,
) -> None:
    citizen, worker = intents_for(samples.rejected(RejectionCode.NOT_ELIGIBLE), "x")
    assert citizen.template is Template.REFERRAL_REJECTED
    assert worker.kind is RecipientKind.SOCIAL_WORKER
    assert worker.recipient == WorkerOf(samples.case_id)
    assert worker.params["reason"] == "rejection.not_eligible"


def test_assignment_and_reassignment_tell_the_new_worker(samples: Samples) -> None:
    assigned = one(intents_for(samples.assigned(), "x"))
    assert assigned.recipient == StaffMember(WORKER)
    assert assigned.template is Template.CASE_ASSIGNED
    moved = one(intents_for(samples.reassigned("sw-1735207-05"), "x"))
    assert moved.recipient == StaffMember("sw-1735207-05")


def test_an_escalation_tells_the_worker_and_the_supervisor_when_named(samples: Samples) -> None:
    worker, supervisor = intents_for(samples.escalated(), "x")
    assert worker.recipient == WorkerOf(samples.case_id)
    assert worker.template is Template.WORKER_REFERRAL_ESCALATED
    assert supervisor.kind is RecipientKind.SUPERVISOR
    assert supervisor.recipient == StaffMember(SUPERVISOR)
    assert supervisor.params["overdue_hours"] == "5"
    assert [i.kind for i in intents_for(samples.escalated(to=None), "x")] == [
        RecipientKind.SOCIAL_WORKER
    ]


def test_a_window_hears_of_a_new_referral_other_providers_do_not(samples: Samples) -> None:
    intent = one(intents_for(samples.issued(ProviderType.SOCIAL_SERVICE_WINDOW), "x"))
    assert intent.kind is RecipientKind.WINDOW
    assert intent.recipient == StaffMember(WINDOW)
    assert intent.params == {
        "referral_ref": short_ref(samples.referral_id),
        "service": "HOME-01",  # written as its name in the window's language
        "service_code": "HOME-01",
        "accept_by": "2026-03-21",  # 23:30 UTC is the next morning in Tashkent
    }
    assert intents_for(samples.issued(ProviderType.HEALTH_FACILITY, window=None), "x") == []
    # Written with the issue for windows: telling it again would double the message.
    assert intents_for(samples.delivered(), "x") == []


def test_the_citizen_gets_the_referral_code_whichever_provider_it_goes_to(
    samples: Samples,
) -> None:
    health = samples.issued(ProviderType.HEALTH_FACILITY, window=None, code=REFERRAL_CODE)
    intent = one(intents_for(health, "x"))
    assert intent.kind is RecipientKind.CITIZEN
    assert intent.recipient == CitizenOf(samples.case_id)
    assert intent.template is Template.REFERRAL_ISSUED
    assert intent.params == {
        "case_ref": short_ref(samples.case_id),
        "service": "HOME-01",
        "referral_code": REFERRAL_CODE,
    }
    # A window referral tells the window as before, and the citizen besides.
    window = samples.issued(ProviderType.SOCIAL_SERVICE_WINDOW, code=REFERRAL_CODE)
    assert [i.template for i in intents_for(window, "x")] == [
        Template.WINDOW_REFERRAL_RECEIVED,
        Template.REFERRAL_ISSUED,
    ]
    # Issued again after a revision: a new code, told again.
    again = samples.issued(
        ProviderType.HEALTH_FACILITY, window=None, code="8M4N0R3Q", replaces="earlier-referral"
    )
    assert one(intents_for(again, "x")).params["referral_code"] == "8M4N0R3Q"


def test_a_referral_without_a_code_is_not_told_to_the_citizen(samples: Samples) -> None:
    # Issued before codes existed (a replay of old events): nothing to show.
    assert intents_for(samples.issued(ProviderType.HEALTH_FACILITY, window=None), "x") == []


def test_an_expired_referral_tells_the_worker(samples: Samples) -> None:
    intent = one(intents_for(samples.expired(), "x"))
    assert intent.kind is RecipientKind.SOCIAL_WORKER
    assert intent.recipient == WorkerOf(samples.case_id)
    assert intent.template is Template.WORKER_REFERRAL_EXPIRED
    assert intent.params == {
        "case_ref": short_ref(samples.case_id),
        "referral_ref": short_ref(samples.referral_id),
    }


def test_a_near_end_of_temporary_housing_tells_the_citizen_and_the_worker_the_last_day(
    samples: Samples,
) -> None:
    citizen, worker = intents_for(samples.housing_ending(), f"assessment-{samples.case_id}")
    assert citizen.recipient == CitizenOf(samples.case_id)
    assert citizen.template is Template.HOUSING_ENDING
    assert citizen.params == {"case_ref": short_ref(samples.case_id), "date": "2026-09-01"}
    assert worker.recipient == WorkerOf(samples.case_id)
    assert worker.template is Template.WORKER_HOUSING_ENDING
    assert worker.params == {
        "case_ref": short_ref(samples.case_id),
        "registration_ref": short_ref(samples.registration_id),
        "date": "2026-09-01",
    }
    texts = {language: render(citizen.template, language, citizen.params) for language in Language}
    assert "по 1 сентября 2026" in texts[Language.RU] and "включительно" in texts[Language.RU]
    assert "tugaydi" in texts[Language.UZ_LATN] and "тугайди" in texts[Language.UZ_CYRL]


def test_events_without_a_rule_tell_nobody(samples: Samples) -> None:
    assert intents_for(samples.opened("app-1"), "case-x") == []
    # Issue 19's new events: partners may hear of them, people are not told.
    assert intents_for(samples.case_closed(), f"case-{samples.case_id}") == []
    assert intents_for(samples.revision_proposed(), f"assessment-{samples.case_id}") == []


def test_new_optional_fields_change_no_message(samples: Samples) -> None:
    chosen = PlanItem(
        item_id="i1",
        service_code="HOME-01",
        provider_type="inson_center",
        needs=["daily_living"],
        provider=f"inson-{samples.case_id[:8]}",
    )
    plain, with_needs = samples.plan_approved(), samples.plan_approved(chosen)
    assert intents_for(with_needs, "x") == intents_for(plain, "x")


def test_every_rule_event_yields_at_most_one_intent_per_recipient_kind(samples: Samples) -> None:
    events = all_rule_events(samples, fresh_phone())
    assert {type(e) for e, _ in events} == set(RULE_EVENTS)
    for event, stream in events:
        kinds = [i.kind for i in intents_for(event, stream)]
        assert kinds and len(kinds) == len(set(kinds)), type(event).__name__


@pytest.mark.parametrize("language", list(Language))
def test_every_message_renders_in_every_language_without_personal_data(
    samples: Samples, language: Language
) -> None:
    phone = fresh_phone()
    rendered: set[str] = set()
    for event, stream in all_rule_events(samples, phone):
        for intent in intents_for(event, stream):
            text = render(intent.template, language, intent.params)
            rendered.add(intent.template)
            assert text.startswith(("Inson:", "Инсон:")), text
            for ref in ("case_ref", "referral_ref", "referral_code", "registration_ref"):
                if ref in intent.params:
                    assert intent.params[ref] in text
            # No name, PINFL, phone, address or staff free text, ever.
            for secret in (
                APPLICANT_NAME.last_name,
                APPLICANT_NAME.first_name,
                PINFL,
                phone,
                "Navoiy",
                "Pasport",
                "Qizi",
            ):
                assert secret not in text, (intent.template, text)
            if language is Language.UZ_LATN:
                assert not CYRILLIC.search(text), text
            else:
                assert CYRILLIC.search(text), text
    assert rendered == {t.value for t in Template}


@pytest.mark.parametrize(
    ("language", "wording"),
    [
        (
            Language.UZ_LATN,
            "«Yolgʻiz keksalar va nogironligi boʻlgan shaxslarga uyda ijtimoiy xizmat» "
            "xizmatiga yoʻllanma berildi. Xizmat olishda ushbu kodni koʻrsating: 7K3M9Q2P.",
        ),
        (
            Language.UZ_CYRL,
            "«Ёлғиз кексалар ва ногиронлиги бўлган шахсларга уйда ижтимоий хизмат» "
            "хизматига йўлланма берилди. Хизмат олишда ушбу кодни кўрсатинг: 7K3M9Q2P.",
        ),
        (
            Language.RU,
            "направление на услугу «Социальное обслуживание на дому одиноких пожилых и лиц "
            "с инвалидностью». Покажите этот код при получении услуги: 7K3M9Q2P.",
        ),
    ],
)
def test_the_referral_message_names_the_service_in_the_citizens_script(
    samples: Samples, language: Language, wording: str
) -> None:
    intent = one(intents_for(samples.issued(ProviderType.INSON_CENTER, None, code="7K3M9Q2P"), "x"))
    text = render(intent.template, language, intent.params)
    assert text.endswith(wording), text
    assert short_ref(samples.case_id) in text and "HOME-01" not in text


@pytest.mark.parametrize("language", list(Language))
def test_the_referral_message_fits_three_sms_parts_with_any_service(language: Language) -> None:
    # Cyrillic and the Uzbek apostrophe go as UCS-2: 67 characters a part.
    for item in SERVICES:
        params = {"case_ref": "5D1C7E0A", "service": item.code, "referral_code": REFERRAL_CODE}
        text = render(Template.REFERRAL_ISSUED, language, params)
        assert len(text) <= 3 * 67, (item.code, len(text))


def test_a_service_the_catalogue_does_not_know_is_written_as_its_code() -> None:
    params = {"case_ref": "5D1C7E0A", "service": "NEW-99", "referral_code": REFERRAL_CODE}
    assert "«NEW-99»" in render(Template.REFERRAL_ISSUED, Language.RU, params)


def test_the_visit_date_is_written_the_languages_way(samples: Samples) -> None:
    intent = one(intents_for(samples.visit(VISIT_AT), "x"))
    assert "12-mart, 2026" in render(intent.template, Language.UZ_LATN, intent.params)
    assert "12 март, 2026" in render(intent.template, Language.UZ_CYRL, intent.params)
    assert "12 марта 2026" in render(intent.template, Language.RU, intent.params)
    assert "14:00" in render(intent.template, Language.RU, intent.params)


def test_short_references_are_readable_and_stable() -> None:
    assert short_ref("5d1c7e0a-9b1f-4f3e-8c55-2a8e3c0b7f61") == "5D1C7E0A"
    assert short_ref("ref-abc") == "REFABC"
