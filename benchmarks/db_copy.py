"""``db copy`` of a large school: SQLite -> SQLite and SQLite -> PostgreSQL, everything and
``--school``, timed with the count check and the audit chain check that follow it.

The school has ``--classes`` classes imported from a roster (grades of 100 classes, a
homeroom teacher per class, so as many staff), which also writes an audit row for each
record: about four rows in the copy per class. The demo schools are already in the
``--school`` target, so that copy renumbers every row.
PostgreSQL: ``--url`` of an empty database, else a throwaway cluster started for the run
(tests/pg_cluster.py).

    .venv/bin/python benchmarks/db_copy.py [--classes 10000] [--url URL] [--write]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SCHOOL = "基准测试中学"


def make_source(path: Path, classes: int) -> None:
    from roster_import import roster_rows, write_file

    from drillplanner.io.roster_files import read_roster
    from drillplanner.services import facilities, schools
    from drillplanner.services.roster import import_roster
    from drillplanner.storage.database import open_database

    db = open_database(path)
    school_id = schools.add_school(db, SCHOOL).value.id
    facilities.add_building(db, school_id, "教学楼", 5)
    facilities.add_building(db, school_id, "实验楼", 4)
    facilities.add_area(db, school_id, "操场")
    facilities.add_area(db, school_id, "篮球场")
    roster = path.with_suffix(".csv")
    write_file(roster, roster_rows(classes))
    import_roster(db, school_id, read_roster(roster), dry_run=False, remove_absent=False)
    db.close()


def timed(label: str, action: Callable[[], object]) -> tuple[str, float, object]:
    began = time.perf_counter()
    result = action()
    return label, time.perf_counter() - began, result


def run(classes: int, url: str | None) -> list[str]:
    from drillplanner.services import db_copy, demo
    from drillplanner.storage.database import open_database

    lines = ["| copy | rows | seconds |", "| --- | ---: | ---: |"]
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source_path = folder / "source.sqlite3"
        make_source(source_path, classes)
        source = open_database(source_path)
        cluster = None
        if url is None:
            sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
            from pg_cluster import PostgresCluster, find_bin_dir

            cluster = PostgresCluster(find_bin_dir())
            cluster.start()
        try:
            targets: list[tuple[str, str, bool]] = [
                ("SQLite -> SQLite, everything", str(folder / "all.sqlite3"), False),
                ("SQLite -> SQLite, --school", str(folder / "one.sqlite3"), True)]
            if cluster is not None:
                targets += [("SQLite -> PostgreSQL, everything",
                             cluster.url(cluster.new_database()), False),
                            ("SQLite -> PostgreSQL, --school",
                             cluster.url(cluster.new_database()), True)]
            else:
                targets.append(("SQLite -> PostgreSQL, everything", url or "", False))
            for label, where, one in targets:
                target = open_database(where)
                if one:
                    demo.load_demo(target)
                _, seconds, done = timed(label, lambda t=target, o=one: db_copy.copy_database(
                    t, source, school=SCHOOL if o else None))
                report = done.value  # type: ignore[attr-defined]
                assert report.ok and report.log_whole, report
                lines.append(f"| {label} | {report.rows:,} | {seconds:.1f} |")
                print(lines[-1], flush=True)
                target.close()
        finally:
            source.close()
            if cluster is not None:
                cluster.stop()
    lines += ["", f"`benchmarks/db_copy.py --classes {classes}`: a school of {classes:,} "
              "classes (and as many staff) imported from a roster, copied from its SQLite "
              "file; the time includes counting every table on both sides and checking the "
              "target's audit chain. \"--school\" copies into a database holding the demo "
              "schools, so every row is renumbered and the audit rows chained anew."]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=10_000)
    parser.add_argument("--url", help="an empty PostgreSQL database (default: a throwaway "
                        "cluster)")
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    options = parser.parse_args()
    lines = run(options.classes, options.url)
    print("\n".join(lines))
    if options.write:
        from results import record

        record("Copying a database (db copy)", lines)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
