"""The child process of the durability test: records headcounts until it is killed.

    python entry_writer.py DATABASE RUN SEED

Prints "READY" once the database is open, then, after each record_headcount call has
returned, one line "ACK <entry id> <class id> <present>", flushed at once: a line on stdout
is a promise that the entry is in the database.
"""

from __future__ import annotations

import random
import sys

from drillplanner.services.headcounts import classes_in_run, record_headcount
from drillplanner.storage.database import open_database

# A bound in case the parent never kills the child (it always should).
MAX_ENTRIES = 20_000


def main(argv: list[str]) -> int:
    path, run_id, seed = argv[1], int(argv[2]), argv[3]
    rng = random.Random(seed)
    database = open_database(path, create=False)
    classes = classes_in_run(database, run_id)
    print("READY", flush=True)
    for number in range(MAX_ENTRIES):
        # Classes take turns, so every class gets one correction after another.
        info = classes[number % len(classes)]
        missing = rng.randint(0, min(3, info.enrolled))
        names = [f"学生{rng.randint(1, 99)}" for _ in range(rng.randint(0, missing))]
        entry = record_headcount(database, run_id, info.class_id, info.enrolled - missing,
                                 missing=missing, missing_names=names,
                                 note=f"{seed}/{number}", by="entry_writer").value
        assert entry.figures is not None
        sys.stdout.write(f"ACK {entry.id} {entry.class_id} {entry.figures.present}\n")
        sys.stdout.flush()
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
