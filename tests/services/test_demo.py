"""The demo schools: what they hold, how their records link, and loading them twice."""

from __future__ import annotations

import pytest
from raw_sql import table_counts

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.roles import StaffRole
from drillplanner.services import classes, facilities, schools, staff
from drillplanner.services.demo import demo_files, load_demo, read_demo_data
from drillplanner.storage.database import Database

LIAOCHENG = "聊城市实验小学"
GAOMA = "道口铺街道中心学校高马小学"
ZHENGJIA = "郑家镇东小学"
DAOKOUPU = "道口铺街道中心学校"
GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]


def _by_name(db: Database) -> dict[str, int]:
    return {school.name: school.id for school in schools.list_schools(db)}


def test_demo_adds_the_four_schools_of_the_field_notes(db: Database) -> None:
    added = load_demo(db).value

    assert sorted(s.name for s in added) == sorted([LIAOCHENG, GAOMA, ZHENGJIA, DAOKOUPU])
    listed = {s.name: s for s in schools.list_schools(db)}
    assert set(listed) == {LIAOCHENG, GAOMA, ZHENGJIA, DAOKOUPU}
    assert listed[GAOMA].parent_id == listed[DAOKOUPU].id
    assert all(listed[name].parent_id is None for name in (LIAOCHENG, ZHENGJIA, DAOKOUPU))
    for school in listed.values():
        assert school.timezone == "Asia/Shanghai"
        assert school.evacuation_target_seconds == 180
        assert school.address.startswith("山东省聊城市")
    assert {s.id for s in added} == {s.id for s in listed.values()}


def test_school_sizes_follow_the_size_of_each_school(db: Database) -> None:
    load_demo(db)
    ids = _by_name(db)

    counts = {name: len(classes.list_classes(db, ids[name])) for name in ids}
    assert counts == {LIAOCHENG: 36, DAOKOUPU: 12, ZHENGJIA: 9, GAOMA: 6}
    big = classes.list_classes(db, ids[LIAOCHENG])
    assert all(40 <= c.enrolled <= 50 for c in big)
    village = classes.list_classes(db, ids[GAOMA])
    assert all(20 <= c.enrolled <= 35 for c in village)
    assert [c.full_name for c in village] == [f"{grade}1班" for grade in GRADES]


def test_every_school_has_grades_one_to_six_with_leaders(db: Database) -> None:
    load_demo(db)
    for school_id in _by_name(db).values():
        grades = classes.list_grades(db, school_id)
        assert [g.name for g in grades] == GRADES
        assert [g.ordinal for g in grades] == [1, 2, 3, 4, 5, 6]
        people = {p.id: p for p in staff.list_staff(db, school_id)}
        for grade in grades:
            assert grade.leader_id in people
            assert StaffRole.GRADE_LEADER in people[grade.leader_id].roles


def test_every_class_has_teacher_place_area_and_route(db: Database) -> None:
    load_demo(db)
    for school_id in _by_name(db).values():
        people = {p.id: p for p in staff.list_staff(db, school_id)}
        routes = {r.id: r for r in facilities.list_routes(db, school_id)}
        floors = {b.id: b.floor_count for b in facilities.list_buildings(db, school_id)}
        school_classes = classes.list_classes(db, school_id)
        teachers = [c.homeroom_teacher_id for c in school_classes]
        assert len(set(teachers)) == len(teachers), "one homeroom teacher per class"
        for c in school_classes:
            assert c.homeroom_teacher_id in people
            assert StaffRole.HOMEROOM_TEACHER in people[c.homeroom_teacher_id].roles
            assert c.building_id in floors
            assert c.floor_level is not None and 1 <= c.floor_level <= floors[c.building_id]
            assert c.room.startswith(str(c.floor_level)), c
            assert c.assembly_area_id is not None
            assert c.route_id in routes
            # The route a class takes ends where the class assembles.
            assert routes[c.route_id].assembly_area_id == c.assembly_area_id, c.full_name


def test_every_school_has_a_command_chain_with_distinct_names(db: Database) -> None:
    load_demo(db)
    for name, school_id in _by_name(db).items():
        people = staff.list_staff(db, school_id)
        names = [p.name for p in people]
        assert len(names) == len(set(names)), name
        assert all(2 <= len(n) <= 3 for n in names), names
        roles = [role for p in people for role in p.roles]
        assert roles.count(StaffRole.PRINCIPAL) == 1, name
        assert roles.count(StaffRole.COMMANDER) == 1, name
        assert StaffRole.STAIRWELL_POST in roles, name


def test_every_area_is_reached_by_a_route(db: Database) -> None:
    load_demo(db)
    for school_id in _by_name(db).values():
        areas = {a.id for a in facilities.list_areas(db, school_id)}
        reached = {r.assembly_area_id for r in facilities.list_routes(db, school_id)}
        assert areas == reached


def test_loading_twice_adds_nothing_the_second_time(db: Database) -> None:
    load_demo(db)
    before = table_counts(db)

    assert load_demo(db).value == []
    assert table_counts(db) == before


def test_existing_school_is_skipped_and_the_others_are_added(db: Database) -> None:
    own = schools.add_school(db, DAOKOUPU, address="自己录入的地址").value

    added = load_demo(db).value

    assert DAOKOUPU not in {s.name for s in added}
    assert len(added) == 3
    assert schools.get_school(db, own.id).address == "自己录入的地址"
    assert classes.list_classes(db, own.id) == []
    # The village school still hangs under the central school that was already there.
    gaoma = next(s for s in added if s.name == GAOMA)
    assert gaoma.parent_id == own.id


def test_a_failure_midway_leaves_the_database_unchanged(db: Database,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    schools.add_school(db, "已有学校")
    before = table_counts(db)
    data = read_demo_data()
    broken = dict(data[-1])
    broken["grades"] = [{"name": "一年级", "classes": [{"name": "1班", "enrolled": -3}]}]
    monkeypatch.setattr("drillplanner.services.demo.read_demo_data",
                        lambda: [*data[:-1], broken])

    with pytest.raises(ValidationError, match="at least 0"):
        load_demo(db)

    assert table_counts(db) == before


def test_demo_files_are_utf8_json_one_per_school() -> None:
    assert len(demo_files()) == 4
    data = read_demo_data()
    assert {d["name"] for d in data} == {LIAOCHENG, GAOMA, ZHENGJIA, DAOKOUPU}
    assert all(d["name_en"] for d in data)
    # The central school comes before the school it oversees.
    names = [d["name"] for d in data]
    assert names.index(DAOKOUPU) < names.index(GAOMA)


def test_demo_schools_have_a_school_year_holidays_and_events(db: Database) -> None:
    from datetime import date

    from drillplanner.domain.events import EventKind
    from drillplanner.services import calendar, schedule

    by_name = {s.name: s for s in load_demo(db).value}
    liaocheng = by_name["聊城市实验小学"]
    cal = calendar.load_calendar(db, liaocheng.id)
    assert [t.name for t in cal.terms] == ["第一学期", "第二学期"]
    assert not cal.is_school_day(date(2026, 10, 1))  # National Day
    assert cal.is_school_day(date(2026, 10, 10))  # a Saturday made up for the holiday
    # The daily evacuation drill in the long morning break follows the school calendar.
    week = schedule.occurrences(db, liaocheng.id, date(2026, 10, 5), date(2026, 10, 11),
                                kinds=[EventKind.DRILL_OTHER])
    assert [o.day for o in week] == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]
    meet = schedule.occurrences(db, by_name["道口铺街道中心学校"].id, date(2026, 11, 9),
                                date(2026, 11, 9), kinds=[EventKind.SPORTS])
    assert [o.title for o in meet] == ["秋季运动会"]
    for school in by_name.values():
        drills = schedule.occurrences(db, school.id, date(2026, 9, 1), date(2027, 7, 9),
                                      kinds=[k for k in EventKind if k.is_drill])
        assert len({(o.day.year, o.day.month) for o in drills}) >= 9, school.name


def test_demo_schools_have_past_drills_that_count_as_held(db: Database) -> None:
    from datetime import date

    from drillplanner.domain.compliance import Status
    from drillplanner.services import compliance, drills, headcounts

    by_name = {s.name: s for s in load_demo(db).value}
    gaoma = by_name["道口铺街道中心学校高马小学"]
    runs = drills.list_runs(db, gaoma.id)
    assert [r.day for r in runs] == [date(2026, 10, 13), date(2026, 9, 8)]
    rollup = headcounts.rollup(db, runs[0].id)
    assert rollup.totals.still_out == 0 and rollup.open_alerts == ()
    assert len(rollup.alerts) == 1  # one student missing, then found
    report = compliance.evaluate_school(db, gaoma.id, date(2026, 11, 1))
    assert [p.status for p in report.periods[:2]] == [Status.MET, Status.MET]
