"""The one loader of reference files: packaged, replaced by a file, checked, reloaded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from inson_contracts.codes.reference import (
    ReferenceDataError,
    ReferenceFile,
    member_list,
    validated,
)
from pydantic import BaseModel


class ColourError(ReferenceDataError):
    pass


class Colour(BaseModel):
    code: str


def parse(source: str, document: Any) -> tuple[str, list[Colour]]:
    entries = member_list(source, document, "colours", ColourError)
    return source, [validated(Colour, f"{source}: colour", e, ColourError) for e in entries]


ENV = "INSON_TEST_COLOURS_FILE"
# The mahalla file is a packaged resource of this shape's sibling kind: any
# packaged JSON will do to prove the packaged path is read.
PACKAGED = ReferenceFile(
    package="inson_contracts.codes",
    resource="data/mahallas.json",
    env=ENV,
    parse=lambda source, document: source,
    error=ColourError,
)


def colours(tmp_path: Path, document: Any) -> ReferenceFile[tuple[str, list[Colour]]]:
    path = tmp_path / "colours.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return ReferenceFile(
        package="inson_contracts.codes",
        resource="data/none.json",
        env=ENV,
        parse=parse,
        error=ColourError,
    )


def test_the_packaged_file_is_read_without_a_replacement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    assert PACKAGED.get() == "inson_contracts/codes/data/mahallas.json"


def test_a_replacement_is_read_checked_and_reread_on_reload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader = colours(tmp_path, {"colours": [{"code": "red"}]})
    monkeypatch.setenv(ENV, str(tmp_path / "colours.json"))
    source, found = loader.get()
    assert source == str(tmp_path / "colours.json") and [c.code for c in found] == ["red"]
    (tmp_path / "colours.json").write_text('{"colours": [{"code": "blue"}]}', encoding="utf-8")
    assert [c.code for c in loader.get()[1]] == ["red"]  # cached until reloaded
    loader.reload()
    assert [c.code for c in loader.get()[1]] == ["blue"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"colors": []}', 'expected an object with a "colours" list'),
        ('{"colours": [{"hue": 1}]}', "colour: code: Field required"),
    ],
)
def test_a_bad_file_is_refused_with_one_line_naming_it(
    text: str, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader = colours(tmp_path, {})
    (tmp_path / "colours.json").write_text(text, encoding="utf-8")
    monkeypatch.setenv(ENV, str(tmp_path / "colours.json"))
    with pytest.raises(ColourError, match=message) as refused:
        loader.get()
    assert "\n" not in str(refused.value)


def test_an_unreadable_replacement_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV, "/nonexistent/colours.json")
    loader = ReferenceFile(
        package="inson_contracts.codes",
        resource="data/none.json",
        env=ENV,
        parse=parse,
        error=ColourError,
    )
    with pytest.raises(ColourError, match=f"{ENV}=/nonexistent/colours.json: cannot read"):
        loader.get()
