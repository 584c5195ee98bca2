"""The roll-up always adds up, and corrections keep the drill's timeline (property tests).

Random drills: classes in grades, reports during the drill (some with missing students),
verifications, students found during the drill or later, then corrections and findings typed
weeks after the all clear. For a class, a grade and the school:
enrolled = absent + accounted for + still missing + unreported, accounted = present + found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from drillplanner.domain.headcount import (
    ClassInfo,
    ClassStatus,
    Figures,
    HeadcountEntry,
    ReportState,
    Resolution,
    Rollup,
    Stage,
    Totals,
    roll_up,
)
from drillplanner.domain.headcount_history import history_items

TZ = ZoneInfo("Asia/Shanghai")
ALARM = datetime(2026, 11, 9, 10, 0, tzinfo=TZ)
ALL_CLEAR = ALARM + timedelta(minutes=10)
WEEKS_LATER = ALL_CLEAR + timedelta(weeks=6)


def at(seconds: int) -> datetime:
    return ALARM + timedelta(seconds=seconds)


@st.composite
def school_classes(draw: st.DrawFn) -> list[ClassInfo]:
    classes = []
    for grade in range(1, draw(st.integers(1, 3)) + 1):
        for number in range(1, draw(st.integers(1, 3)) + 1):
            classes.append(ClassInfo(grade * 10 + number, f"{grade}年级{number}班", grade,
                                     f"{grade}年级", grade, draw(st.integers(0, 45))))
    return classes


@st.composite
def figures_for(draw: st.DrawFn, enrolled: int, allow_missing: bool = True) -> Figures:
    absent = draw(st.integers(0, enrolled))
    expected = enrolled - absent
    missing = draw(st.integers(0, min(expected, 3))) if allow_missing else 0
    present = expected - missing
    return Figures(enrolled=enrolled, present=present, absent=absent, missing=missing,
                   injured=draw(st.integers(0, present)), with_us=draw(st.integers(0, 2)))


@dataclass
class Drill:
    classes: list[ClassInfo]
    entries: list[HeadcountEntry]
    found: list[Resolution]
    drill_reported: dict[int, datetime]  # each class's latest report time during the drill


@st.composite
def drills(draw: st.DrawFn, corrections: bool = True,
           missing_in_corrections: bool = True) -> Drill:
    """A drill: reports, verifications and findings during it (in time order), then
    (optionally) corrections, verifications and findings typed weeks later."""
    classes = draw(school_classes())
    entries: list[HeadcountEntry] = []
    found: list[Resolution] = []
    reported: dict[int, datetime] = {}
    current: dict[int, Figures] = {}
    moment = 0
    for _step in range(draw(st.integers(0, 3 * len(classes)))):
        info = draw(st.sampled_from(classes))
        moment = min(moment + draw(st.integers(0, 60)), 600)
        kind = draw(st.sampled_from(("report", "report", "verify", "found")))
        if kind == "report":
            figures = draw(figures_for(info.enrolled))
            entries.append(HeadcountEntry(len(entries) + 1, 1, info.class_id, figures,
                                          at(moment), at(moment), "班主任"))
            reported[info.class_id] = at(moment)
            current[info.class_id] = figures
        elif kind == "verify" and info.class_id in current:
            entries.append(HeadcountEntry(len(entries) + 1, 1, info.class_id, None,
                                          at(moment), at(moment), "组长", verified=True))
        elif kind == "found" and current.get(info.class_id, Figures(0, 0)).missing:
            found.append(Resolution(info.class_id, "厕所", at(moment), "王老师",
                                    draw(st.integers(1, current[info.class_id].missing)),
                                    recorded_at=at(moment)))
    if corrections:
        late = WEEKS_LATER
        for _step in range(draw(st.integers(0, 2 * len(classes)))):
            info = draw(st.sampled_from(classes))
            late += timedelta(minutes=draw(st.integers(1, 30)))
            kind = draw(st.sampled_from(("correct", "correct", "verify", "found")))
            if kind == "correct":
                # As the service stores it: the class's drill-time report time, or the all
                # clear for a class that did not report during the drill.
                figures = draw(figures_for(info.enrolled, missing_in_corrections))
                entries.append(HeadcountEntry(
                    len(entries) + 1, 1, info.class_id, figures,
                    reported.get(info.class_id, ALL_CLEAR), late, "校长", reason="纸质名单",
                    stage=Stage.CORRECTION))
                current[info.class_id] = figures
            elif kind == "verify" and info.class_id in current:
                entries.append(HeadcountEntry(len(entries) + 1, 1, info.class_id, None, late,
                                              late, "组长", verified=True, reason="补核",
                                              stage=Stage.CORRECTION))
            elif kind == "found" and current.get(info.class_id, Figures(0, 0)).missing:
                found_at = at(draw(st.integers(0, 7200)))  # during the drill or after it
                found.append(Resolution(info.class_id, "医务室", found_at, "王老师",
                                        draw(st.integers(1, current[info.class_id].missing)),
                                        reason="补录", recorded_at=late, recorded_by="校长",
                                        stage=Stage.CORRECTION))
    return Drill(classes, entries, found, reported)


def check_adds_up(totals: Totals) -> None:
    assert totals.enrolled == (totals.absent + totals.accounted + totals.still_missing
                               + totals.unreported)
    assert totals.accounted == totals.present + totals.found
    assert totals.expected == totals.accounted + totals.still_missing
    assert totals.expected == totals.present + totals.missing
    assert 0 <= totals.found <= totals.missing
    assert totals.still_missing == totals.missing - totals.found


def check_class(status: ClassStatus) -> None:
    f = status.figures
    if f is None:
        assert (status.accounted, status.found, status.still_missing) == (0, 0, 0)
        assert status.state is ReportState.NOT_REPORTED
        return
    assert f.enrolled == f.absent + status.accounted + status.still_missing
    assert status.accounted == f.present + status.found
    assert 0 <= status.found <= f.missing
    assert (status.accounted_at is None) == (status.still_missing > 0)


def sum_of(parts: Sequence[Totals]) -> Totals:
    fields = Totals.__dataclass_fields__
    return Totals(**{name: sum(getattr(p, name) for p in parts) for name in fields})


def drill_moments(drill: Drill) -> set[datetime]:
    return ({e.reported_at for e in drill.entries if not e.verified}
            | {r.found_at for r in drill.found})


@settings(max_examples=300, deadline=None)
@given(drills())
def test_class_grade_and_school_always_add_up(drill: Drill) -> None:
    rollup = roll_up(drill.classes, drill.entries, drill.found, ALARM, timedelta(minutes=3))
    for status in rollup.classes:
        check_class(status)
    for grade in rollup.grades:
        check_adds_up(grade.totals)
        assert grade.totals == sum_of([_class_totals(s) for s in grade.classes])
    check_adds_up(rollup.totals)
    assert rollup.totals == sum_of([g.totals for g in rollup.grades])
    assert rollup.totals.enrolled == sum(
        s.figures.enrolled if s.figures else s.info.enrolled for s in rollup.classes)


def _class_totals(status: ClassStatus) -> Totals:
    return roll_up([status.info], [], [], ALARM, None).totals if status.figures is None else \
        Totals(classes=1, reported=1, enrolled=status.figures.enrolled,
               absent=status.figures.absent, expected=status.figures.expected,
               present=status.figures.present, missing=status.figures.missing,
               still_missing=status.still_missing, injured=status.figures.injured,
               with_us=status.figures.with_us, found=status.found,
               accounted=status.accounted)


@settings(max_examples=300, deadline=None)
@given(drills())
def test_accountability_is_a_moment_of_the_drills_own_timeline(drill: Drill) -> None:
    rollup = roll_up(drill.classes, drill.entries, drill.found, ALARM, None)
    totals = rollup.totals
    everyone = bool(drill.classes) and totals.still_out == 0 and totals.still_missing == 0
    assert (rollup.accounted_at is not None) == everyone
    if rollup.accounted_at is None:
        assert rollup.time_to_accountability is None
        return
    # Never the moment a correction was typed: a report's time or a finding's time.
    assert rollup.accounted_at in drill_moments(drill)
    assert rollup.accounted_at < WEEKS_LATER
    assert rollup.time_to_accountability == rollup.accounted_at - ALARM
    if all(r.found_at <= ALL_CLEAR for r in drill.found):
        assert rollup.accounted_at <= ALL_CLEAR


@settings(max_examples=200, deadline=None)
@given(drills(corrections=False), st.data())
def test_corrections_with_nobody_missing_never_delay_accountability(
        drill: Drill, data: st.DataObject) -> None:
    before = roll_up(drill.classes, drill.entries, drill.found, ALARM, None)
    entries = list(drill.entries)
    for number, info in enumerate(data.draw(st.lists(st.sampled_from(drill.classes)))
                                  if drill.classes else []):
        figures = data.draw(figures_for(info.enrolled, allow_missing=False))
        entries.append(HeadcountEntry(
            len(entries) + 1, 1, info.class_id, figures,
            drill.drill_reported.get(info.class_id, ALL_CLEAR),
            WEEKS_LATER + timedelta(minutes=number), "校长", reason="更正",
            stage=Stage.CORRECTION))
    after = roll_up(drill.classes, entries, drill.found, ALARM, None)
    if before.accounted_at is not None:
        # Never later; the very same moment unless a class's report had someone missing
        # (a correction saying nobody was, accounts for it at its report time).
        assert after.accounted_at is not None and after.accounted_at <= before.accounted_at
        if not before.alerts:
            assert after.accounted_at == before.accounted_at
    # A correction raises no live alert: only what was reported during the drill sounds.
    assert {a.class_id for a in after.open_alerts} <= {a.class_id for a in before.alerts}


@settings(max_examples=200, deadline=None)
@given(drills())
def test_only_alerts_of_the_drill_are_live(drill: Drill) -> None:
    rollup = roll_up(drill.classes, drill.entries, drill.found, ALARM, None)
    drill_missing: dict[int, int] = {}
    for entry in drill.entries:
        if entry.figures is not None and entry.stage is Stage.DRILL:
            drill_missing[entry.class_id] = entry.figures.missing
    for alert in rollup.alerts:
        assert alert.live == (drill_missing.get(alert.class_id, 0) > 0)
    assert all(a.live and not a.resolved for a in rollup.open_alerts)
    assert sum(a.still_missing for a in rollup.unresolved_alerts) == \
        rollup.totals.still_missing


@settings(max_examples=200, deadline=None)
@given(drills())
def test_history_lists_every_entry_and_finding_with_what_it_replaced(drill: Drill) -> None:
    items = history_items(drill.entries, drill.found)
    assert len(items) == len(drill.entries) + len(drill.found)
    assert [i.recorded_at for i in items] == sorted(i.recorded_at for i in items)
    current: dict[int, Figures] = {}
    for item in items:
        if item.kind == "found":
            assert item.found is not None and item.missing_before >= item.missing_after
            continue
        assert item.old == current.get(item.class_id)
        if item.new is not None:
            current[item.class_id] = item.new
        assert item.after_all_clear == bool(item.reason)


def rolled(entries: list[HeadcountEntry], found: Sequence[Resolution] = ()) -> Rollup:
    classes = [ClassInfo(1, "一年级1班", 1, "一年级", 1, 33)]
    return roll_up(classes, entries, list(found), ALARM, timedelta(minutes=3))


def test_a_found_student_counts_as_accounted_for() -> None:
    report = HeadcountEntry(1, 1, 1, Figures(33, 32, missing=1, missing_names=("张三",)),
                            at(70), at(70), "班主任")
    rollup = rolled([report], [Resolution(1, "厕所", at(150), "王老师")])
    status = rollup.classes[0]
    assert (status.accounted, status.found, status.still_missing) == (33, 1, 0)
    totals = rollup.totals
    assert (totals.enrolled, totals.accounted, totals.present, totals.found,
            totals.still_missing) == (33, 33, 32, 1, 0)
    assert rollup.accounted_at == at(150) and status.accounted_at == at(150)
    assert rollup.alerts[0].resolved and rollup.open_alerts == ()


def test_the_reporter_stays_beside_the_verifier() -> None:
    report = HeadcountEntry(1, 1, 1, Figures(33, 33), at(70), at(70), "张老师")
    check = HeadcountEntry(2, 1, 1, None, at(95), at(95), "李主任", verified=True)
    status = rolled([report, check]).classes[0]
    assert status.state is ReportState.VERIFIED
    assert (status.reported_by, status.reported_at) == ("张老师", at(70))
    assert (status.verified_by, status.verified_at) == ("李主任", at(95))


def test_a_correction_keeps_the_drill_reporter_and_is_on_the_record() -> None:
    report = HeadcountEntry(1, 1, 1, Figures(33, 32, missing=1), at(70), at(70), "张老师")
    fixed = HeadcountEntry(2, 1, 1, Figures(33, 33), at(70), WEEKS_LATER, "校长",
                           reason="点名册显示全员到齐", stage=Stage.CORRECTION)
    rollup = rolled([report, fixed])
    status = rollup.classes[0]
    assert (status.reported_by, status.reported_at) == ("张老师", at(70))
    assert status.correction == fixed and status.corrections == 1
    assert rollup.accounted_at == at(70) and rollup.time_to_accountability == \
        timedelta(seconds=70)


def test_a_correction_that_reports_someone_missing_raises_no_live_alert() -> None:
    report = HeadcountEntry(1, 1, 1, Figures(33, 33), at(70), at(70), "张老师")
    fixed = HeadcountEntry(2, 1, 1, Figures(33, 32, missing=1), at(70), WEEKS_LATER, "校长",
                           reason="漏报一人", stage=Stage.CORRECTION)
    rollup = rolled([report, fixed])
    assert [a.live for a in rollup.alerts] == [False]
    assert rollup.open_alerts == () and rollup.totals.still_missing == 1
    # Until the record says when the student was found, nobody claims full accountability.
    assert rollup.accounted_at is None
    found = Resolution(1, "操场", at(130), "王老师", reason="补录", recorded_at=WEEKS_LATER,
                       stage=Stage.CORRECTION)
    assert rolled([report, fixed], [found]).accounted_at == at(130)


def test_a_correction_after_the_check_keeps_the_earlier_check_on_record() -> None:
    report = HeadcountEntry(1, 1, 1, Figures(33, 33), at(70), at(70), "张老师")
    check = HeadcountEntry(2, 1, 1, None, at(95), at(95), "李主任", verified=True)
    fixed = HeadcountEntry(3, 1, 1, Figures(33, 32, absent=1), at(70), WEEKS_LATER, "校长",
                           reason="一人请假", stage=Stage.CORRECTION)
    status = rolled([report, check, fixed]).classes[0]
    assert status.state is ReportState.REPORTED and status.verified_by == ""
    assert status.earlier_check == check and status.reported_by == "张老师"
    assert rolled([report, check]).classes[0].earlier_check is None
