"""``python -m inson_contracts generate|check``: the published schemas and AsyncAPI.

generate  writes jsonschema/<type>.json for every registered class and
          asyncapi.yaml; refuses (exit 2, writing nothing) when a committed
          schema would change incompatibly or lose its class.
check     exits 1 when the committed files differ from what the classes
          generate, naming them; ``make contracts`` fixes that.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from inson_contracts import asyncapi
from inson_contracts.events import REGISTRY, EventRegistry
from inson_contracts.schemas import SCHEMA_DIR, SchemaPlan, plan

# contracts/asyncapi.yaml, beside pyproject.toml: generate and check are run
# from a checkout (an installed wheel has no such place; pass --asyncapi).
DEFAULT_ASYNCAPI = Path(__file__).resolve().parents[2] / "asyncapi.yaml"
FIX = "run `make contracts` (python -m inson_contracts generate) and commit the result"


def _refusals(result: SchemaPlan, directory: Path) -> list[str]:
    lines: list[str] = []
    for event_type, problems in sorted(result.refused.items()):
        lines.append(f"{event_type}: incompatible with the committed schema:")
        lines.extend(f"  - {problem}" for problem in problems)
    if result.refused:
        lines.append(
            "A breaking change needs a new major version: a new class with a new type "
            "(….v2), the old one kept registered or upcast (EventRegistry.register_upcaster). "
            "If the type was never published, delete its schema file and generate again."
        )
    for event_type in result.orphans:
        lines.append(
            f"{event_type}: {directory / (event_type + '.json')} has no registered class "
            "or upcaster; old events of this type would become unreadable. Keep the "
            "class, register an upcaster, or delete the file if it was never published."
        )
    return lines


def generate(registry: EventRegistry, schemas: Path, document: Path) -> int:
    result = plan(registry, schemas)
    if result.blocked:
        print("\n".join(_refusals(result, schemas)), file=sys.stderr)
        print("generate: nothing written", file=sys.stderr)
        return 2
    schemas.mkdir(parents=True, exist_ok=True)
    for event_type, text in sorted(result.writes.items()):
        (schemas / f"{event_type}.json").write_text(text, encoding="utf-8")
        print(f"wrote {schemas / (event_type + '.json')}")
    text = asyncapi.render(asyncapi.build(registry))
    if not document.exists() or document.read_text(encoding="utf-8") != text:
        document.write_text(text, encoding="utf-8")
        print(f"wrote {document}")
    print(f"{len(registry.classes())} event types; schemas and AsyncAPI are current")
    return 0


def check(registry: EventRegistry, schemas: Path, document: Path) -> int:
    result = plan(registry, schemas)
    stale = [
        f"{schemas / (t + '.json')}: "
        + ("missing" if not (schemas / f"{t}.json").exists() else "differs from its class")
        for t in sorted(result.writes)
    ]
    stale += _refusals(result, schemas)
    text = asyncapi.render(asyncapi.build(registry))
    if not document.exists() or document.read_text(encoding="utf-8") != text:
        stale.append(f"{document}: differs from the classes and the topic catalogue")
    if stale:
        print("\n".join(stale), file=sys.stderr)
        print(f"check: the published contracts are out of date; {FIX}", file=sys.stderr)
        return 1
    print(f"{len(registry.classes())} event types; schemas and AsyncAPI are current")
    return 0


def main(argv: Sequence[str] | None = None, registry: EventRegistry = REGISTRY) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m inson_contracts",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("command", choices=("generate", "check"))
    parser.add_argument("--schemas", type=Path, default=SCHEMA_DIR, help="schema directory")
    parser.add_argument("--asyncapi", type=Path, default=DEFAULT_ASYNCAPI, help="AsyncAPI file")
    args = parser.parse_args(argv)
    command = generate if args.command == "generate" else check
    return command(registry, args.schemas, args.asyncapi)


if __name__ == "__main__":
    sys.exit(main())
