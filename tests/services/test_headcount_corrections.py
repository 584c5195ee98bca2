"""A completed drill's record: closed for normal entry, corrected with a reason, keeping the
drill's own times (weeks later too), found students counted as accounted for, the reporter
kept beside the verifier, amendments after sign-off, and the term chart unmoved."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from drillplanner.domain.drill_runs import DrillRun
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.domain.headcount import ClassInfo, ReportState, Stage
from drillplanner.services import classes, drills, headcounts, report_data, schools
from drillplanner.storage.database import Database
from drillplanner.storage.models_drills import DrillRunRow, HeadcountRow, ResolutionRow

#: The drill's day, school-local (Asia/Shanghai, the default zone).
DAY = datetime(2026, 11, 9, 10, 0)
SIX_WEEKS = timedelta(weeks=6)


def clock(minutes: int, seconds: int = 0) -> datetime:
    return DAY + timedelta(minutes=minutes, seconds=seconds)


@dataclass
class Drill:
    run: DrillRun
    school_id: int
    one: ClassInfo  # 一年级1班, 33 enrolled
    two: ClassInfo  # 一年级2班, 30 enrolled


@pytest.fixture
def drill(db: Database) -> Drill:
    """A fire drill from 10:00 to 10:06: 一年级1班 reported one student missing at 1:10,
    found at 2:20; 一年级2班 reported everyone at 1:30 and was verified at 2:30."""
    school = schools.add_school(db, "高马小学", evacuation_target_seconds=180).value
    grade = classes.add_grade(db, school.id, "一年级").value
    classes.add_class(db, school.id, grade.id, "1班", 33)
    classes.add_class(db, school.id, grade.id, "2班", 30)
    run = drills.start_drill(db, school.id, kind=EventKind.FIRE, at=clock(0)).value
    one, two = headcounts.classes_in_run(db, run.id)
    headcounts.record_headcount(db, run.id, one.class_id, 32, missing=1, missing_names="张小明",
                                at=clock(1, 10), by="张老师")
    headcounts.record_headcount(db, run.id, two.class_id, 30, at=clock(1, 30), by="刘老师")
    headcounts.resolve_missing(db, run.id, one.class_id, "卫生间", found_by="王老师",
                               at=clock(2, 20))
    headcounts.verify_headcount(db, run.id, two.class_id, "李主任", at=clock(2, 30))
    run = drills.finish_drill(db, run.id, at=clock(6)).value
    return Drill(run, school.id, one, two)


@pytest.fixture
def weeks_later(monkeypatch: pytest.MonkeyPatch) -> Iterator[datetime]:
    """Entries are typed six weeks after the drill (the services' clock, naive UTC)."""
    typed = (clock(0) - timedelta(hours=8)) + SIX_WEEKS
    monkeypatch.setattr(headcounts, "now_utc", lambda: typed)
    yield typed.replace(tzinfo=UTC)


def test_a_found_student_counts_as_accounted_for(db: Database, drill: Drill) -> None:
    rollup = headcounts.rollup(db, drill.run.id)
    one = rollup.classes[0]
    assert (one.figures.present, one.found, one.accounted, one.still_missing) == (  # type: ignore[union-attr]
        32, 1, 33, 0)
    totals = rollup.totals
    assert (totals.enrolled, totals.absent, totals.present, totals.found, totals.accounted,
            totals.still_missing) == (63, 0, 62, 1, 63, 0)
    assert totals.enrolled == totals.absent + totals.accounted + totals.still_missing
    assert rollup.time_to_accountability == timedelta(minutes=2, seconds=20)


def test_the_reporter_stays_on_the_record_beside_the_verifier(db: Database,
                                                             drill: Drill) -> None:
    two = headcounts.rollup(db, drill.run.id).classes[1]
    assert two.state is ReportState.VERIFIED
    assert (two.reported_by, two.reported_at.time().isoformat()) == (  # type: ignore[union-attr]
        "刘老师", "10:01:30")
    assert (two.verified_by, two.verified_at.time().isoformat()) == (  # type: ignore[union-attr]
        "李主任", "10:02:30")
    kinds = [(i.kind, i.recorded_by) for i in headcounts.history(db, drill.run.id,
                                                                  drill.two.class_id)]
    assert kinds == [("report", "刘老师"), ("verification", "李主任")]


@pytest.mark.parametrize("reason", ["", "   "])
def test_entries_on_a_completed_drill_need_a_reason(db: Database, drill: Drill,
                                                    reason: str) -> None:
    run_id, class_id = drill.run.id, drill.one.class_id
    before = headcounts.history(db, run_id, class_id)
    with pytest.raises(ValidationError) as refused:
        headcounts.record_headcount(db, run_id, class_id, 33, reason=reason)
    assert refused.value.field == "reason" and "completed" in refused.value.message
    with pytest.raises(ValidationError, match="completed"):
        headcounts.verify_headcount(db, run_id, class_id, "李主任", reason=reason)
    headcounts.record_headcount(db, run_id, drill.two.class_id, 29, missing=1,
                                reason="漏报一人")
    with pytest.raises(ValidationError, match="completed"):
        headcounts.resolve_missing(db, run_id, drill.two.class_id, "操场", at=clock(3),
                                   reason=reason)
    assert headcounts.history(db, run_id, class_id) == before


def test_a_correction_weeks_later_keeps_the_drills_times(db: Database, drill: Drill,
                                                         weeks_later: datetime) -> None:
    run_id = drill.run.id
    before = headcounts.rollup(db, run_id)
    entry = headcounts.record_headcount(db, run_id, drill.two.class_id, 29, absent=1,
                                        absent_names="赵六", by="校长",
                                        reason="赵六当天请病假").value
    assert entry.stage is Stage.CORRECTION and entry.after_all_clear
    assert entry.reason == "赵六当天请病假"
    assert entry.reported_at.replace(tzinfo=None) == clock(1, 30)  # the class's report time
    assert entry.recorded_at == weeks_later
    after = headcounts.rollup(db, run_id)
    assert after.accounted_at == before.accounted_at
    assert after.time_to_accountability == timedelta(minutes=2, seconds=20)
    two = after.classes[1]
    assert (two.reported_by, two.reported_at) == ("刘老师", before.classes[1].reported_at)
    assert two.correction is not None and two.correction.recorded_by == "校长"
    assert two.state is ReportState.REPORTED  # changed figures need a new check
    assert after.open_alerts == ()

    # The entry is stored as it was: drill-time report time, typed six weeks later.
    with db.read() as session:
        row = session.get(HeadcountRow, entry.id)
        assert row is not None and row.reason == "赵六当天请病假"
        assert row.reported_at == clock(1, 30) - timedelta(hours=8)
        assert row.recorded_at == weeks_later.replace(tzinfo=None)


def test_a_correction_at_a_time_within_the_drill(db: Database, drill: Drill,
                                                 weeks_later: datetime) -> None:
    run_id = drill.run.id
    entry = headcounts.record_headcount(db, run_id, drill.two.class_id, 30, at=clock(3),
                                        reason="报告时间记错").value
    assert entry.reported_at.replace(tzinfo=None) == clock(3)
    assert headcounts.rollup(db, run_id).time_to_accountability == timedelta(minutes=3)
    with pytest.raises(ValidationError) as refused:
        headcounts.record_headcount(db, run_id, drill.two.class_id, 30, at=clock(9),
                                    reason="报告时间记错")
    assert refused.value.field == "at" and "10:06:00" in refused.value.message


def test_a_class_corrected_in_after_the_drill_counts_from_the_all_clear(
        db: Database, weeks_later: datetime) -> None:
    school = schools.add_school(db, "东小学").value
    grade = classes.add_grade(db, school.id, "一年级").value
    classes.add_class(db, school.id, grade.id, "1班", 20)
    run = drills.start_drill(db, school.id, kind=EventKind.FIRE, at=clock(0)).value
    drills.finish_drill(db, run.id, at=clock(5))
    [info] = headcounts.classes_in_run(db, run.id)
    entry = headcounts.record_headcount(db, run.id, info.class_id, 20,
                                        reason="班主任交来纸质记录").value
    assert entry.reported_at.replace(tzinfo=None) == clock(5)
    assert headcounts.rollup(db, run.id).time_to_accountability == timedelta(minutes=5)


def test_a_correction_raises_no_live_alert(db: Database, drill: Drill,
                                           weeks_later: datetime) -> None:
    run_id = drill.run.id
    headcounts.record_headcount(db, run_id, drill.two.class_id, 29, missing=1,
                                missing_names="钱七", reason="漏报一人")
    rollup = headcounts.rollup(db, run_id)
    [alert] = [a for a in rollup.alerts if a.class_id == drill.two.class_id]
    assert not alert.live and rollup.open_alerts == ()
    assert rollup.totals.still_missing == 1 and rollup.accounted_at is None
    # A finding after the all clear needs the time the student was found.
    with pytest.raises(ValidationError) as refused:
        headcounts.resolve_missing(db, run_id, drill.two.class_id, "操场", reason="补录")
    assert refused.value.field == "at"
    found = headcounts.resolve_missing(db, run_id, drill.two.class_id, "操场",
                                       found_by="王老师", at=clock(2, 50), reason="补录",
                                       by="校长").value
    assert found.stage is Stage.CORRECTION and found.recorded_by == "校长"
    assert found.recorded_at == weeks_later
    rollup = headcounts.rollup(db, run_id)
    assert rollup.time_to_accountability == timedelta(minutes=2, seconds=50)
    with db.read() as session:
        row = session.get(ResolutionRow, 2)
        assert row is not None and (row.reason, row.recorded_by) == ("补录", "校长")


def test_corrections_list_who_when_why_and_old_to_new(db: Database, drill: Drill,
                                                      weeks_later: datetime) -> None:
    run_id = drill.run.id
    headcounts.record_headcount(db, run_id, drill.one.class_id, 33, by="校长",
                                reason="张小明其实在队伍里")
    headcounts.verify_headcount(db, run_id, drill.one.class_id, "李主任", reason="复核")
    items = headcounts.corrections(db, run_id)
    assert [(i.kind, i.class_name, i.recorded_by, i.reason) for i in items] == [
        ("correction", "一年级1班", "校长", "张小明其实在队伍里"),
        ("verification", "一年级1班", "李主任", "复核")]
    assert items[0].old is not None and items[0].new is not None
    assert (items[0].old.missing, items[0].new.missing) == (1, 0)
    assert all(i.stage is Stage.CORRECTION and i.recorded_at == weeks_later for i in items)
    whole = headcounts.run_history(db, run_id)
    assert [i.kind for i in whole][:4] == ["report", "report", "found", "verification"]
    assert [i.after_all_clear for i in whole] == [False] * 4 + [True] * 2


def test_changes_after_sign_off_are_amendments(db: Database, drill: Drill,
                                               weeks_later: datetime,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    run_id = drill.run.id
    headcounts.record_headcount(db, run_id, drill.two.class_id, 30, reason="签字前更正")
    with db.write() as session:
        row = session.get(DrillRunRow, run_id)
        assert row is not None
        row.signed_by, row.signed_at = "校长", weeks_later.replace(tzinfo=None) + timedelta(
            minutes=1)
    with pytest.raises(ValidationError, match="reason"):
        headcounts.record_headcount(db, run_id, drill.two.class_id, 30)
    later = weeks_later.replace(tzinfo=None) + timedelta(minutes=2)
    monkeypatch.setattr(headcounts, "now_utc", lambda: later)
    amended = headcounts.record_headcount(db, run_id, drill.two.class_id, 29, absent=1,
                                          reason="签字后发现请假条").value
    assert amended.stage is Stage.AMENDMENT
    stages = [(i.reason, i.stage) for i in headcounts.corrections(db, run_id)]
    assert stages == [("签字前更正", Stage.CORRECTION), ("签字后发现请假条", Stage.AMENDMENT)]


def test_the_term_chart_keeps_the_drill_time(db: Database, drill: Drill,
                                             weeks_later: datetime) -> None:
    headcounts.record_headcount(db, drill.run.id, drill.two.class_id, 28, absent=2,
                                reason="两人请假")
    headcounts.record_headcount(db, drill.run.id, drill.one.class_id, 33, reason="无人失踪")
    data = report_data.term_data(db, drill.school_id, date(2026, 11, 1), date(2026, 11, 30),
                                 today=date(2026, 12, 31))
    [summary] = data.runs
    rollup = headcounts.rollup(db, drill.run.id)
    assert summary.time_to_accountability == rollup.time_to_accountability
    assert rollup.time_to_accountability == timedelta(minutes=1, seconds=30)


def test_running_drills_take_entries_without_a_reason(db: Database) -> None:
    school = schools.add_school(db, "西小学").value
    grade = classes.add_grade(db, school.id, "一年级").value
    classes.add_class(db, school.id, grade.id, "1班", 20)
    run = drills.start_drill(db, school.id, kind=EventKind.FIRE).value
    [info] = headcounts.classes_in_run(db, run.id)
    entry = headcounts.record_headcount(db, run.id, info.class_id, 20, reason="不需要").value
    assert entry.stage is Stage.DRILL and entry.reason == ""
