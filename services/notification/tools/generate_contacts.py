"""Write the placeholder staff directory, notification/reference/data/contacts.json.

    uv run python services/notification/tools/generate_contacts.py [--output PATH]

Reads the placeholder staff and window lists of the assessment and referral
services (their data files, not their code: services never import each
other) and gives every worker, supervisor and window a made-up chat id and
an address under ``inson.example``, a domain reserved never to receive mail.
Chat ids are derived from the id by a hash, so a rerun on the same lists
writes a byte-identical file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WORKERS = ROOT / "contracts/src/inson_contracts/codes/data/workers.json"
CENTERS = ROOT / "services/referral/src/referral/reference/data/service_centers.json"
OUTPUT = ROOT / "services/notification/src/notification/reference/data/contacts.json"

NOTE = (
    "GENERATED PLACEHOLDERS, NOT REAL CONTACT POINTS. Made by "
    "services/notification/tools/generate_contacts.py from the placeholder worker and window "
    "lists: chat ids are made up and every address is under inson.example, which never "
    "receives mail. For the real directory write a file of this shape ({kind: {id: "
    '{"chat_id", "email", "language"}}} for kinds social_worker, window, supervisor; '
    '"placeholder": false) and point INSON_CONTACTS_FILE at it or commit it in place of this one.'
)


def chat_id(staff_id: str) -> str:
    digest = hashlib.sha256(staff_id.encode()).digest()
    return str(1_000_000_000 + int.from_bytes(digest[:4], "big") % 1_000_000_000)


def entry(staff_id: str) -> dict[str, str]:
    return {"chat_id": chat_id(staff_id), "email": f"{staff_id}@staff.inson.example"}


def build() -> str:
    staff = json.loads(WORKERS.read_text(encoding="utf-8"))
    centers = json.loads(CENTERS.read_text(encoding="utf-8"))
    tables = {
        "social_worker": sorted(w["worker_id"] for w in staff["workers"]),
        "supervisor": sorted(s["supervisor_id"] for s in staff["supervisors"]),
        "window": sorted(w["code"] for c in centers["centers"] for w in c["windows"]),
    }
    # One entry per line: reviewable diffs, and a file that stays small.
    lines = ["{", f'  "note": {json.dumps(NOTE)},', '  "placeholder": true,']
    for n, (kind, ids) in enumerate(tables.items()):
        lines.append(f'  "{kind}": {{')
        rows = [f'    "{i}": {json.dumps(entry(i), separators=(", ", ": "))}' for i in ids]
        lines.append(",\n".join(rows))
        lines.append("  }" + ("," if n < len(tables) - 1 else ""))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    args.output.write_text(build(), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
