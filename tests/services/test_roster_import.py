"""Roster import into a real database: all-or-nothing, re-import, dry run, export."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from snapshot import dump

from drillplanner.domain.errors import NotFoundError
from drillplanner.domain.roles import StaffRole
from drillplanner.domain.roster import RosterError, RosterRow, RosterTable
from drillplanner.io import roster_files
from drillplanner.io.roster_files import read_roster, write_roster
from drillplanner.services import classes, facilities, schools, staff
from drillplanner.services.roster import export_roster, import_roster
from drillplanner.storage.database import Database


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "聊城市实验小学").value
    facilities.add_building(db, school.id, "教学楼A", 4)
    facilities.add_building(db, school.id, "教学楼B", 2)
    facilities.add_area(db, school.id, "操场东侧")
    facilities.add_area(db, school.id, "篮球场")
    staff.add_staff(db, school.id, "王芳", [StaffRole.GRADE_LEADER])
    # Another school with a class of the same name must never be touched.
    other = schools.add_school(db, "高马小学").value
    grade = classes.add_grade(db, other.id, "一年级").value
    classes.add_class(db, other.id, grade.id, "1班", 30)
    return school.id


def table(*rows: RosterRow, source: str = "roster.csv") -> RosterTable:
    numbered = [dataclasses.replace(row, line=i) for i, row in enumerate(rows, start=2)]
    return RosterTable(rows=tuple(numbered), source=source)


FIRST = (
    RosterRow("一年级", "1班", 45, "张丽", "101", 1, "教学楼A", "操场东侧"),
    RosterRow("一年级", "2班", 44, "王芳", "102", 2, "教学楼A", "篮球场"),
    RosterRow("二年级", "1班", 40),
)


def class_map(db: Database, school_id: int) -> dict[str, classes.SchoolClass]:
    return {c.full_name: c for c in classes.list_classes(db, school_id)}


def test_first_import_adds_grades_classes_and_teachers(db: Database, school_id: int) -> None:
    summary = import_roster(db, school_id, table(*FIRST)).value
    assert summary.added == ("一年级1班", "一年级2班", "二年级1班")
    assert (summary.updated, summary.unchanged, summary.absent, summary.removed) == (
        (), (), (), ())
    assert summary.grades_added == ("一年级", "二年级")
    assert summary.staff_added == ("张丽",)
    assert summary.dry_run is False

    found = class_map(db, school_id)
    one = found["一年级1班"]
    assert (one.enrolled, one.room, one.homeroom_teacher_name, one.building_name,
            one.floor_level, one.assembly_area_name) == (
        45, "101", "张丽", "教学楼A", 1, "操场东侧")
    assert found["二年级1班"].building_id is None
    grades = {g.name: g.ordinal for g in classes.list_grades(db, school_id)}
    assert grades == {"一年级": 1, "二年级": 2}
    people = {s.name: s.roles for s in staff.list_staff(db, school_id)}
    assert people["张丽"] == frozenset({StaffRole.HOMEROOM_TEACHER})
    # An existing staff member is not duplicated; leading a class makes them its teacher.
    assert people["王芳"] == frozenset({StaffRole.GRADE_LEADER, StaffRole.HOMEROOM_TEACHER})
    assert len(people) == 2


def test_reimport_updates_instead_of_duplicating(db: Database, school_id: int) -> None:
    import_roster(db, school_id, table(*FIRST))
    second = table(
        dataclasses.replace(FIRST[0], enrolled=46, homeroom_teacher="李明"),
        FIRST[1],
        dataclasses.replace(FIRST[2], building="教学楼B", floor=2, assembly_area="篮球场"),
        RosterRow("三年级", "1班", 38),
    )
    summary = import_roster(db, school_id, second).value
    assert summary.added == ("三年级1班",)
    assert summary.updated == ("一年级1班", "二年级1班")
    assert summary.unchanged == ("一年级2班",)
    assert summary.changed_fields == {
        "一年级1班": ("enrolled", "homeroom_teacher"),
        "二年级1班": ("building", "floor", "assembly_area"),
    }
    assert summary.staff_added == ("李明",) and summary.grades_added == ("三年级",)
    found = class_map(db, school_id)
    assert len(found) == 4
    assert (found["一年级1班"].enrolled, found["一年级1班"].homeroom_teacher_name) == (46, "李明")
    assert (found["二年级1班"].building_name, found["二年级1班"].floor_level) == ("教学楼B", 2)


def test_blank_optional_cells_keep_what_is_stored(db: Database, school_id: int) -> None:
    import_roster(db, school_id, table(*FIRST))
    counts_only = table(*(RosterRow(r.grade, r.class_name, r.enrolled + 1) for r in FIRST))
    summary = import_roster(db, school_id, counts_only).value
    assert set(summary.changed_fields.values()) == {("enrolled",)}
    one = class_map(db, school_id)["一年级1班"]
    assert (one.enrolled, one.room, one.homeroom_teacher_name, one.floor_level) == (
        46, "101", "张丽", 1)


def test_moving_to_another_building_without_a_floor_clears_the_floor(
        db: Database, school_id: int) -> None:
    import_roster(db, school_id, table(*FIRST))
    moved = dataclasses.replace(FIRST[0], building="教学楼B", floor=None)
    summary = import_roster(db, school_id, table(moved, *FIRST[1:])).value
    assert summary.changed_fields == {"一年级1班": ("building", "floor")}
    one = class_map(db, school_id)["一年级1班"]
    assert (one.building_name, one.floor_level) == ("教学楼B", None)


def test_absent_classes_are_kept_unless_asked(db: Database, school_id: int) -> None:
    import_roster(db, school_id, table(*FIRST))
    summary = import_roster(db, school_id, table(FIRST[1])).value
    assert summary.absent == ("一年级1班", "二年级1班")
    assert summary.removed == ()
    assert len(class_map(db, school_id)) == 3

    summary = import_roster(db, school_id, table(FIRST[1]), remove_absent=True).value
    assert summary.absent == ("一年级1班", "二年级1班")
    assert summary.removed == ("一年级1班", "二年级1班")
    assert list(class_map(db, school_id)) == ["一年级2班"]
    # The other school's 一年级1班 is not this school's business.
    other = schools.find_school(db, "高马小学")
    assert [c.full_name for c in classes.list_classes(db, other.id)] == ["一年级1班"]


def test_dry_run_reports_the_same_and_writes_nothing(db: Database, school_id: int) -> None:
    import_roster(db, school_id, table(FIRST[0], FIRST[2]))
    changed = table(dataclasses.replace(FIRST[0], enrolled=1, homeroom_teacher="新老师"),
                    FIRST[1])
    before = dump(db)
    preview = import_roster(db, school_id, changed, dry_run=True, remove_absent=True).value
    assert dump(db) == before
    assert preview.dry_run is True
    real = import_roster(db, school_id, changed, remove_absent=True).value
    assert dataclasses.replace(preview, dry_run=False) == real
    assert real.added == ("一年级2班",) and real.updated == ("一年级1班",)
    assert real.removed == ("二年级1班",) and real.staff_added == ("新老师",)
    assert dump(db) != before


def test_dry_run_with_problems_raises_like_a_real_import(db: Database, school_id: int) -> None:
    with pytest.raises(RosterError, match="Unknown building"):
        import_roster(db, school_id, table(dataclasses.replace(FIRST[0], building="X")),
                      dry_run=True)


def test_unknown_references_are_all_reported_and_nothing_is_written(
        db: Database, school_id: int) -> None:
    import_roster(db, school_id, table(FIRST[2]))
    before = dump(db)
    bad = table(
        FIRST[0],  # good, with a new grade and a new teacher: must not be kept either
        RosterRow("三年级", "1班", 30, "新人", building="实验楼", assembly_area="后院"),
        RosterRow("三年级", "2班", 30, building="教学楼B", floor=3),
        RosterRow("三年级", "3班", 30, floor=1),
        dataclasses.replace(FIRST[2], enrolled=41),
        source="名单.xlsx",
    )
    with pytest.raises(RosterError) as caught:
        import_roster(db, school_id, bad, remove_absent=True)
    problems = caught.value.problems
    assert [(p.file, p.line, p.column) for p in problems] == [
        ("名单.xlsx", 3, "Building"), ("名单.xlsx", 3, "Assembly area"),
        ("名单.xlsx", 4, "Floor"), ("名单.xlsx", 5, "Floor")]
    assert str(problems[0]) == ("名单.xlsx:3 [Building]: Unknown building “实验楼”. "
                                "Buildings of this school: 教学楼A, 教学楼B.")
    assert problems[1].message == ("Unknown assembly area “后院”. Assembly areas of this "
                                   "school: 操场东侧, 篮球场.")
    assert problems[2].message == "教学楼B has no floor 3; it has floors 1 to 2."
    assert "needs a building" in problems[3].message
    assert dump(db) == before


def test_duplicates_in_a_table_are_refused(db: Database, school_id: int) -> None:
    before = dump(db)
    with pytest.raises(RosterError) as caught:
        import_roster(db, school_id, table(FIRST[0], FIRST[1], FIRST[0]))
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (4, "Class")
    assert "listed twice, on lines 2 and 4" in problem.message
    assert dump(db) == before


def test_values_the_rules_refuse_become_problems(db: Database, school_id: int) -> None:
    # A table not made by read_roster still goes through the same field rules.
    before = dump(db)
    with pytest.raises(RosterError) as caught:
        import_roster(db, school_id, table(RosterRow("一年级", "1班", -5),
                                           RosterRow("", "2班", 3),
                                           RosterRow("一年级", "3班", 3, "x" * 101)))
    assert [(p.line, p.column) for p in caught.value.problems] == [
        (2, "Enrolled"), (3, "Grade"), (4, "Homeroom teacher")]
    assert dump(db) == before


def test_empty_table_and_unknown_school(db: Database, school_id: int) -> None:
    with pytest.raises(RosterError, match="no class rows"):
        import_roster(db, school_id, RosterTable(rows=(), source="x.csv"))
    with pytest.raises(NotFoundError):
        import_roster(db, 9999, table(FIRST[0]))
    with pytest.raises(NotFoundError):
        export_roster(db, 9999)


def test_export_lists_classes_in_grade_order(db: Database, school_id: int) -> None:
    import_roster(db, school_id, table(FIRST[2], FIRST[1], FIRST[0]))
    assert export_roster(db, school_id) == [dataclasses.replace(r, line=0) for r in FIRST]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_export_then_reimport_changes_nothing(db: Database, school_id: int, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, suffix: str,
                                              language: str) -> None:
    monkeypatch.setattr(roster_files, "current_language", lambda: language)
    import_roster(db, school_id, table(*FIRST))
    path = tmp_path / f"export{suffix}"
    write_roster(path, export_roster(db, school_id))
    before = dump(db)
    summary = import_roster(db, school_id, read_roster(path)).value
    assert summary.unchanged == ("一年级1班", "一年级2班", "二年级1班")
    assert (summary.added, summary.updated, summary.absent) == ((), (), ())
    assert dump(db) == before


def test_file_problems_and_database_problems_name_the_file(db: Database, school_id: int,
                                                           tmp_path: Path) -> None:
    path = tmp_path / "班级名单.csv"
    path.write_bytes("年级,班级,人数,楼栋,备注\r\n一年级,1班,40,科学楼,\r\n".encode("gbk"))
    roster = read_roster(path)
    assert roster.unknown_columns == ("备注",)
    before = dump(db)
    with pytest.raises(RosterError) as caught:
        import_roster(db, school_id, roster)
    assert str(caught.value.problems[0]).startswith("班级名单.csv:2 [Building]: Unknown building")
    assert dump(db) == before
    path.write_bytes("年级,班级,人数,楼栋,备注\r\n一年级,1班,40,教学楼B,\r\n".encode("gbk"))
    summary = import_roster(db, school_id, read_roster(path)).value
    assert summary.added == ("一年级1班",) and summary.unknown_columns == ("备注",)

