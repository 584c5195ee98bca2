"""Headcount arithmetic and the class → grade → school roll-up (pure)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.headcount import (
    ClassInfo,
    HeadcountEntry,
    ReportState,
    Resolution,
    check_figures,
    roll_up,
)

TZ = ZoneInfo("Asia/Shanghai")
ALARM = datetime(2026, 11, 9, 10, 0, tzinfo=TZ)


def at(seconds: int) -> datetime:
    return ALARM + timedelta(seconds=seconds)


def test_a_report_that_adds_up_is_accepted() -> None:
    figures = check_figures(45, 42, absent=2, missing=1, injured=1, with_us=3,
                            missing_names="张三", absent_names="李四，王五")
    assert figures.expected == 43
    assert figures.missing_names == ("张三",) and figures.absent_names == ("李四", "王五")


@pytest.mark.parametrize(("kwargs", "field", "text"), [
    ({"enrolled": 45, "present": 45, "absent": 1}, "present",
     "enrolled 45 − absent 1 = expected 44, but present 45 + missing 0 = 45"),
    ({"enrolled": 45, "present": 40, "missing": 2}, "present",
     "expected 45, but present 40 + missing 2 = 42"),
    ({"enrolled": 45, "present": -1}, "present", "at least 0"),
    ({"enrolled": 45, "present": "4x"}, "present", "whole number"),
    ({"enrolled": 45, "present": 44.5}, "present", "whole number"),
    ({"enrolled": 3, "present": 0, "absent": 4}, "absent", "than enrolled"),
    ({"enrolled": 45, "present": 45, "injured": 46}, "injured", "than present"),
    ({"enrolled": 45, "present": 44, "missing": 1, "missing_names": "甲,乙"}, "missing_names",
     "2 names given for 1 missing"),
])
def test_reports_that_do_not_add_up_show_the_arithmetic(kwargs: dict[str, object], field: str,
                                                        text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_figures(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert text in caught.value.message


CLASSES = [
    ClassInfo(1, "一年级1班", 10, "一年级", 1, 40),
    ClassInfo(2, "一年级2班", 10, "一年级", 1, 42),
    ClassInfo(3, "二年级1班", 20, "二年级", 2, 38),
]


def entry(number: int, class_id: int, seconds: int, present: int, *, missing: int = 0,
          absent: int = 0, enrolled: int | None = None, by: str = "",
          verified: bool = False) -> HeadcountEntry:
    info = next(c for c in CLASSES if c.class_id == class_id)
    figures = None if verified else check_figures(
        enrolled or info.enrolled, present, absent, missing, missing_names=())
    return HeadcountEntry(number, 1, class_id, figures, at(seconds), at(seconds), by, verified)


def test_roll_up_states_totals_and_alerts() -> None:
    entries = [
        entry(1, 1, 70, 39, missing=1, by="张老师"),
        entry(2, 2, 80, 41, absent=1),
        entry(3, 2, 90, 0, verified=True, by="王组长"),
    ]
    rollup = roll_up(CLASSES, entries, [], ALARM, timedelta(minutes=3))
    states = {s.info.name: s.state for s in rollup.classes}
    assert states == {"一年级1班": ReportState.REPORTED, "一年级2班": ReportState.VERIFIED,
                      "二年级1班": ReportState.NOT_REPORTED}
    first = rollup.grades[0].totals
    assert (first.classes, first.reported, first.expected, first.present, first.missing,
            first.absent) == (2, 2, 81, 80, 1, 1)
    assert rollup.totals.still_out == 1 and rollup.totals.enrolled == 120
    assert [a.class_name for a in rollup.open_alerts] == ["一年级1班"]
    assert rollup.accounted_at is None and rollup.met_target is None


def test_accountability_waits_for_the_last_class_and_the_last_student_found() -> None:
    entries = [entry(1, 1, 70, 39, missing=1), entry(2, 2, 80, 42), entry(3, 3, 150, 38)]
    found = [Resolution(1, "厕所", at(170), "李老师")]
    rollup = roll_up(CLASSES, entries, found, ALARM, timedelta(minutes=3))
    assert rollup.open_alerts == () and rollup.alerts[0].resolved
    assert rollup.accounted_at == at(170)
    assert rollup.time_to_accountability == timedelta(seconds=170) and rollup.met_target
    late = roll_up(CLASSES, entries, [Resolution(1, "教室", at(200))], ALARM,
                   timedelta(minutes=3))
    assert late.time_to_accountability == timedelta(seconds=200) and late.met_target is False


def test_a_correction_replaces_figures_and_needs_a_new_check() -> None:
    entries = [entry(1, 1, 60, 39, missing=1), entry(2, 1, 65, 0, verified=True, by="组长"),
               entry(3, 1, 75, 40)]
    status = roll_up(CLASSES, entries, [], ALARM, None).classes[0]
    assert status.state is ReportState.REPORTED and status.corrections == 1
    assert status.figures is not None and status.figures.missing == 0
    assert roll_up(CLASSES, entries, [], ALARM, None).alerts == ()


def test_a_verification_before_any_report_is_ignored() -> None:
    rollup = roll_up(CLASSES, [entry(1, 3, 10, 0, verified=True)], [], ALARM, None)
    assert rollup.classes[2].state is ReportState.NOT_REPORTED
