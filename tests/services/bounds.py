"""Robustness bounds for the import fuzz tests: time, memory and message length.

These are limits no input may push an import past (a hang, a blow-up, a message echoing a
whole file), not performance targets: they are generous on purpose, so that a slow CI
machine passes and only a real runaway fails.
"""

from __future__ import annotations

import signal
import threading
import time
import tracemalloc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from drillplanner.domain.excerpts import EXCERPT_LENGTH

# Wall-clock time one step (an import, or a listing after it) may take. An import is timed
# with tracemalloc on, which makes allocation-heavy code several times slower.
TIME_LIMIT = timedelta(seconds=10)
# Peak of Python allocations (tracemalloc) while handling one file.
MEMORY_LIMIT = 200 * 2**20
# A message quotes at most a few excerpts of what the file holds (EXCERPT_LENGTH characters
# each, 200 for a library's own reason) around one sentence, plus the file's name, a line
# and a property or column: a message longer than this echoes the input.
MESSAGE_LIMIT = 2_000
assert MESSAGE_LIMIT >= 10 * EXCERPT_LENGTH


class Runaway(BaseException):  # not an Exception: no `except Exception` eats it
    """Raised by the alarm of ``bounded`` when the work overruns its hard stop."""


@dataclass(slots=True)
class Usage:
    """What the work inside ``bounded`` used; filled in when the block ends."""

    seconds: float = 0.0
    peak_bytes: int = 0  # 0 when not traced


@contextmanager
def bounded(*, trace: bool = True, hard_stop: timedelta = TIME_LIMIT * 3) -> Iterator[Usage]:
    """Measure the block's time and (with ``trace``) its peak traced memory, and interrupt
    it (``Runaway``) after ``hard_stop`` where a POSIX interval timer is available, so that
    a hang fails the test instead of stalling the run."""
    usage = Usage()
    alarm = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    previous = None
    if alarm:
        def stop(_signum: int, _frame: object) -> None:
            raise Runaway(f"still running after {hard_stop.total_seconds():g} s")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, hard_stop.total_seconds())
    started = trace and not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    if trace:
        tracemalloc.reset_peak()
    begin = time.perf_counter()
    try:
        yield usage
    finally:
        usage.seconds = time.perf_counter() - begin
        if trace:
            usage.peak_bytes = tracemalloc.get_traced_memory()[1]
        if started:
            tracemalloc.stop()
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def check_usage(usage: Usage, what: str = "the import") -> None:
    """Fail when ``usage`` is over TIME_LIMIT or MEMORY_LIMIT."""
    assert usage.seconds < TIME_LIMIT.total_seconds(), (
        f"{what} took {usage.seconds:.1f} s (limit {TIME_LIMIT.total_seconds():g} s)")
    assert usage.peak_bytes < MEMORY_LIMIT, (
        f"{what} peaked at {usage.peak_bytes / 2**20:.0f} MB traced "
        f"(limit {MEMORY_LIMIT / 2**20:.0f} MB)")


def check_messages(error: BaseException, problems: Iterable[object]) -> None:
    """Fail when the error's text or any problem's text is over MESSAGE_LIMIT characters."""
    texts = [str(error), *(str(p) for p in problems)]
    for text in texts:
        assert len(text) <= MESSAGE_LIMIT, (
            f"a {len(text)}-character message (limit {MESSAGE_LIMIT}): {text[:200]!r}…")
