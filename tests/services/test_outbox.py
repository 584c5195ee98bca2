"""Headcounts typed while the database server is away wait in the outbox on this computer
and are sent, once each, when it is back."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from drillplanner.domain.events import EventKind
from drillplanner.services import classes, drills, headcounts, outbox, schools
from drillplanner.storage.database import Database
from drillplanner.storage.errors import DatabaseUnavailableError


@pytest.fixture
def run(db: Database) -> tuple[int, int]:
    school = schools.add_school(db, "聊城市实验小学").value
    grade = classes.add_grade(db, school.id, "一年级").value
    one = classes.add_class(db, school.id, grade.id, "1班", 40).value
    alarm = datetime.now().astimezone() - timedelta(minutes=5)
    return drills.start_drill(db, school.id, kind=EventKind.FIRE, at=alarm).value.id, one.id


@pytest.fixture
def box(tmp_path: Path) -> outbox.Outbox:
    return outbox.Outbox(tmp_path / "local" / "outbox.sqlite3")


@pytest.fixture
def server_away(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """While the flag is set, every unit of work fails as an unreachable server does."""
    away = [True]
    real_write, real_read = Database.write, Database.read

    def failing(real):  # type: ignore[no-untyped-def]
        def unit(self: Database):  # type: ignore[no-untyped-def]
            if away[0]:
                raise DatabaseUnavailableError("The database server cannot be reached.")
            return real(self)
        return unit

    monkeypatch.setattr(Database, "write", failing(real_write))
    monkeypatch.setattr(Database, "read", failing(real_read))
    yield away


def test_a_reachable_database_records_at_once(db: Database, run: tuple[int, int],
                                             box: outbox.Outbox) -> None:
    run_id, class_id = run
    done = outbox.record_or_keep(db, box, run_id, class_id, 40)
    assert isinstance(done.value, headcounts.HeadcountEntry)
    assert done.changes
    assert box.count(db) == 0


def test_kept_while_away_then_sent_once(db: Database, run: tuple[int, int],
                                        box: outbox.Outbox, server_away: list[bool]) -> None:
    run_id, class_id = run
    kept = outbox.record_or_keep(db, box, run_id, class_id, 39, missing=1,
                                 missing_names="王小明", by="张老师")
    assert isinstance(kept.value, outbox.Kept)
    assert not kept.changes
    assert kept.value.waiting == 1
    # Still away: nothing is sent, nothing is lost.
    assert outbox.send_waiting(db, box).value.waiting == 1
    server_away[0] = False
    assert headcounts.history(db, run_id, class_id) == []
    done = outbox.send_waiting(db, box)
    assert (done.value.sent, done.value.waiting, done.value.refused) == (1, 0, ())
    assert done.changes
    items = headcounts.history(db, run_id, class_id)
    assert len(items) == 1
    assert items[0].new is not None and items[0].new.missing_names == ("王小明",)
    assert items[0].recorded_by == "张老师"
    # The entry keeps the time it was typed, not the time it was sent.
    assert abs(items[0].reported_at - kept.value.kept_at) < timedelta(seconds=1)
    assert outbox.send_waiting(db, box).value.sent == 0


def test_a_send_repeated_after_a_crash_stores_once(db: Database, run: tuple[int, int],
                                                   box: outbox.Outbox,
                                                   server_away: list[bool]) -> None:
    """The entry reached the database but the computer died before removing it here."""
    run_id, class_id = run
    kept = outbox.record_or_keep(db, box, run_id, class_id, 40)
    assert isinstance(kept.value, outbox.Kept)
    server_away[0] = False
    headcounts.record_headcount(db, run_id, class_id, 40, entry_id=kept.value.entry_id)
    assert outbox.send_waiting(db, box).value.sent == 1
    assert len(headcounts.history(db, run_id, class_id)) == 1


def test_sent_after_the_all_clear_it_is_a_correction_with_its_reason(
        db: Database, run: tuple[int, int], box: outbox.Outbox,
        server_away: list[bool]) -> None:
    run_id, class_id = run
    outbox.record_or_keep(db, box, run_id, class_id, 40)
    server_away[0] = False
    drills.finish_drill(db, run_id)
    done = outbox.send_waiting(db, box)
    assert done.value.sent == 1
    entry = done.value.entries[0]
    assert entry.after_all_clear
    assert "could not be reached" in entry.reason


def test_a_kept_report_that_does_not_add_up_is_refused_on_arrival(
        db: Database, run: tuple[int, int], box: outbox.Outbox,
        server_away: list[bool]) -> None:
    run_id, class_id = run
    outbox.record_or_keep(db, box, run_id, class_id, 30)  # 40 enrolled
    outbox.record_or_keep(db, box, run_id, class_id, 40)
    server_away[0] = False
    done = outbox.send_waiting(db, box)
    assert done.value.sent == 1
    assert len(done.value.refused) == 1
    assert "40" in done.value.refused[0][1]
    assert box.count(db) == 0


def test_the_outbox_survives_reopening(db: Database, run: tuple[int, int], tmp_path: Path,
                                       server_away: list[bool]) -> None:
    run_id, class_id = run
    path = tmp_path / "outbox.sqlite3"
    outbox.record_or_keep(db, outbox.Outbox(path), run_id, class_id, 40)
    again = outbox.Outbox(path)
    assert again.count(db) == 1
    server_away[0] = False
    assert outbox.send_waiting(db, again).value.sent == 1
