"""Headcounts are durable at once: a child process records entries and acknowledges each one
only after the service returned; it is killed with SIGKILL at a random moment, many times,
and every acknowledged entry must still be in a database that passes integrity_check."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from drillplanner.domain.events import EventKind
from drillplanner.services import classes, drills, schools
from drillplanner.storage.database import open_database

# SIGKILL against a SQLite file (PostgreSQL's durability is the server's).
pytestmark = pytest.mark.sqlite_only

WRITER = Path(__file__).with_name("entry_writer.py")
ROUNDS = 25
# Every few rounds the clock starts when the child is spawned, so that some kills land
# while it imports and opens the database; otherwise it starts at the first acknowledgement,
# so that the kill lands in the stream of entries.
FROM_SPAWN_EVERY = 5
DELAY_SECONDS = (0.005, 0.300)
WAIT_SECONDS = 60  # generous bounds for a slow machine; never reached when all is well
ACK = re.compile(rb"ACK (\d+) (\d+) (\d+)\n")

ENROLLED = {("一年级", "1班"): 40, ("一年级", "2班"): 38, ("二年级", "1班"): 35,
            ("二年级", "2班"): 1}


@dataclass(frozen=True)
class Ack:
    entry_id: int
    class_id: int
    present: int


def make_run(path: Path) -> int:
    database = open_database(path)
    try:
        school = schools.add_school(database, "耐久测试小学").value
        grades: dict[str, int] = {}
        for (grade, name), enrolled in ENROLLED.items():
            if grade not in grades:
                grades[grade] = classes.add_grade(database, school.id, grade).value.id
            classes.add_class(database, school.id, grades[grade], name, enrolled)
        return drills.start_drill(database, school.id, kind=EventKind.FIRE).value.id
    finally:
        database.close()


def acknowledged(lines: list[bytes]) -> list[Ack]:
    """The complete ACK lines; a line cut short by the kill promised nothing."""
    acks = []
    for line in lines:
        found = ACK.fullmatch(line)
        if found:
            acks.append(Ack(*(int(part) for part in found.groups())))
    return acks


def kill_at_random(path: Path, run_id: int, seed: str, delay: float,
                   from_spawn: bool) -> list[Ack]:
    """Run the writer, SIGKILL it ``delay`` seconds after it starts or first acknowledges,
    and return what it acknowledged."""
    lines: list[bytes] = []
    first_ack = threading.Event()
    with subprocess.Popen([sys.executable, str(WRITER), str(path), str(run_id), seed],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE) as child:
        assert child.stdout is not None and child.stderr is not None
        stdout = child.stdout

        def read() -> None:
            for line in stdout:
                lines.append(line)
                if line.startswith(b"ACK"):
                    first_ack.set()
            first_ack.set()  # the child ended on its own: do not wait for it

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        if not from_spawn:
            first_ack.wait(WAIT_SECONDS)
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(WAIT_SECONDS)
        reader.join(WAIT_SECONDS)
        errors = child.stderr.read().decode(errors="replace")
    assert child.returncode == -signal.SIGKILL, errors
    return acknowledged(lines)


def stored(path: Path) -> dict[int, tuple[int, int, int, int, int]]:
    """Every headcount row by id: class, enrolled, absent, present, missing."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return {row[0]: row[1:] for row in connection.execute(
            "SELECT id, class_id, enrolled, absent, present, missing FROM headcounts")}
    finally:
        connection.close()


def test_acknowledged_entries_survive_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "durable.sqlite3"
    run_id = make_run(path)
    promised: list[Ack] = []
    for round_number in range(ROUNDS):
        rng = random.Random(f"durability round {round_number}")  # reproducible, each different
        from_spawn = round_number % FROM_SPAWN_EVERY == 0
        before = stored(path)
        acks = kill_at_random(path, run_id, f"round{round_number}", rng.uniform(*DELAY_SECONDS),
                              from_spawn)
        if not from_spawn:
            assert acks, f"round {round_number}: the writer was killed before any entry"
        promised += acks

        # The app opens the killed writer's database as it is (recovering the WAL)...
        open_database(path, create=False).close()
        rows = stored(path)
        # ...and every entry ever acknowledged is there with the acknowledged figures.
        for ack in promised:
            assert ack.entry_id in rows, f"round {round_number}: entry {ack} was lost"
            class_id, enrolled, absent, present, missing = rows[ack.entry_id]
            assert (class_id, present) == (ack.class_id, ack.present)
            assert present + missing == enrolled - absent
        # New rows are this round's acknowledged entries, plus at most the one committed
        # when the kill came before its acknowledgement.
        new = sorted(set(rows) - set(before))
        assert new[:len(acks)] == [ack.entry_id for ack in acks]
        assert len(new) - len(acks) in (0, 1), f"round {round_number}: {new} vs {acks}"
    assert len(promised) >= ROUNDS - ROUNDS // FROM_SPAWN_EVERY

