"""A source database for the copy tests, and dumps of what a copy must carry over.

The source is the demo (four schools, their calendars, events and past drills) plus, for
聊城市实验小学: a fire drill with headcounts, a student found, a verification, a correction
after the all clear, a corrective action, sign-off and an amendment; a class deleted after
the drill (the drill keeps its number); a stored compliance profile the school uses; and
users with roles (an admin of every school, three of the school, one of another school).
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from drillplanner.domain.drill_runs import RunDetails
from drillplanner.domain.events import EventKind
from drillplanner.domain.permissions import Role
from drillplanner.services import (
    authorization,
    classes,
    compliance,
    drills,
    headcounts,
    schools,
    staff,
    users,
)
from drillplanner.services.demo import load_demo
from drillplanner.storage.copy_scope import copy_order, id_columns, own_id, scoped_rows
from drillplanner.storage.database import Database, open_database

SCHOOL = "聊城市实验小学"
OTHER = "郑家镇东小学"  # has a user of its own
SMALL = "道口铺街道中心学校高马小学"  # no users: copied alone, it brings no accounts
PASSWORD = "correct horse battery"
PROFILE = "liaocheng_2026"
#: The drill's day, school-local (Asia/Shanghai).
DAY = datetime(2026, 11, 9, 10, 0)


def clock(minutes: int, seconds: int = 0) -> datetime:
    return DAY + timedelta(minutes=minutes, seconds=seconds)


def fill_source(path: str) -> None:
    db = open_database(path)
    try:
        load_demo(db)
        school = schools.find_school(db, SCHOOL)
        _drill(db, school.id)
        builtin = compliance.list_profiles(db)[0]
        compliance.save_profile(db, dataclasses.replace(builtin, code=PROFILE, builtin=False,
                                                        name_en="Liaocheng 2026"))
        schools.update_school(db, school.id, {"compliance_profile": PROFILE})
        _users(db, school.id, schools.find_school(db, OTHER).id)
    finally:
        db.close()


def _drill(db: Database, school_id: int) -> None:
    run = drills.start_drill(db, school_id, kind=EventKind.FIRE, at=clock(0)).value
    one, two, three = headcounts.classes_in_run(db, run.id)[:3]
    headcounts.record_headcount(db, run.id, one.class_id, one.enrolled - 1, missing=1,
                                missing_names="张小明", at=clock(1, 10), by="张老师")
    headcounts.record_headcount(db, run.id, two.class_id, two.enrolled, at=clock(1, 30),
                                by="刘老师")
    headcounts.record_headcount(db, run.id, three.class_id, three.enrolled, at=clock(1, 40),
                                by="赵老师", entry_id="phone-entry-1")
    headcounts.resolve_missing(db, run.id, one.class_id, "卫生间", found_by="王老师",
                               at=clock(2, 20))
    headcounts.verify_headcount(db, run.id, two.class_id, "李主任", at=clock(2, 30))
    drills.finish_drill(db, run.id, at=clock(6))
    headcounts.record_headcount(db, run.id, two.class_id, two.enrolled - 1, absent=1,
                                absent_names="李雷", by="刘老师",
                                reason="李雷 was absent that day")
    drills.add_action(db, run.id, "东门常锁，需改为疏散时自动打开", owner="总务处")
    drills.sign_drill(db, run.id, "校长")
    drills.update_details(db, run.id, RunDetails(weather="晴"), reason="天气漏填")
    # The run keeps this class's number after it is gone (a soft reference).
    classes.delete_class(db, three.class_id)


def _users(db: Database, school_id: int, other_id: int) -> None:
    users.add_user(db, "admin", PASSWORD, [Role.ADMIN], display_name="管理员")
    with authorization.acting_as(users.actor_of(db, "admin")):
        principal = next(s for s in staff.list_staff(db, school_id))
        grade = classes.list_grades(db, school_id)[0]
        first_class = classes.list_classes(db, school_id)[0]
        users.add_user(db, "principal", PASSWORD, [Role.PRINCIPAL], school_id=school_id,
                       staff_id=principal.id)
        users.add_user(db, "teacher", PASSWORD, [Role.TEACHER], school_id=school_id,
                       class_ids=[first_class.id])
        users.add_user(db, "leader", PASSWORD, [Role.GRADE_LEADER, Role.TEACHER],
                       school_id=school_id, grade_ids=[grade.id])
        users.add_user(db, "elsewhere", PASSWORD, [Role.TEACHER], school_id=other_id)


# Dumps ----------------------------------------------------------------------------------------

Dump = dict[str, list[tuple[Any, ...]]]


def raw_dump(db: Database) -> Dump:
    """Every row of every table, as stored (ids included)."""
    with db.read() as session:
        connection = session.connection()
        return {table.name: [tuple(row) for row in connection.execute(
            scoped_rows(table, None))] for table in copy_order()}


def school_dump(db: Database, school_id: int) -> Dump:
    """A school's rows with every id replaced by its place among the school's rows of that
    table (ids of rows that are gone: by their place among the gone), and the audit rows
    without their own number and hashes: equal for a school and its renumbered copy."""
    with db.read() as session:
        connection = session.connection()
        rows = {table.name: [dict(row) for row in connection.execute(
            scoped_rows(table, school_id)).mappings()] for table in copy_order()}
    tables = {table.name: table for table in copy_order()}
    places = {name: {row["id"]: i for i, row in enumerate(found)}
              for name, found in rows.items() if own_id(tables[name])}
    named: dict[str, set[int]] = {}
    for name, found in rows.items():
        for row in found:
            for column, target in id_columns(tables[name]).items():
                if isinstance(row.get(column), int):
                    named.setdefault(target, set()).add(row[column])
        if name == "audit_log":
            for row in found:
                _audit_ids(tables, row, named)
    gone = {name: {i: n for n, i in enumerate(sorted(ids - set(places.get(name, {}))))}
            for name, ids in named.items()}

    def place(table: str, value: Any) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return value
        found = places.get(table, {}).get(value)
        return ("row", found) if found is not None else ("gone", gone[table][value])

    dump: Dump = {}
    for name, found in rows.items():
        columns = id_columns(tables[name])
        out = []
        for row in found:
            if name == "audit_log":
                out.append(_audit_row(tables, row, place))
                continue
            out.append(tuple((k, place(columns[k], v) if k in columns else v)
                             for k, v in row.items()))
        # Rows keyed by several ids come in the order of those ids, which renumbering
        # may change (a gone class's new number comes after the copied ones).
        dump[name] = sorted(out, key=repr)
    return dump


def _audit_ids(tables: dict[str, Any], row: dict[str, Any], named: dict[str, set[int]]) -> None:
    entity = tables.get(row["entity"])
    if entity is None:
        return
    columns = id_columns(entity)
    keys = [c.name for c in entity.primary_key.columns]
    for key, part in zip(keys, row["entity_id"].split(":", len(keys) - 1), strict=False):
        if key in columns and part.isdigit():
            named.setdefault(columns[key], set()).add(int(part))
    for side in ("old", "new"):
        values = json.loads(row[side]) if row[side] else {}
        for column, value in values.items():
            if column in columns and isinstance(value, int) and not isinstance(value, bool):
                named.setdefault(columns[column], set()).add(value)


def _audit_row(tables: dict[str, Any], row: dict[str, Any], place: Any) -> tuple[Any, ...]:
    entity = tables[row["entity"]]
    columns = id_columns(entity)
    keys = [c.name for c in entity.primary_key.columns]
    entity_id = tuple(place(columns[k], int(p)) if k in columns and p.isdigit() else p
                      for k, p in zip(keys, row["entity_id"].split(":", len(keys) - 1),
                                      strict=False))
    sides = []
    for side in ("old", "new"):
        values = json.loads(row[side]) if row[side] else None
        sides.append(None if values is None else sorted(
            (k, place(columns[k], v) if k in columns else v) for k, v in values.items()))
    return (row["at"], row["actor"], place("schools", row["school_id"]),
            place("drill_runs", row["run_id"]), row["entity"], entity_id, row["action"],
            *map(repr, sides), row["reason"])


def source_file(template: Path, folder: Path) -> Path:
    """A fresh copy of the source template in ``folder``."""
    import shutil

    path = folder / "source.sqlite3"
    shutil.copyfile(template, path)
    return path
