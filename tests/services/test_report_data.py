"""Report data read from a real SQLite file: the figures aggregated in SQL agree with the
roll-up the drill services compute run by run, and each report gets what it shows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from drillplanner.domain.compliance import Status
from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.roles import StaffRole
from drillplanner.services import (
    calendar,
    classes,
    compliance,
    drills,
    headcounts,
    report_data,
    schedule,
    schools,
    staff,
)
from drillplanner.storage.database import Database

TODAY = date(2027, 3, 15)


class Builder:
    """A school of three grades of two classes, and helpers to run drills in it."""

    def __init__(self, db: Database, name: str = "测试小学", target: int = 150) -> None:
        self.db = db
        school = schools.add_school(db, name, evacuation_target_seconds=target).value
        self.school_id = school.id
        self.classes: dict[str, int] = {}
        self.enrolled: dict[str, int] = {}
        for g, grade_name in enumerate(("一年级", "二年级", "三年级")):
            leader = staff.add_staff(db, school.id, f"{grade_name}组长",
                                     [StaffRole.GRADE_LEADER]).value
            grade = classes.add_grade(db, school.id, grade_name, leader_id=leader.id).value
            for n in (1, 2):
                made = classes.add_class(db, school.id, grade.id, f"{n}班", 30 + g * 2 + n).value
                self.classes[made.full_name] = made.id
                self.enrolled[made.full_name] = made.enrolled
        calendar.add_school_year(db, school.id, "2026-2027", date(2026, 9, 1),
                                 date(2027, 8, 31),
                                 [("第一学期", date(2026, 9, 1), date(2027, 1, 20)),
                                  ("第二学期", date(2027, 3, 1), date(2027, 7, 10))])

    def drill(self, alarm: datetime, seconds: dict[str, int], *,
              missing: dict[str, int] | None = None, finish: bool = True,
              kind: EventKind = EventKind.FIRE) -> int:
        run = drills.start_drill(self.db, self.school_id, kind=kind, at=alarm).value
        for name, after in seconds.items():
            lost = (missing or {}).get(name, 0)
            headcounts.record_headcount(self.db, run.id, self.classes[name],
                                        self.enrolled[name] - lost, missing=lost,
                                        at=alarm + timedelta(seconds=after))
        if finish:
            drills.finish_drill(self.db, run.id, at=alarm + timedelta(minutes=10))
        return run.id


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


@pytest.fixture
def school(db: Database) -> Builder:
    return Builder(db)


def every(builder: Builder, start: int, step: int) -> dict[str, int]:
    return {name: start + i * step for i, name in enumerate(builder.classes)}


def test_run_figures_agree_with_the_roll_up_of_each_run(db: Database, school: Builder) -> None:
    names = list(school.classes)
    plain = school.drill(at(date(2026, 9, 7)), every(school, 60, 10))
    # Two missing, both found after the last report.
    found = school.drill(at(date(2026, 9, 14)), every(school, 50, 7), missing={names[1]: 2})
    # … found after the all clear: a correction with a reason, at the drill-day time.
    headcounts.resolve_missing(db, found, school.classes[names[1]], "操场",
                               at=at(date(2026, 9, 14)) + timedelta(seconds=200),
                               reason="解除警报后补记")
    # Two missing, one found: never accounted for.
    partly = school.drill(at(date(2026, 10, 12)), every(school, 50, 7),
                          missing={names[2]: 2}, finish=False)
    headcounts.resolve_missing(db, partly, school.classes[names[2]], "卫生间", count=1,
                               at=at(date(2026, 10, 12)) + timedelta(seconds=150))
    drills.finish_drill(db, partly, at=at(date(2026, 10, 12), 10, 9))
    # One class never reports.
    silent = school.drill(at(date(2026, 11, 9)), {n: 70 for n in names[:-1]})
    # A missing report corrected later (to nobody missing), then verified; the resolution of
    # the first report no longer counts.
    corrected = school.drill(at(date(2026, 12, 7)), every(school, 40, 5),
                             missing={names[3]: 1}, finish=False)
    headcounts.resolve_missing(db, corrected, school.classes[names[3]], "厕所",
                               at=at(date(2026, 12, 7)) + timedelta(seconds=400))
    headcounts.record_headcount(db, corrected, school.classes[names[3]],
                                school.enrolled[names[3]],
                                at=at(date(2026, 12, 7)) + timedelta(seconds=95))
    headcounts.verify_headcount(db, corrected, school.classes[names[3]], "组长",
                                at=at(date(2026, 12, 7)) + timedelta(seconds=500))
    drills.finish_drill(db, corrected, at=at(date(2026, 12, 7), 10, 9))
    cancelled = school.drill(at(date(2027, 1, 11)), {names[0]: 30}, finish=False)
    drills.cancel_drill(db, cancelled, "下雨")

    data = report_data.term_data(db, school.school_id, date(2026, 9, 1), date(2027, 1, 20),
                                 today=TODAY)
    assert [r.id for r in data.runs] == [plain, found, partly, silent, corrected, cancelled]
    for run in data.runs:
        rollup = headcounts.rollup(db, run.id)
        assert (run.classes, run.reported, run.missing, run.injured) == (
            rollup.totals.classes, rollup.totals.reported, rollup.totals.missing,
            rollup.totals.injured), run.id
        assert run.time_to_accountability == rollup.time_to_accountability, run.id
    by_id = {r.id: r for r in data.runs}
    assert by_id[found].time_to_accountability == timedelta(seconds=200)
    assert by_id[partly].time_to_accountability is None
    assert by_id[silent].time_to_accountability is None
    assert by_id[corrected].time_to_accountability == timedelta(seconds=95)
    assert by_id[cancelled].status is RunStatus.CANCELLED


def test_corrections_after_the_all_clear_keep_the_drill_day_times(db: Database,
                                                                   school: Builder) -> None:
    """Weeks later a class is corrected and a found student recorded: the term summary's
    time to full accountability (its chart) and the drill report keep the drill's own."""
    names = list(school.classes)
    alarm = at(date(2026, 10, 12))
    run_id = school.drill(alarm, every(school, 50, 10), missing={names[2]: 1})
    assert headcounts.rollup(db, run_id).time_to_accountability is None
    # Typed in "now", long after the drill: a correction of one class (its report time
    # stays the drill's) and the finding of the missing student at 10:03.
    headcounts.record_headcount(db, run_id, school.classes[names[0]],
                                school.enrolled[names[0]] - 1, absent=1, reason="漏报缺席")
    headcounts.resolve_missing(db, run_id, school.classes[names[2]], "操场",
                               at=alarm + timedelta(minutes=3), reason="事后补记")
    expected = timedelta(minutes=3)  # the finding; every class had reported by 01:40
    data = report_data.term_data(db, school.school_id, date(2026, 9, 1), date(2027, 1, 20),
                                 today=TODAY)
    (run,) = [r for r in data.runs if r.id == run_id]
    assert run.time_to_accountability == expected
    assert report_data.drill_data(db, run_id).rollup.time_to_accountability == expected
    assert max(s.time_to_accountability for s in data.runs
               if s.time_to_accountability is not None) < timedelta(hours=1)


def test_slowest_classes_average_their_latest_reports_in_completed_runs(
        db: Database, school: Builder) -> None:
    times: dict[str, list[int]] = {name: [] for name in school.classes}
    for week in range(4):
        seconds = {name: 40 + ((i + 1) * (week + 3) * 17) % 150
                   for i, name in enumerate(school.classes)}
        school.drill(at(date(2026, 9, 7) + timedelta(weeks=week)), seconds)
        for name, value in seconds.items():
            times[name].append(value)
    # A cancelled run does not count, however slow.
    cancelled = school.drill(at(date(2026, 10, 12)), dict.fromkeys(school.classes, 900),
                             finish=False)
    drills.cancel_drill(db, cancelled, "停电")

    slowest = report_data.term_data(db, school.school_id, date(2026, 9, 1),
                                    date(2026, 12, 31), today=TODAY).slowest
    expected = sorted(((round(sum(v) / len(v)), max(v), name) for name, v in times.items()),
                      key=lambda item: (-sum(times[item[2]]) / 4, item[2]))
    assert [(d.class_name, d.runs, d.average.total_seconds(), d.worst.total_seconds())
            for d in slowest] == [(name, 4, mean, worst) for mean, worst, name in expected]
    assert slowest[0].grade_name == slowest[0].class_name[:3]


def test_the_period_follows_local_days(db: Database, school: Builder) -> None:
    names = list(school.classes)
    school.drill(at(date(2026, 8, 31), 23, 50), {names[0]: 30})  # the day before
    early = school.drill(at(date(2026, 9, 1), 0, 30), {names[0]: 30})  # 31 Aug in UTC
    late = school.drill(at(date(2026, 9, 30), 23, 30), {names[0]: 30})
    school.drill(at(date(2026, 10, 1), 0, 10), {names[0]: 30})  # the day after
    data = report_data.term_data(db, school.school_id, date(2026, 9, 1), date(2026, 9, 30),
                                 today=TODAY)
    assert [r.id for r in data.runs] == [early, late]
    assert [r.day for r in data.runs] == [date(2026, 9, 1), date(2026, 9, 30)]


def test_compliance_lines_agree_with_the_compliance_service(db: Database,
                                                            school: Builder) -> None:
    names = list(school.classes)
    for day in (date(2026, 9, 8), date(2026, 10, 13), date(2026, 12, 1), date(2027, 3, 2)):
        school.drill(at(day), {names[0]: 30})
    schedule.add_event(db, Event(
        id=0, school_id=school.school_id, kind=EventKind.EARTHQUAKE, title="地震演练",
        start=datetime(2027, 4, 6, 10), duration=timedelta(minutes=20),
        recurrence=Recurrence(rule="FREQ=MONTHLY;COUNT=3")))
    data = report_data.term_data(db, school.school_id, date(2026, 9, 1), date(2027, 8, 31),
                                 today=TODAY)
    report = compliance.evaluate_school(db, school.school_id, TODAY)
    assert [(line.start, line.end, line.status, line.held, line.planned, line.required)
            for line in data.compliance] == [
        (r.start, r.end, r.status, len(r.held), len(r.planned), r.required)
        for r in report.periods]
    statuses = {line.start: line.status for line in data.compliance}
    assert statuses[date(2026, 11, 1)] is Status.MISSED
    assert statuses[date(2027, 4, 1)] is Status.PLANNED
    assert statuses[date(2027, 3, 1)] is Status.MET
    assert data.as_of == TODAY and data.days_without_school_year == 0
    assert data.profile is not None and data.profile.code == "cn_moe_2014"


def test_compliance_over_two_school_years_judges_each_and_counts_days_outside(
        db: Database, school: Builder) -> None:
    school.drill(at(date(2026, 9, 8)), {next(iter(school.classes)): 30})
    data = report_data.term_data(db, school.school_id, date(2026, 6, 1), date(2027, 12, 31),
                                 today=date(2028, 1, 1))
    # June-August 2026 and September-December 2027 lie in no school year.
    assert data.days_without_school_year == (date(2026, 9, 1) - date(2026, 6, 1)).days + (
        date(2028, 1, 1) - date(2027, 9, 1)).days
    ended = compliance.evaluate_school(db, school.school_id, date(2027, 8, 31))
    assert [(line.start, line.status) for line in data.compliance] == [
        (r.start, r.status) for r in ended.periods]


def test_open_actions_are_those_not_done_up_to_the_end_of_the_period(
        db: Database, school: Builder) -> None:
    name = next(iter(school.classes))
    first = school.drill(at(date(2026, 9, 8)), {name: 30})
    later = school.drill(at(date(2027, 3, 2)), {name: 30})
    open_one = drills.add_action(db, first, "楼梯口加装指示牌", owner="总务处",
                                 due=date(2026, 10, 1)).value
    done = drills.add_action(db, first, "补充广播喇叭").value
    drills.set_action_done(db, done.id)
    drills.add_action(db, later, "下学期的整改")
    data = report_data.term_data(db, school.school_id, date(2026, 9, 1), date(2027, 1, 20),
                                 today=TODAY)
    assert [(a.action.id, a.run_day, a.action.owner) for a in data.open_actions] == [
        (open_one.id, date(2026, 9, 8), "总务处")]


def test_a_period_that_ends_before_it_starts_is_refused(db: Database,
                                                         school: Builder) -> None:
    with pytest.raises(ValidationError):
        report_data.term_data(db, school.school_id, date(2026, 9, 2), date(2026, 9, 1))
    with pytest.raises(ValidationError):
        report_data.schedule_data(db, school.school_id, date(2026, 9, 2), date(2026, 9, 1))


def test_drill_data_holds_the_run_its_roll_up_posts_actions_and_principal(
        db: Database, school: Builder) -> None:
    staff.add_staff(db, school.school_id, "陆校长", [StaffRole.PRINCIPAL])
    run_id = school.drill(at(date(2026, 9, 8)), every(school, 60, 5))
    drills.add_post(db, run_id, "东楼梯口", "赵老师")
    drills.add_action(db, run_id, "加装应急灯")
    data = report_data.drill_data(db, run_id)
    assert data.school_name == "测试小学" and data.principal == "陆校长"
    assert data.run == drills.get_run(db, run_id)
    assert data.rollup == headcounts.rollup(db, run_id)
    assert [p.post for p in data.posts] == ["东楼梯口"]
    assert [a.description for a in data.actions] == ["加装应急灯"]


def test_rollcall_data_for_the_school_or_one_grade(db: Database, school: Builder) -> None:
    everyone = report_data.rollcall_data(db, school.school_id)
    assert [s.school_class.full_name for s in everyone.sheets] == list(school.classes)
    assert everyone.grade_name == ""
    assert {s.grade_leader for s in everyone.sheets} == {"一年级组长", "二年级组长",
                                                         "三年级组长"}
    grades = classes.list_grades(db, school.school_id)
    for wanted in ("二年级", "2", grades[1].id):
        second = report_data.rollcall_data(db, school.school_id, wanted)
        assert second.grade_name == "二年级"
        assert [s.school_class.full_name for s in second.sheets] == ["二年级1班", "二年级2班"]
    with pytest.raises(NotFoundError):
        report_data.rollcall_data(db, school.school_id, "七年级")


def test_schedule_data_holds_the_occurrences_and_calendar(db: Database,
                                                          school: Builder) -> None:
    schedule.add_event(db, Event(
        id=0, school_id=school.school_id, kind=EventKind.FIRE, title="每周演练",
        start=datetime(2026, 9, 7, 10), duration=timedelta(minutes=15),
        recurrence=Recurrence(rule="FREQ=WEEKLY", school_days_only=True)))
    data = report_data.schedule_data(db, school.school_id, date(2026, 9, 1), date(2026, 10, 31))
    assert list(data.occurrences) == schedule.occurrences(db, school.school_id,
                                                           date(2026, 9, 1), date(2026, 10, 31))
    assert data.calendar == calendar.load_calendar(db, school.school_id)


def test_district_data_side_by_side(db: Database) -> None:
    central = Builder(db, "中心学校", target=180)
    village = Builder(db, "村小", target=120)
    schools.update_school(db, village.school_id, {"parent_id": central.school_id})
    times: dict[int, list[timedelta]] = {central.school_id: [], village.school_id: []}
    for builder, offsets in ((central, (100, 150, 210)), (village, (90, 130))):
        for week, last in enumerate(offsets):
            seconds = dict.fromkeys(builder.classes, 40)
            seconds[next(iter(builder.classes))] = last
            run_id = builder.drill(at(date(2026, 9, 7) + timedelta(weeks=week)), seconds)
            rollup = headcounts.rollup(db, run_id)
            assert rollup.time_to_accountability is not None
            times[builder.school_id].append(rollup.time_to_accountability)
    schools.add_school(db, "新学校")  # no school year, no drills

    data = report_data.district_data(db, date(2026, 9, 1), date(2026, 9, 30), today=TODAY)
    assert data.title_name == "中心学校"
    assert [s.name for s in data.schools] == ["中心学校", "村小", "新学校"]
    lines = {s.name: s for s in data.schools}
    for builder, name in ((central, "中心学校"), (village, "村小")):
        mine = times[builder.school_id]
        line = lines[name]
        target = timedelta(seconds=180 if builder is central else 120)
        assert line.drills_held == len(mine) and line.timed_runs == len(mine)
        assert line.worst == max(mine)
        assert line.average == timedelta(seconds=round(
            sum(t.total_seconds() for t in mine) / len(mine)))
        assert line.met_target == sum(1 for t in mine if t <= target)
        assert line.classes == 6 and line.students == sum(builder.enrolled.values())
        # Only September is judged: the drills were held.
        assert line.status is Status.MET and (line.missed, line.open) == (0, 0)
    assert lines["村小"].parent_name == "中心学校"
    assert lines["新学校"].status is None and lines["新学校"].drills_held == 0
    assert lines["新学校"].average is None
