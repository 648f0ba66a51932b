"""Data-sharing levels: an administrator sets them (the partner cannot), by default a webhook
carries no personal field, with named fields only those; what is withheld parses with the
contracts, and the signature covers the body as sent. On in-memory stores."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from inson_contracts.events import REGISTRY, ApplicationSubmitted, CaseOpened, PersonErased
from inson_contracts.events.values import HouseholdMember, PersonName, Relation
from inson_contracts.personal import SEALED
from notification.domain.sharing import DataSharing, Level, schema_path, shareable, webhook_data
from notification.domain.signing import verify
from notification.handlers.commands import FieldsRefused, UnknownSubscription
from notification.handlers.webhooks import WebhookWorker

from ..conftest import PINFL, Samples
from .fakes import FakePersonalData, FakeWebhooks
from .test_commands import World

ADMIN = "admin-dpo"
TYPES = [ApplicationSubmitted.TYPE, CaseOpened.TYPE, PersonErased.TYPE]
PHONE = "+998901112233"


@pytest.fixture
def world(samples: Samples) -> World:
    return World(samples)


def application(samples: Samples) -> ApplicationSubmitted:
    grandchild = HouseholdMember(
        relation=Relation.GRANDCHILD,
        name=PersonName(last_name="Qodirova", first_name="Malika"),
        birth_date="2014-09-01",
    )
    return samples.submitted(PHONE).model_copy(update={"household": [grandchild]})


def data_of(samples: Samples) -> dict[str, Any]:
    return application(samples).model_dump(mode="json")


def test_by_default_a_body_holds_no_personal_field_and_still_parses(samples: Samples) -> None:
    data = webhook_data(DataSharing(), ApplicationSubmitted, data_of(samples), "case-c1")

    text = json.dumps(data, ensure_ascii=False)
    for personal in (PHONE, PINFL, "Qodirova", "Zulfiya", "1950-04-12", "Navoiy 5", "2014-09-01"):
        assert personal not in text
    assert data["circumstances"] == ["lonely_elderly"]  # codes stay
    assert data["address"] == {
        "region": "1735",
        "district": "1735207",
        "mahalla": data["address"]["mahalla"],
    }
    trace = data[SEALED]
    assert trace["erased"] is False and "ct" not in trace and "nonce" not in trace
    assert "applicant.phone" in trace["paths"] and "household.0.birth_date" in trace["paths"]
    # A reader of the contracts reads it as an event whose personal fields are withheld.
    event = REGISTRY.parse(ApplicationSubmitted.TYPE, data)
    assert isinstance(event, ApplicationSubmitted) and event.applicant.phone is None


def test_named_fields_are_the_only_personal_fields_sent(samples: Samples) -> None:
    sharing = DataSharing(Level.NAMED_FIELDS, ("applicant.name", "household[].birth_date"), "DSA-1")

    data = webhook_data(sharing, ApplicationSubmitted, data_of(samples), "case-c1")

    assert data["applicant"]["name"] == {
        "last_name": "Qodirova",
        "first_name": "Zulfiya",
        "patronymic": "Karimovna",
    }
    assert data["household"][0]["birth_date"] == "2014-09-01"
    assert "phone" not in data["applicant"] and "pinfl" not in data["applicant"]
    assert data["household"][0]["name"] == {}  # the grandchild's name was not named
    assert "household.0.name.last_name" in data[SEALED]["paths"]
    assert "applicant.name.last_name" not in data[SEALED]["paths"]


def test_everything_named_leaves_no_trace_and_an_erasure_leaves_its_mark(samples: Samples) -> None:
    everything = DataSharing(
        Level.NAMED_FIELDS, ("address", "applicant", "circumstances_note", "household"), "DSA-1"
    )
    whole = webhook_data(everything, ApplicationSubmitted, data_of(samples), "case-c1")
    assert SEALED not in whole and whole["applicant"]["phone"] == PHONE

    # Opened after the erasure: the sealed member without ciphertext, as the store's key gave it.
    erased = {
        **{k: v for k, v in data_of(samples).items() if k not in ("applicant", "household")},
        "applicant": {"name": {}, "language": "uz-Cyrl"},
        SEALED: {"v": 1, "kid": "c1", "paths": ["applicant.phone"], "erased": True},
    }
    data = webhook_data(everything, ApplicationSubmitted, erased, "case-c1")
    assert data[SEALED] == {"v": 1, "kid": "c1", "paths": ["applicant.phone"], "erased": True}


def test_what_an_administrator_may_name_and_how_a_path_is_read() -> None:
    names = shareable([ApplicationSubmitted, CaseOpened])
    assert {"applicant", "applicant.name", "applicant.name.last_name", "household[].name"} <= names
    assert {"household", "household.birth_date"} <= names  # with or without the brackets
    assert "circumstances" not in names and "address.district" not in names
    assert shareable([CaseOpened]) == frozenset()
    assert schema_path("household.12.name.last_name") == "household[].name.last_name"


async def test_an_administrator_sets_the_level_and_refusals_point_at_the_field(
    world: World,
) -> None:
    made = await world.subscribe(event_types=TYPES)
    assert made.sharing == DataSharing()  # nothing personal until an administrator says so

    shared = await world.partners.set_sharing(
        ADMIN,
        made.id,
        level=Level.NAMED_FIELDS,
        personal_fields=["applicant.phone", "applicant.name", "applicant.phone"],
        agreement="DSA-2026/014",
    )

    assert shared.sharing.personal_fields == ("applicant.name", "applicant.phone")
    assert (shared.sharing.agreement, shared.sharing.set_by) == ("DSA-2026/014", ADMIN)
    assert shared.sharing.set_at == world.clock()
    assert world.subscriptions.kept[made.id].sharing == shared.sharing

    cases = [
        (
            {"level": Level.NONE, "personal_fields": ["applicant.name"]},
            [("/body/personal_fields", "no_fields_at_level_none")],
        ),
        (
            {"level": Level.NAMED_FIELDS},
            [("/body/personal_fields", "missing"), ("/body/agreement", "missing")],
        ),
        (
            {
                "level": Level.NAMED_FIELDS,
                "personal_fields": ["applicant.name", "circumstances", "x.y"],
                "agreement": "DSA-1",
            },
            [
                ("/body/personal_fields/1", "personal_field_unknown"),
                ("/body/personal_fields/2", "personal_field_unknown"),
            ],
        ),
    ]
    for request, fields in cases:
        with pytest.raises(FieldsRefused) as refused:
            await world.partners.set_sharing(ADMIN, made.id, **request)
        assert list(refused.value.fields) == fields
    assert world.subscriptions.kept[made.id].sharing == shared.sharing  # unchanged by refusals
    with pytest.raises(UnknownSubscription):
        await world.partners.set_sharing(ADMIN, "no-such-id", level=Level.NONE)

    back = await world.partners.set_sharing(ADMIN, made.id, level=Level.NONE)
    assert back.sharing.level is Level.NONE and back.sharing.agreement is None


async def test_each_level_is_applied_when_sent_and_the_signature_covers_it(world: World) -> None:
    samples = world.samples
    partner, personal = FakeWebhooks(), FakePersonalData()
    worker = WebhookWorker(
        queues=world.outbox,
        subscriptions=world.subscriptions,
        webhooks=partner,
        clock=world.clock,
        personal_data=personal,
    )
    quiet = await world.subscribe(event_types=TYPES)
    named = await world.subscribe(event_types=TYPES)
    await world.partners.set_sharing(
        ADMIN,
        named.id,
        level=Level.NAMED_FIELDS,
        personal_fields=["applicant.phone"],
        agreement="DSA-7",
    )
    samples.now = world.clock() + timedelta(seconds=1)
    await world.feed(samples.envelope(application(samples), f"case-{samples.case_id}"))

    await worker.tick()

    by_subscription: dict[str, dict[str, Any]] = {}
    for _, body, headers in partner.received:
        # Each body verifies with its own subscription's secret, as sent.
        [signer] = [
            s
            for s in (quiet, named)
            if verify(
                s.secret,
                headers["webhook-id"],
                int(headers["webhook-timestamp"]),
                body,
                headers["webhook-signature"],
            )
        ]
        by_subscription[signer.id] = json.loads(body)
    assert "phone" not in by_subscription[quiet.id]["data"]["applicant"]
    assert by_subscription[named.id]["data"]["applicant"]["phone"] == PHONE
    assert by_subscription[named.id]["data"]["applicant"]["name"] == {}
    assert personal.opened == [ApplicationSubmitted.TYPE]  # opened for the named level only
