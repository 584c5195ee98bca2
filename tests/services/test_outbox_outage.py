"""The PostgreSQL server goes away mid-drill (``pg_ctl -m immediate``) while several
consoles record headcounts through their outboxes, and some consoles are killed: every
acknowledged entry ends up in the database exactly once."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_cluster import PostgresCluster, find_bin_dir
from sqlalchemy import text

from drillplanner.domain.events import EventKind
from drillplanner.services import classes, drills, outbox, schools
from drillplanner.storage.database import Database, open_database

WRITER = Path(__file__).with_name("outbox_writer.py")
WRITERS = 4
ENTRIES = 60
WAIT = 90.0

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster() -> Iterator[PostgresCluster]:
    """A cluster of its own: this test stops and starts it."""
    own = PostgresCluster(find_bin_dir())
    own.start()
    # The shared test cluster trades durability for speed (fsync and synchronous_commit
    # off); a crash test needs a server that keeps what it acknowledged.
    _restart(own, pause=0, mode="fast")
    try:
        yield own
    finally:
        own.stop()


class Writer:
    def __init__(self, url: str, run_id: int, box: Path, name: str) -> None:
        self.name, self.box = name, box
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), url, str(run_id), str(box), name, str(ENTRIES)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())
            if line.startswith("READY"):
                self.ready.set()

    def acked(self) -> set[str]:
        return {line.split()[1] for line in self.lines if line.startswith("ACK ")}

    def finish(self) -> str:
        self.process.wait(WAIT)
        self.reader.join(WAIT)
        assert self.process.stderr is not None
        errors = self.process.stderr.read()
        self.process.stderr.close()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return errors


def _restart(cluster: PostgresCluster, pause: float, mode: str = "immediate") -> None:
    """Crash the server (immediate: no shutdown checkpoint, connections cut), then start
    it again, durable."""
    data, log = str(cluster.data), str(cluster.root / "server.log")
    cluster._run("pg_ctl", "-D", data, "-m", mode, "-w", "stop")
    time.sleep(pause)
    options = (f"-p {cluster.port} -k {cluster.root} -c listen_addresses=127.0.0.1 "
               "-c fsync=on -c synchronous_commit=on")
    cluster._run("pg_ctl", "-D", data, "-w", "-l", log, "-o", options, "start")


def _school(db: Database) -> int:
    school = schools.add_school(db, "聊城市实验小学").value
    grade = classes.add_grade(db, school.id, "一年级").value
    for number in range(1, 4):
        classes.add_class(db, school.id, grade.id, f"{number}班", 40)
    return drills.start_drill(db, school.id, kind=EventKind.FIRE).value.id


def test_every_acknowledged_entry_is_stored_once(cluster: PostgresCluster,
                                                 tmp_path: Path) -> None:
    name = cluster.new_database()
    url = cluster.url(name)
    db = open_database(url)
    try:
        run_id = _school(db)
    finally:
        db.close()
    writers = [Writer(url, run_id, tmp_path / f"outbox-{i}.sqlite3", f"w{i}")
               for i in range(WRITERS)]
    for writer in writers:
        assert writer.ready.wait(WAIT), writer.finish()
    deadline = time.monotonic() + WAIT
    while min(len(w.acked()) for w in writers) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    _restart(cluster, pause=1.5)
    rng = random.Random(12)
    killed = rng.sample(writers, 2)
    time.sleep(rng.uniform(0.2, 0.8))
    for writer in killed:
        writer.process.send_signal(signal.SIGKILL)
    outcomes = {writer.name: writer.finish() for writer in writers}
    for writer in writers:
        if writer not in killed:
            assert writer.lines[-1] == "DONE", (writer.name, outcomes[writer.name][-2000:])
    kept_somewhere = sum(1 for w in writers for line in w.lines if line.endswith(" kept"))
    assert kept_somewhere, "the outage was not seen: every entry went straight through"

    db = open_database(url, create=False)
    try:
        # The killed consoles are started again: their outboxes send what waits.
        for writer in killed:
            box = outbox.Outbox(writer.box)
            while box.count(db):
                outbox.send_waiting(db, box)
        with db.read() as session:
            stored = [row[0] for row in session.execute(text(
                "SELECT entry_id FROM headcounts WHERE run_id = :run"), {"run": run_id})]
    finally:
        db.close()
    acked = set().union(*(w.acked() for w in writers))
    assert len(stored) == len(set(stored)), "an entry was stored twice"
    assert acked <= set(stored), f"lost: {sorted(acked - set(stored))[:10]}"
