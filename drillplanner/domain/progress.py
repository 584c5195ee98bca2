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
    total: int

    @property
    def fraction(self) -> float:
        return 1.0 if self.total <= 0 else min(1.0, self.done / self.total)


#: Told of progress from the thread doing the work; must return quickly.
ProgressSink = Callable[[Progress], None]
