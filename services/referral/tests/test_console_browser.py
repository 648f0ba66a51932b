"""The console in a real headless Chromium against the referral service serving
HTTP on a free port, on the real Kafka and FerretDB: a PlanApproved on the
assessment topic -> the operator signs in for their window -> the referrals
appear in the queue without a reload -> accept, start, complete with a note ->
the referral leaves the open queue, and the API says it is completed. The same
as a health facility's operator: its queue, a search by referral code, a
home-care referral's person with name and address, accept, start, complete,
and a colleague's step shown as theirs.

Chromium is Debian's (/usr/bin/chromium, `make browser-tools`); Playwright
downloads no browser of its own here. Screenshots go to .local/screenshots/.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.names import Language
from inson_contracts.codes.providers import provider
from inson_contracts.envelope import Envelope
from inson_contracts.events import PlanApproved
from inson_contracts.events.values import PlanItem
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.service import Runtime
from inson_runtime.testing.browser import chromium, serving, shoot
from playwright.async_api import Browser, Route, expect
from referral.console import install as install_console
from referral.console.labels import label
from referral.console.routes import OperatorCenter
from referral.domain.codes import referral_code
from referral.domain.routing import ServicePoint, choose_window, referral_id
from referral.main import compose
from referral.reference.centers import center_serving
from referral.settings import Settings

pytestmark = pytest.mark.integration


DISTRICT = "1735207"  # Beruniy: one center, two windows
MAHALLA = mahallas_of(DISTRICT)[7].code
WAIT_MS = 30_000  # the referral crosses Kafka twice (plan in, projection) before it shows


@pytest.fixture
async def served(
    kafka_bootstrap: str, mongodb_url: str, auth: AuthSettings, skip_history: Any
) -> AsyncIterator[tuple[Runtime, str]]:
    """The composed referral service, serving HTTP, on the real Kafka and FerretDB:
    its runtime (for sealing as intake does) and its base URL."""
    settings = Settings(
        service_name=f"referral-console-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
        outbox_sweep_interval_s=0.5,
        outbox_grace_s=0.2,
    )
    runtime, app = compose(settings)
    await skip_history(runtime)
    try:
        async with serving(app, lifespan="on") as base:
            yield runtime, base
    finally:
        cleanup = connect(mongodb_url)
        await cleanup.drop_database(settings.database_name)
        await cleanup.close()


@pytest.fixture
def server(served: tuple[Runtime, str]) -> str:
    return served[1]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as launched:
        yield launched


WINDOW_ITEMS = [  # in the order the policy refers them
    PlanItem(
        item_id=item_id, service_code=code, provider_type="social_service_window", priority=prio
    )
    for item_id, code, prio in (
        ("item-wheelchair", "REHAB-02", "emergency"),
        ("item-cash", "CASH-01", "urgent"),
        ("item-documents", "HOUSE-06", "routine"),
    )
]


def windows_of(plan: PlanApproved, point: ServicePoint) -> dict[str, str]:
    """referral id -> window, as routing spreads the items over an empty center's windows."""
    loads: dict[str, int] = {}
    chosen: dict[str, str] = {}
    for item in plan.items:
        window = choose_window(point, loads)
        loads[window] = loads.get(window, 0) + 1
        chosen[referral_id(plan.plan_id, item.item_id)] = window
    return chosen


async def publish(bootstrap: str, envelope: Envelope, topic: str = ASSESSMENT_PLANS.name) -> None:
    """Play another service (assessment by default): its event, on its topic, as its relay
    sends it."""
    broker = make_broker(bootstrap, client_id="test-assessment-console")
    await broker.connect()
    try:
        await EventPublisher(broker, service="test").publish(topic, [envelope])
    finally:
        await broker.stop()


async def test_an_operator_serves_a_referral_from_the_console(
    server: str, browser: Browser, auth: AuthSettings, kafka_bootstrap: str, plans: Any
) -> None:
    center = center_serving(DISTRICT, MAHALLA)
    plan_events = plans()
    plan = plan_events.approved(WINDOW_ITEMS, MAHALLA)
    routed = windows_of(plan, ServicePoint(center.code, center.window_codes))
    first = referral_id(plan.plan_id, plan.items[0].item_id)
    window = routed[first]
    mine = [rid for rid, w in routed.items() if w == window]
    token = mint_dev_token(
        sub="op-console-1",
        role="window_operator",
        service_center=center.code,
        district=DISTRICT,
        settings=auth,
    )

    page = await browser.new_page(viewport={"width": 1360, "height": 860}, locale="uz-UZ")
    problems: list[str] = []  # CSP violations and script errors show up here
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    answer = await page.goto(f"{server}/console")
    assert answer is not None and answer.status == 200
    assert "default-src 'self'" in (await answer.all_headers())["content-security-policy"]
    await expect(page.locator("body[data-ready=true]")).to_be_attached()

    # Sign in: the token, then one of the windows its center lists.
    await page.fill("#token", token)
    await expect(page.locator(f"#window option[value='{window}']")).to_be_attached()
    await page.select_option("#window", window)
    await page.click("#signin-submit")
    await expect(page.locator("#desk")).to_be_visible()
    await expect(page.locator("#queue-empty")).to_be_visible()
    stored = await page.evaluate(
        "() => [sessionStorage.getItem('inson.console.token'), Object.keys(localStorage)]"
    )
    assert stored == [token, ["inson.console.lang"]]  # the token in sessionStorage only

    # The plan is approved only now: the rows must come by polling, not by a reload.
    await publish(kafka_bootstrap, plan_events.envelope(plan))
    for rid in mine:
        row = page.locator(f"tr[data-referral-id='{rid}']")
        await expect(row).to_be_visible(timeout=WAIT_MS)
    rows = page.locator("#queue-rows tr")
    await expect(rows).to_have_count(len(mine))
    first_row = page.locator(f"tr[data-referral-id='{first}']")
    await expect(first_row).to_contain_text("Favqulodda")  # emergency, in uz-Latn
    await expect(first_row).to_contain_text("REHAB-02")

    await first_row.click()
    await expect(page.locator("#d-status")).to_have_class("badge status-delivered")
    await expect(page.locator("#d-id")).to_have_text(first)
    await shoot(page, "window-console.png")

    await page.click("button[data-lang='uz-Cyrl']")
    await expect(page.locator("h1")).to_have_text("Ижтимоий хизмат дарчаси")
    await expect(first_row).to_contain_text("Фавқулодда")
    await shoot(page, "window-console-uz-cyrl.png")
    await page.click("button[data-lang='uz-Latn']")

    accept = page.locator("button[data-action='accept']")
    await accept.click()
    await expect(page.locator("#d-status")).to_have_class("badge status-accepted")
    await page.click("button[data-action='start']")
    await expect(page.locator("#d-status")).to_have_class("badge status-started")
    await page.click("button[data-action='complete']")
    await page.fill("#complete-note", "Nogironlik aravachasi topshirildi")
    await page.click("#complete-form button[type=submit]")
    await expect(page.locator("#d-status")).to_have_class("badge status-completed")
    await expect(page.locator("#detail-closed")).to_be_visible()
    # Completed is not open: the next poll drops the row, the others stay.
    await expect(first_row).to_have_count(0, timeout=10_000)
    await expect(rows).to_have_count(len(mine) - 1)
    await expect(page.locator("#detail-message")).to_contain_text(
        label("status.completed", Language.UZ_LATN)
    )

    async with httpx.AsyncClient(base_url=server) as api:
        got = await api.get(f"/v1/referrals/{first}", headers={"Authorization": f"Bearer {token}"})
    assert got.status_code == 200, got.text
    assert got.json()["status"] == "completed"
    assert got.json()["accepted_by"] == "op-console-1"
    assert problems == []


HOSPITAL = f"health-{DISTRICT}"
HOSPITAL_ITEMS = [  # a home-care service (the address is shown) and one at the facility
    PlanItem(item_id=item_id, service_code=code, provider_type="health_facility", priority=prio)
    for item_id, code, prio in (
        ("item-nursing", "HOME-02", "urgent"),
        ("item-medicines", "HLTH-02", "routine"),
    )
]


async def test_a_health_facility_operator_serves_a_home_care_referral_from_the_console(
    served: tuple[Runtime, str],
    browser: Browser,
    auth: AuthSettings,
    kafka_bootstrap: str,
    plans: Any,
    applications: Any,
) -> None:
    """The same console, signed in as a provider operator: queue, search by code, the
    person (name, birth date, and the address for home care), accept, start, complete;
    a colleague's step taken first is shown as theirs, not as saved."""
    runtime, server = served
    plan_events = plans()
    person = applications(plan_events.case_id, mahalla=MAHALLA)
    plan = plan_events.approved(HOSPITAL_ITEMS, MAHALLA)
    nursing, medicines = (referral_id(plan.plan_id, i.item_id) for i in plan.items)
    token = mint_dev_token(
        sub="po-health-1", role="provider_operator", providers=[HOSPITAL], settings=auth
    )
    colleague = mint_dev_token(
        sub="po-health-2", role="provider_operator", providers=[HOSPITAL], settings=auth
    )
    for version, event in enumerate((person.submitted(), person.opened()), start=1):
        subject = f"case-{person.case_id}"
        wire = await runtime.sealer.seal(event.TYPE, event.model_dump(mode="json"), subject)
        await publish(kafka_bootstrap, person.envelope(event, version, wire), INTAKE_CASES.name)

    page = await browser.new_page(viewport={"width": 1360, "height": 900}, locale="uz-UZ")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    await page.goto(f"{server}/console")
    await expect(page.locator("body[data-ready=true]")).to_be_attached()

    # Sign in: the token, then one of the providers it names, by its directory name.
    await page.fill("#token", token)
    option = page.locator(f"#window option[value='{HOSPITAL}']")
    await expect(option).to_have_text(provider(HOSPITAL).name.uz_latn)
    await expect(page.locator("#window-label")).to_have_text(
        label("signin.provider", Language.UZ_LATN)
    )
    await page.click("#signin-submit")
    await expect(page.locator("#desk")).to_be_visible()
    await expect(page.locator("#app-title")).to_have_text(
        label("app.title_provider", Language.UZ_LATN)
    )
    await expect(page.locator("#center-name")).to_have_text(provider(HOSPITAL).name.uz_latn)

    await publish(kafka_bootstrap, plan_events.envelope(plan))
    rows = page.locator("#queue-rows tr")
    for rid in (nursing, medicines):
        row = page.locator(f"tr[data-referral-id='{rid}']")
        await expect(row).to_be_visible(timeout=WAIT_MS)
        await expect(row.locator("td.code")).to_have_text(referral_code(rid))
    await expect(rows).to_have_count(2)

    # The citizen shows a code: typed as people do, it finds that referral alone.
    code = referral_code(nursing)
    await page.fill("#search", f"{code[:4]}-{code[4:]}".lower())
    await page.click("#search-form button[type=submit]")
    await expect(rows).to_have_count(1)
    await expect(page.locator("#search-note")).to_have_text(
        label("search.results", Language.UZ_LATN)
    )
    row = page.locator(f"tr[data-referral-id='{nursing}']")
    await row.click()
    await expect(page.locator("#d-code")).to_have_text(code)
    await expect(page.locator("#d-provider")).to_have_text(provider(HOSPITAL).name.uz_latn)
    await expect(page.locator("#p-name")).to_have_text(
        "Qodirova Malika Rustamovna", timeout=WAIT_MS
    )
    await expect(page.locator("#p-birth")).to_have_text("17.05.1948")
    await expect(page.locator("#p-address")).to_contain_text(f"{person.STREET}, 12, 3")
    await expect(page.locator("#person-no-address")).to_be_hidden()
    await shoot(page, "provider-console.png")

    await page.click("button[data-action='accept']")
    await expect(page.locator("#d-status")).to_have_class("badge status-accepted")
    await page.click("button[data-action='start']")
    await expect(page.locator("#d-status")).to_have_class("badge status-started")
    await page.click("button[data-action='complete']")
    await page.fill("#complete-note", "Patronaj hamshirasi uyga bordi")
    await page.click("#complete-form button[type=submit]")
    await expect(page.locator("#d-status")).to_have_class("badge status-completed")
    await expect(page.locator("#detail-message")).to_contain_text(
        label("status.completed", Language.UZ_LATN)
    )
    await shoot(page, "provider-console-completed.png")

    # Back to the whole queue; the other referral is not at home: no address.
    await page.click("#search-clear")
    other = page.locator(f"tr[data-referral-id='{medicines}']")
    await expect(other).to_be_visible()
    await expect(rows).to_have_count(1)  # the completed one left the open queue
    await other.click()
    await expect(page.locator("#p-name")).to_have_text("Qodirova Malika Rustamovna")
    await expect(page.locator("#person-no-address")).to_be_visible()
    await expect(page.locator("#p-address")).to_be_hidden()

    # A colleague accepts it first: this operator's accept is shown as theirs, refused.
    async with httpx.AsyncClient(base_url=server) as api:
        first = await api.post(
            f"/v1/referrals/{medicines}/accept",
            headers={"Authorization": f"Bearer {colleague}"},
        )
        assert first.status_code == 200, first.text
        await page.click("button[data-action='accept']")
        message = page.locator("#detail-message")
        await expect(message).to_contain_text(label("error.already", Language.UZ_LATN))
        await expect(message).to_contain_text("po-health-2")
        await expect(message).to_have_class("message bad")
        # Then the detail shows the state the colleague left it in.
        await expect(page.locator("#d-status")).to_have_class("badge status-accepted")
        await expect(page.locator("#d-history")).to_contain_text("po-health-2")
        await shoot(page, "provider-console-conflict.png")
        got = await api.get(
            f"/v1/referrals/{nursing}", headers={"Authorization": f"Bearer {token}"}
        )
    assert got.status_code == 200 and got.json()["status"] == "completed"
    assert got.json()["accepted_by"] == "po-health-1"
    # The browser logs the refused accept's 409 as a failed load: the one expected.
    assert [p for p in problems if "status of 409" not in p] == []
    assert len(problems) == 1


HOSTILE = '<img src=x id=injected onerror="document.title=1">'


def _queue_item(now: datetime) -> dict[str, Any]:
    """A referral as /v1/queue answers it, overdue and escalated, with markup in its name."""
    return {
        "id": "ref-overdue-1",
        "status": "delivered",
        "case_id": "case-overdue",
        "service_code": "CASH-01",
        "service_name": {"uz_latn": HOSTILE, "uz_cyrl": HOSTILE, "ru": HOSTILE},
        "priority": "urgent",
        "provider_type": "social_service_window",
        "district": DISTRICT,
        "service_center": f"psc-{DISTRICT}",
        "window": f"psc-{DISTRICT}-w1",
        "issued_at": now.replace(year=now.year - 1).isoformat(),
        "accept_by": now.replace(day=1, month=1).isoformat(),
        "overdue": True,
        "escalation_level": 1,
    }


async def test_overdue_rows_stand_out_and_api_text_stays_text(browser: Browser) -> None:
    """The page's own rendering, on answers the test fakes: no Kafka, no store."""
    app = FastAPI()
    install_console(app)
    center = center_serving(DISTRICT, MAHALLA)
    answers = {"queue": 200}

    async def fake_api(route: Route) -> None:
        url = route.request.url
        if "/v1/me" in url:
            await route.fulfill(json={"sub": "op-1", "role": "window_operator", "scope": {}})
        elif "/console/api/center" in url:
            await route.fulfill(
                json=OperatorCenter.model_validate(
                    {**center.model_dump(mode="json"), "windows": center.windows}
                ).model_dump(mode="json")
            )
        elif answers["queue"] == 200:
            item = _queue_item(datetime.now(UTC))
            await route.fulfill(json={"items": [item], "page": 1, "page_size": 100, "total": 1})
        else:
            await route.fulfill(status=401, json={"detail": "token expired"})

    async with serving(app, lifespan="on") as base:
        page = await browser.new_page(viewport={"width": 1360, "height": 700})
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        await page.route(
            lambda url: any(path in url for path in ("/v1/queue", "/v1/me", "/console/api/")),
            fake_api,
        )
        await page.goto(f"{base}/console")
        await expect(page.locator("body[data-ready=true]")).to_be_attached()
        await page.fill("#token", "not-checked-by-the-fake")
        await expect(page.locator("#window option[value='psc-1735207-w1']")).to_be_attached()
        await page.click("#signin-submit")

        row = page.locator("tr[data-referral-id='ref-overdue-1']")
        await expect(row).to_have_class("row overdue")
        await expect(row).to_contain_text(HOSTILE)  # shown as text, never parsed
        await expect(row).to_contain_text(label("due.overdue", Language.UZ_LATN))
        await expect(row).to_contain_text(label("due.escalated", Language.UZ_LATN))
        assert await page.locator("#injected, #queue-rows img").count() == 0
        assert await page.title() == label("app.title", Language.UZ_LATN)
        await shoot(page, "window-console-overdue.png")

        # A token that stops working signs the operator out, and says why.
        answers["queue"] = 401
        await expect(page.locator("#signin")).to_be_visible(timeout=5_000)
        await expect(page.locator("#signin-error")).to_have_text(
            label("signin.expired", Language.UZ_LATN)
        )
        assert await page.evaluate("() => sessionStorage.getItem('inson.console.token')") is None
        assert problems == []


TABLET = {"width": 820, "height": 1180}


def _detail(item: dict[str, Any], status: str) -> dict[str, Any]:
    """A referral as GET /v1/referrals/{id} answers it (the fields the console shows)."""
    return {
        **item,
        "status": status,
        "referral_code": "86E3B5MF",
        "center_name": {"uz_latn": "Markaz", "uz_cyrl": "Марказ", "ru": "Центр"},
        "window_name": {"uz_latn": "Darcha 1", "uz_cyrl": "Дарча 1", "ru": "Окно 1"},
        "history": [{"type": "issued", "at": item["issued_at"], "by": None}],
    }


async def test_on_a_tablet_the_opened_referral_comes_into_view_and_messages_follow_the_language(
    browser: Browser,
) -> None:
    """At 820 px the queue and the open referral are one column: opening a referral low
    in a long queue brings it into view. The message an action leaves (done, or refused
    as already done by a colleague) is worded again when the operator switches language.
    On answers the test fakes: no Kafka, no store."""
    app = FastAPI()
    install_console(app)
    center = center_serving(DISTRICT, MAHALLA)
    now = datetime.now(UTC)
    items = [
        {**_queue_item(now), "id": f"ref-{n:02d}", "service_name": {"uz_latn": "Xizmat"}}
        | {"overdue": False, "escalation_level": 0}
        for n in range(30)
    ]
    status = {"ref-00": "delivered"}

    async def fake_api(route: Route) -> None:
        request = route.request
        path = urlsplit(request.url).path
        if path == "/v1/me":
            await route.fulfill(json={"sub": "op-1", "role": "window_operator", "scope": {}})
        elif path == "/console/api/center":
            await route.fulfill(
                json=OperatorCenter.model_validate(
                    {**center.model_dump(mode="json"), "windows": center.windows}
                ).model_dump(mode="json")
            )
        elif path == "/v1/queue":
            await route.fulfill(json={"items": items, "page": 1, "page_size": 100, "total": 30})
        elif path.endswith("/person"):
            await route.fulfill(json={"referral_id": "ref-00", "case_id": "c", "at_home": False})
        elif request.method == "POST" and path.endswith("/accept"):
            status["ref-00"] = "accepted"
            body = {"referral_id": "ref-00", "status": "accepted", "escalation_level": 0}
            await route.fulfill(json=body)
        elif request.method == "POST":  # a colleague started it first
            status["ref-00"] = "started"
            await route.fulfill(
                status=409,
                json={
                    "type": "urn:inson:problem:referral.already_done",
                    "title": "…",
                    "status": 409,
                    "code": "referral.already_done",
                    "state": "started",
                    "acted_by": {"id": "op-window-2", "role": "window_operator"},
                },
            )
        else:
            await route.fulfill(json=_detail(items[0], status["ref-00"]))

    async with serving(app, lifespan="on") as base:
        page = await browser.new_page(viewport=TABLET, locale="uz-UZ")
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        await page.route(lambda url: "/v1/" in url or "/console/api/" in url, fake_api)
        await page.goto(f"{base}/console")
        await expect(page.locator("body[data-ready=true]")).to_be_attached()
        await page.fill("#token", "not-checked-by-the-fake")
        await expect(page.locator("#window option[value='psc-1735207-w1']")).to_be_attached()
        await page.click("#signin-submit")

        await expect(page.locator("#queue-rows tr")).to_have_count(30)
        detail = page.locator("#detail")
        await expect(detail).not_to_be_in_viewport()  # below the long queue
        await page.click("tr[data-referral-id='ref-00']")
        await expect(page.locator("#d-id")).to_have_text("ref-00")
        await expect(detail).to_be_in_viewport()
        await expect(page.locator("tr[data-referral-id='ref-00']")).not_to_be_in_viewport()
        await shoot(page, "window-console-tablet-detail.png", full_page=False)  # what is seen

        message = page.locator("#detail-message")
        await page.click("button[data-action='accept']")
        await expect(message).to_have_text(
            f"{label('action.done', Language.UZ_LATN)}: "
            f"{label('status.accepted', Language.UZ_LATN)}"
        )
        await page.click("button[data-lang='uz-Cyrl']")
        await expect(message).to_have_text(
            f"{label('action.done', Language.UZ_CYRL)}: "
            f"{label('status.accepted', Language.UZ_CYRL)}"
        )
        await message.scroll_into_view_if_needed()
        await shoot(page, "window-console-tablet-message-uz-cyrl.png", full_page=False)

        await page.click("button[data-action='start']")
        for lang in (Language.UZ_CYRL, Language.RU):
            await page.click(f"button[data-lang='{lang.value}']")
            await expect(message).to_have_text(
                f"{label('error.already', lang)}: {label('status.started', lang)}"
                f" · {label('error.acted_by', lang)} op-window-2"
            )
            await expect(message).to_have_class("message bad")
        await message.scroll_into_view_if_needed()
        await shoot(page, "window-console-tablet-refusal-ru.png", full_page=False)
        assert problems == []
