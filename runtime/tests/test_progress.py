"""The rebuild's progress: a bar redrawn on a terminal, plain lines in a log."""

from __future__ import annotations

import io

from inson_runtime.progress import Progress, clock_time


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_one_line_redrawn_with_a_bar_rate_and_eta() -> None:
    now = [0.0]
    out = Terminal()
    progress = Progress("rebuild case-files", stream=out, clock=lambda: now[0])
    progress(0, 10_000)
    now[0] = 2.0
    progress(2_500, 10_000)
    now[0] = 2.05
    progress(2_600, 10_000)  # too soon after the last redraw
    now[0] = 8.0
    progress(10_000, 10_000)
    progress.close()

    frames = out.getvalue().split("\r\x1b[2K")[1:]
    assert len(frames) == 3
    assert frames[1] == (
        "rebuild case-files [########......................] "
        "2,500/10,000 events  25%, 1,250/s, ETA 0:06"
    )
    assert frames[2].endswith("10,000/10,000 events 100%, 1,250/s, done\n")


def test_a_log_gets_a_plain_line_every_few_seconds_and_the_last() -> None:
    now = [0.0]
    out = io.StringIO()
    progress = Progress("rebuild recipients", stream=out, every_s=5.0, clock=lambda: now[0])
    for second, done in [(0, 0), (1, 100), (6, 600), (7, 700), (9, 900), (10, 1_000)]:
        now[0] = float(second)
        progress(done, 1_000)
    progress.close()

    assert out.getvalue().splitlines() == [
        "rebuild recipients: 0/1,000 events   0%, 0/s, ETA --:--",
        "rebuild recipients: 600/1,000 events  60%, 100/s, ETA 0:04",
        "rebuild recipients: 1,000/1,000 events 100%, 100/s, done",
    ]


def test_times_left_read_as_a_clock() -> None:
    assert clock_time(5) == "0:05"
    assert clock_time(605) == "10:05"
    assert clock_time(3_725) == "1:02:05"
