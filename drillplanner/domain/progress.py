"""How far a long operation (an import of a large file) has come, for a progress bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    READ = "read"  # reading the file
    CHECK = "check"  # checking every row against the school
    SAVE = "save"  # writing (the only stage that holds the write lock)


@dataclass(frozen=True, slots=True)
class Progress:
    stage: Stage
    done: int
    total: int  # 0: not known yet


#: Told of progress from the thread doing the work; must return quickly.
ProgressSink = Callable[[Progress], None]
