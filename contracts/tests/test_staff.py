"""The worker directory: 698 placeholder workers covering all 1,351 pilot mahallas, replaceable."""

from __future__ import annotations

import importlib.util
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from inson_contracts.codes import INSON_PILOT_DISTRICTS, UnknownCode
from inson_contracts.codes.mahallas import (
    MAHALLA_COUNT_PILOT,
    MAHALLAS_FILE_ENV,
    mahallas,
    mahallas_of,
    reload_mahallas,
)
from inson_contracts.codes.staff import (
    WORKER_COUNT_PILOT,
    WORKERS_FILE_ENV,
    Worker,
    WorkerDataError,
    reload_workers,
    supervisor_of,
    supervisors,
    worker,
    workers,
    workers_covering,
    workers_source,
)

CONTRACTS = Path(__file__).resolve().parent.parent
PACKAGED = CONTRACTS / "src" / "inson_contracts" / "codes" / "data" / "workers.json"
PILOT_CODES = {d.code for d in INSON_PILOT_DISTRICTS}


@pytest.fixture(autouse=True)
def packaged_lists(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Every test starts from the packaged files, whatever the shell exported,
    # and leaves no replacement cached for the next test.
    monkeypatch.delenv(WORKERS_FILE_ENV, raising=False)
    monkeypatch.delenv(MAHALLAS_FILE_ENV, raising=False)
    reload_mahallas()
    reload_workers()
    yield
    reload_mahallas()
    reload_workers()


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_workers", CONTRACTS / "tools" / "generate_workers.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def worker_entry(
    worker_id: str, mahallas: list[str], district: str = "1735207", **extra: object
) -> dict[str, object]:
    return {
        "worker_id": worker_id,
        "district": district,
        "mahallas": mahallas,
        "inson_center": f"inson-{district}",
        "name": "Dilnoza Karimova",
        **extra,
    }


def supervisor_entry(district: str = "1735207", **extra: object) -> dict[str, object]:
    return {
        "supervisor_id": f"sup-{district}",
        "district": district,
        "inson_center": f"inson-{district}",
        "name": "Aziz Rahimov",
        **extra,
    }


def use_files(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers_: list[object],
    supervisors_: list[object] | None = None,
) -> Path:
    """A two-district world: Beruniy's 1735207001-003 and Olmazor's 1726280001."""
    mahalla_file = tmp_path / "mahallas.json"
    name = {"uz_latn": "Navbahor", "uz_cyrl": "Навбаҳор", "ru": "Навбахор"}
    listed = [("1735207001", "1735207"), ("1735207002", "1735207"), ("1735207003", "1735207")]
    listed.append(("1726280001", "1726280"))
    mahalla_file.write_text(
        json.dumps(
            {"mahallas": [{"code": c, "district_code": d, "name": name} for c, d in listed]}
        ),
        encoding="utf-8",
    )
    path = tmp_path / "workers.json"
    document = {
        "note": "test",
        "workers": workers_,
        "supervisors": [supervisor_entry(), supervisor_entry("1726280")]
        if supervisors_ is None
        else supervisors_,
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv(MAHALLAS_FILE_ENV, str(mahalla_file))
    monkeypatch.setenv(WORKERS_FILE_ENV, str(path))
    reload_mahallas()
    reload_workers()
    return path


def good_workers() -> list[object]:
    return [
        worker_entry("w-1", ["1735207001", "1735207002"]),
        worker_entry("w-2", ["1735207002", "1735207003"], placeholder=False),
        worker_entry("w-3", ["1726280001"], "1726280", active=False),
        worker_entry("w-4", ["1726280001"], "1726280"),
    ]


def test_the_pilot_has_698_workers_with_unique_ids() -> None:
    assert WORKER_COUNT_PILOT == 698
    assert len(workers()) == WORKER_COUNT_PILOT
    ids = [w.worker_id for w in workers()]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert workers_source().endswith("data/workers.json")
    for w in workers():
        assert re.fullmatch(rf"sw-{w.district}-\d{{2}}", w.worker_id)
        assert w.inson_center == f"inson-{w.district}"
        assert w.active


def test_every_pilot_mahalla_is_covered_and_only_from_its_own_district() -> None:
    covered: Counter[str] = Counter()
    for w in workers():
        assert w.district in PILOT_CODES
        for code in w.mahallas:
            assert code[:7] == w.district
        covered.update(w.mahallas)
    assert set(covered) == {m.code for m in mahallas()}
    assert len(covered) == MAHALLA_COUNT_PILOT
    for m in mahallas():
        assert workers_covering(m.code)
        assert all(m.code in w.mahallas for w in workers_covering(m.code))


def test_workers_are_shared_out_in_proportion_to_mahallas() -> None:
    per_district = Counter(w.district for w in workers())
    assert set(per_district) == PILOT_CODES
    assert sum(per_district.values()) == WORKER_COUNT_PILOT
    for code, count in per_district.items():
        exact = WORKER_COUNT_PILOT * len(mahallas_of(code)) / MAHALLA_COUNT_PILOT
        assert abs(count - exact) < 1, code


def test_most_workers_cover_two_mahallas_and_some_mahallas_have_a_choice() -> None:
    sizes = Counter(len(w.mahallas) for w in workers())
    assert set(sizes) == {1, 2, 3}
    assert sizes[2] > len(workers()) * 3 // 4
    shared = [m.code for m in mahallas() if len(workers_covering(m.code)) == 2]
    assert 0 < len(shared) < MAHALLA_COUNT_PILOT // 10
    assert all(len(workers_covering(m.code)) <= 2 for m in mahallas())


def test_placeholders_say_so() -> None:
    first = worker("sw-1735207-01")
    assert first.placeholder and first.name == "Ijtimoiy xodim 01 (vaqtincha)"
    assert all(w.placeholder and "vaqtincha" in w.name for w in workers())
    assert all(s.placeholder and "vaqtincha" in s.name for s in supervisors())
    note = json.loads(PACKAGED.read_text(encoding="utf-8"))["note"]
    assert "PLACEHOLDER" in note and WORKERS_FILE_ENV in note


def test_every_pilot_district_has_a_supervisor() -> None:
    assert {s.district for s in supervisors()} == PILOT_CODES
    boss = supervisor_of("1726280")
    assert boss.supervisor_id == "sup-1726280"
    assert boss.inson_center == "inson-1726280"


def test_lookups_and_unknown_codes() -> None:
    assert worker("sw-1726280-01").district == "1726280"
    assert worker("sw-1726280-01") in workers_covering("1726280001")
    with pytest.raises(UnknownCode, match="unknown social worker code 'sw-0'"):
        worker("sw-0")
    with pytest.raises(UnknownCode, match="unknown mahalla code '1735207999'"):
        workers_covering("1735207999")
    with pytest.raises(UnknownCode, match="unknown district code '1703999'"):
        supervisor_of("1703999")


def test_the_directory_is_loaded_once_and_immutable() -> None:
    assert workers() is workers()
    with pytest.raises(ValueError, match="frozen"):
        worker("sw-1735207-01").active = False  # type: ignore[misc]


def test_the_generator_reproduces_the_committed_file_byte_for_byte(tmp_path: Path) -> None:
    again = tmp_path / "workers.json"
    generator().write(again)
    assert again.read_bytes() == PACKAGED.read_bytes()


def test_a_replacement_file_named_by_the_environment_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = use_files(tmp_path, monkeypatch, good_workers())
    assert workers_source() == str(path)
    assert [w.worker_id for w in workers()] == ["w-1", "w-2", "w-3", "w-4"]
    assert [w.worker_id for w in workers_covering("1735207002")] == ["w-1", "w-2"]
    assert not worker("w-2").placeholder
    assert not worker("w-3").active
    assert supervisor_of("1726280").name == "Aziz Rahimov"
    with pytest.raises(UnknownCode, match="supervisor for district code '1703401'"):
        supervisor_of("1703401")  # a pilot city the replacement leaves out
    monkeypatch.delenv(WORKERS_FILE_ENV)
    monkeypatch.delenv(MAHALLAS_FILE_ENV)
    reload_mahallas()
    reload_workers()
    assert len(workers()) == WORKER_COUNT_PILOT


def _replace(index: int, entry: dict[str, object]) -> list[object]:
    entries = good_workers()
    entries[index] = entry
    return entries


@pytest.mark.parametrize(
    ("workers_", "supervisors_", "message"),
    [
        (
            [*good_workers(), worker_entry("w-1", ["1735207001"])],
            None,
            r"worker #5 .*w-1.* listed twice \(first as worker #1\)",
        ),
        (
            _replace(
                0, worker_entry("w-1", ["1799999001"], "1799999", inson_center="inson-1799999")
            ),
            None,
            r"worker #1 .*unknown district 1799999",
        ),
        (
            _replace(0, worker_entry("w-1", ["1735207001", "1735207009"])),
            None,
            r"worker #1 .*\['1735207009'\] are not in the mahalla list",
        ),
        (
            _replace(0, worker_entry("w-1", ["1735207001", "1726280001"])),
            None,
            r"worker #1 .*not inside district 1735207",
        ),
        (
            _replace(0, worker_entry("w-1", ["1735207001"], inson_center="inson-1726280")),
            None,
            r"worker #1 .*not the center of district 1735207",
        ),
        (_replace(0, worker_entry("w 1", ["1735207001"])), None, r"worker #1 .*worker_id"),
        (_replace(0, worker_entry("w-1", [])), None, r"worker #1 .*mahallas"),
        (
            _replace(0, worker_entry("w-1", ["1735207002", "1735207002"])),
            None,
            r"worker #1 .*listed twice",
        ),
        (good_workers()[1:], None, r"1 mahallas have no active worker: 1735207001"),
        (
            _replace(3, worker_entry("w-4", ["1726280001"], "1726280", active=False)),
            None,
            r"no active worker: 1726280001",
        ),
        (good_workers(), [supervisor_entry()], r"districts without a supervisor: \['1726280'\]"),
        (
            good_workers(),
            [supervisor_entry(), supervisor_entry("1726280"), supervisor_entry(supervisor_id="x")],
            r"supervisor #3 .*district 1735207 already has supervisor sup-1735207",
        ),
        (
            good_workers(),
            [supervisor_entry(), supervisor_entry("1726280", supervisor_id="sup-1735207")],
            r"supervisor #2 .*sup-1735207 is listed twice",
        ),
        ([], None, "lists no workers"),
    ],
)
def test_a_bad_replacement_file_is_refused_naming_the_entry(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers_: list[object],
    supervisors_: list[object] | None,
    message: str,
) -> None:
    path = use_files(tmp_path, monkeypatch, workers_, supervisors_)
    with pytest.raises(WorkerDataError, match=message) as caught:
        workers()
    assert str(path) in str(caught.value)


def test_an_unreadable_or_malformed_replacement_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(WORKERS_FILE_ENV, str(tmp_path / "missing.json"))
    reload_workers()
    with pytest.raises(WorkerDataError, match="cannot read"):
        workers()
    broken = tmp_path / "broken.json"
    broken.write_text('{"workers": [', encoding="utf-8")
    monkeypatch.setenv(WORKERS_FILE_ENV, str(broken))
    reload_workers()
    with pytest.raises(WorkerDataError, match="not valid JSON"):
        workers()
    broken.write_text('{"workers": []}', encoding="utf-8")
    reload_workers()
    with pytest.raises(WorkerDataError, match='"supervisors" lists'):
        workers()


def test_the_packaged_directory_does_not_fit_a_replaced_mahalla_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A real mahalla register needs a real staff list with it: the packaged
    # workers name mahallas the replacement does not have, and that is refused.
    use_files(tmp_path, monkeypatch, good_workers())
    monkeypatch.delenv(WORKERS_FILE_ENV)
    reload_workers()
    with pytest.raises(WorkerDataError, match="not in the mahalla list"):
        workers()


def test_worker_model_is_usable_directly() -> None:
    made = Worker.model_validate(worker_entry("w-9", ["1735207001"]))
    assert made.active and not made.placeholder
