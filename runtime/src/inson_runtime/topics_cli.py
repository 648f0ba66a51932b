"""`inson-topics`: create the catalogue's topics on the configured broker."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from inson_contracts.topics import CATALOGUE

from inson_runtime.kafka import ensure_topics
from inson_runtime.settings import ServiceSettings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="inson-topics", description=__doc__)
    parser.add_argument("command", choices=["ensure", "list"])
    args = parser.parse_args(argv)
    if args.command == "list":
        for topic in CATALOGUE:
            print(f"{topic.name}\tpartitions={topic.partitions}\tretention.ms={topic.retention_ms}")
        return 0
    settings = ServiceSettings()
    created = asyncio.run(
        ensure_topics(settings.kafka_bootstrap_servers, security=settings.kafka_security())
    )
    for name in created:
        print(f"created {name}")
    print(f"{len(CATALOGUE)} catalogue topics present on {settings.kafka_bootstrap_servers}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
