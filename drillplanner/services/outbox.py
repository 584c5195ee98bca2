"""Headcounts that wait on this computer while the school's database server is away.

On a drill day the database server may go away (a restart, the network between the
buildings): a class's count typed then must not be lost, nor typed twice. ``record_or_keep``
records it as usual, or, when the server cannot be reached, keeps it in the outbox file on
this computer; ``send_waiting`` sends what waits once the server is back, each entry with
the id it was kept under, so a send that is interrupted and repeated stores it once.

A kept report stands for the moment it was typed: sent while the drill still runs it keeps
that time; sent after the all clear it is a correction with its reason said, at its typed
time when that was before the all clear.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.headcount import HeadcountEntry
from drillplanner.i18n import _
from drillplanner.services import drills, headcounts
from drillplanner.services.authorization import who
from drillplanner.storage.database import Database
from drillplanner.storage.errors import DatabaseUnavailableError
from drillplanner.storage.outbox_file import OutboxFile, Waiting

__all__ = ["Kept", "Outbox", "Sent", "Waiting", "record_or_keep", "send_waiting"]

_COUNTS = ("present", "absent", "missing", "injured", "with_us")


class Outbox:
    """The outbox file of this computer (one for every database it works on)."""

    def __init__(self, path: Path) -> None:
        self.file = OutboxFile(path)

    def count(self, db: Database) -> int:
        """How many entries wait to be sent to ``db``."""
        return self.file.count(db.target.url)

    def waiting(self, db: Database) -> list[Waiting]:
        return self.file.waiting(db.target.url)


@dataclass(frozen=True, slots=True)
class Kept:
    """A report kept on this computer: the database could not be reached."""

    entry_id: str
    run_id: int
    class_id: int
    kept_at: datetime
    waiting: int  # entries now waiting, this one included
    reason: str  # why the database could not be reached


@dataclass(frozen=True, slots=True)
class Sent:
    """What ``send_waiting`` did."""

    sent: int = 0
    #: Entries the database refused when they arrived (their figures no longer add up
    #: against the class, the class left the drill…): (entry, why). They are not kept.
    refused: tuple[tuple[Waiting, str], ...] = ()
    #: Still waiting: the server went away again.
    waiting: int = 0
    entries: tuple[HeadcountEntry, ...] = field(default=())


def record_or_keep(db: Database, outbox: Outbox, run_id: int, class_id: int,
                   present: object, *, absent: object = 0, missing: object = 0,
                   injured: object = 0, with_us: object = 0,
                   absent_names: Iterable[str] | str = (),
                   missing_names: Iterable[str] | str = (), note: str = "", by: str = "",
                   entry_id: str | None = None) -> Done[HeadcountEntry | Kept]:
    """Record a class's report, or keep it here when the database server cannot be
    reached (nothing changes in the database then).

    Validation and permissions are the database's (``record_headcount``); a kept report is
    checked when it is sent.
    """
    entry_id = entry_id or str(uuid.uuid4())
    try:
        done = headcounts.record_headcount(
            db, run_id, class_id, present, absent=absent, missing=missing, injured=injured,
            with_us=with_us, absent_names=absent_names, missing_names=missing_names,
            note=note, by=by, entry_id=entry_id)
        return Done(done.value, done.changes)
    except DatabaseUnavailableError as error:
        payload = {"run_id": run_id, "class_id": class_id, "present": present,
                   "absent": absent, "missing": missing, "injured": injured,
                   "with_us": with_us, "absent_names": _names(absent_names),
                   "missing_names": _names(missing_names), "note": note, "by": who(by)}
        kept = outbox.file.keep(db.target.url, entry_id, payload)
        return Done(Kept(entry_id, run_id, class_id, kept.kept_at, outbox.count(db),
                         str(error)), Changes())


def _names(value: Iterable[str] | str) -> list[str] | str:
    return value if isinstance(value, str) else list(value)


def send_waiting(db: Database, outbox: Outbox) -> Done[Sent]:
    """Send what waits for ``db``, oldest first; stops at the first entry the server
    cannot take (it went away again)."""
    sent: list[HeadcountEntry] = []
    refused: list[tuple[Waiting, str]] = []
    runs: set[int] = set()
    for waiting in outbox.waiting(db):
        try:
            done = _send(db, waiting)
        except DatabaseUnavailableError:
            break
        except DrillplannerError as error:
            refused.append((waiting, str(error)))
        else:
            sent.append(done.value)
            runs.add(done.value.run_id)
        outbox.file.remove(waiting.entry_id)
    changes = Changes.of(Kind.HEADCOUNT, *sorted(runs)) if runs else Changes()
    return Done(Sent(len(sent), tuple(refused), outbox.count(db), tuple(sent)), changes)


def _send(db: Database, waiting: Waiting) -> Done[HeadcountEntry]:
    data: dict[str, Any] = waiting.payload
    run = drills.get_run(db, int(data["run_id"]))
    typed_at = waiting.kept_at
    reason = ""
    at: datetime | None = typed_at
    if run.status is RunStatus.COMPLETED:
        reason = _("Typed at {time} while the database could not be reached; sent when it "
                   "came back.").format(time=typed_at.astimezone(
                       run.alarm_at.tzinfo if run.alarm_at else None).strftime("%H:%M:%S"))
        if run.all_clear_at is not None and typed_at > run.all_clear_at:
            at = None  # typed after the all clear: the class's report time stands
    return headcounts.record_headcount(
        db, run.id, int(data["class_id"]), data["present"], absent=data["absent"],
        missing=data["missing"], injured=data["injured"], with_us=data["with_us"],
        absent_names=data["absent_names"], missing_names=data["missing_names"],
        note=data["note"], by=data["by"], at=at, reason=reason,
        entry_id=waiting.entry_id)
