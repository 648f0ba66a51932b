"""Fail when a module of the platform's code grows past its limit.

    python scripts/check_module_size.py [--max-lines 400]

A module over ~300 lines is asking to be split (STYLE.md); past 400 it must
be. Data tables (the service catalogue, code lists) are data, not code, and
are listed below by path.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ["contracts/src", "runtime/src", "services/*/src", "devsinks"]
DATA_TABLES: set[str] = set()


def oversized(max_lines: int) -> list[tuple[str, int]]:
    found = []
    for pattern in SOURCES:
        for folder in sorted(ROOT.glob(pattern)):
            for module in sorted(folder.rglob("*.py")):
                relative = module.relative_to(ROOT).as_posix()
                lines = len(module.read_text(encoding="utf-8").splitlines())
                if lines > max_lines and relative not in DATA_TABLES:
                    found.append((relative, lines))
    return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-lines", type=int, default=400)
    args = parser.parse_args()
    found = oversized(args.max_lines)
    for relative, lines in found:
        print(f"{relative}: {lines} lines (more than {args.max_lines}): split it", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
