"""The helper scripts work from any directory: each is run here from a temporary
one. ``--help`` tells what it does; with no service answering it stops at once,
naming the service and what to do, before anything is sent.

(``scripts/services.sh`` is `make`'s own and is run by it, from the checkout.)
The full walkthroughs need the four services running: they are run by hand
from another directory against ``make run``.
"""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"
WALKTHROUGHS = sorted(p for p in SCRIPTS.glob("*.sh") if p.name != "services.sh")
SERVICES = ("intake", "assessment", "referral")


def closed_port() -> int:
    """A port nothing listens on (the OS's choice, released at once)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_every_walkthrough_is_covered() -> None:
    assert [p.name for p in WALKTHROUGHS] == ["walkthrough-providers.sh", "walkthrough.sh"]


@pytest.mark.parametrize("script", WALKTHROUGHS, ids=lambda p: p.name)
def test_help_from_another_directory(script: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [script, "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=10
    )
    assert done.returncode == 0, done.stderr
    assert "from any directory" in done.stdout
    assert "INSON_INTAKE_URL" in done.stdout


@pytest.mark.parametrize("script", WALKTHROUGHS, ids=lambda p: p.name)
def test_a_service_not_running_is_named_before_anything_is_sent(
    script: Path, tmp_path: Path
) -> None:
    down = f"http://127.0.0.1:{closed_port()}"
    env = {"PATH": "/usr/bin:/bin"} | {f"INSON_{s.upper()}_URL": down for s in SERVICES}
    done = subprocess.run(
        [script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 1
    assert f"intake is not ready at {down}" in done.stderr
    assert "make run" in done.stderr
    assert "==" not in done.stdout  # no step was started
