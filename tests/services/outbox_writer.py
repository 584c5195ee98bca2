"""A console on another computer, for the outage test: records headcounts through the
outbox while the database server goes away and comes back, until killed or done.

    python outbox_writer.py DATABASE_URL RUN OUTBOX_FILE NAME COUNT

After each entry has been recorded or kept it prints "ACK <entry id> recorded|kept",
flushed at once: a line on stdout is a promise that the entry is in the database or in
the outbox file. At the end it sends what waits and prints "DONE".
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path

from drillplanner.services import outbox
from drillplanner.services.headcounts import classes_in_run
from drillplanner.storage.database import open_database
from drillplanner.storage.errors import StorageError


def main(argv: list[str]) -> int:
    url, run_id, box_path, name, count = argv[1], int(argv[2]), argv[3], argv[4], int(argv[5])
    database = open_database(url, create=False)
    box = outbox.Outbox(Path(box_path))
    classes = classes_in_run(database, run_id)
    print("READY", flush=True)
    for number in range(count):
        info = classes[number % len(classes)]
        entry_id = f"{name}-{number}"
        done = outbox.record_or_keep(database, box, run_id, info.class_id, info.enrolled,
                                     by=name, entry_id=entry_id)
        state = "kept" if isinstance(done.value, outbox.Kept) else "recorded"
        sys.stdout.write(f"ACK {entry_id} {state}\n")
        sys.stdout.flush()
        if number % 5 == 4:
            with contextlib.suppress(StorageError):  # still away: the next round tries
                outbox.send_waiting(database, box)
        time.sleep(0.02)
    deadline = time.monotonic() + 60
    while box.count(database) and time.monotonic() < deadline:
        with contextlib.suppress(StorageError):
            outbox.send_waiting(database, box)
        time.sleep(0.2)
    print("DONE" if not box.count(database) else "STUCK", flush=True)
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
