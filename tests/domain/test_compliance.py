"""Compliance evaluation rules on hand-made calendars (see compliance_calendars.py).

Expected periods, days and counts below are worked out by hand from the calendars' dates.
"""

from __future__ import annotations

from datetime import date

import pytest
from compliance_calendars import CN_YEAR, US_YEAR, D, cn_calendar, held, planned, us_calendar

from drillplanner import i18n
from drillplanner.domain.compliance import (
    PeriodKind,
    PeriodResult,
    Profile,
    Requirement,
    Status,
    describe_requirement,
    evaluate,
    status_label,
    worst,
)
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.domain.school_calendar import CalendarDay, DayKind, SchoolCalendar, SchoolYear

EVACUATION = frozenset({EventKind.FIRE, EventKind.EARTHQUAKE, EventKind.DRILL_OTHER})
FIRE = EventKind.FIRE


def requirement(period: PeriodKind = PeriodKind.MONTH, count: int = 1,
                kinds: frozenset[EventKind] = EVACUATION, code: str = "r", **extra: object
                ) -> Requirement:
    return Requirement(code, f"{code} (en)", f"{code}（中）", kinds, count, period,
                       **extra)  # type: ignore[arg-type]


def profile(*requirements: Requirement) -> Profile:
    return Profile("test", "Test", "测试", "", "", requirements)


def periods(result_periods: tuple[PeriodResult, ...]) -> list[tuple[date, date]]:
    return [(p.start, p.end) for p in result_periods]


def month_result(report_periods: tuple[PeriodResult, ...], label: str) -> PeriodResult:
    (found,) = [p for p in report_periods if p.label == label]
    return found


def test_months_in_session_leave_out_a_month_wholly_in_the_winter_break() -> None:
    report = evaluate(profile(requirement()), cn_calendar(), [], [], D("2026-09-01"))
    assert [p.label for p in report.periods] == [
        "2026-09", "2026-10", "2026-11", "2026-12", "2027-01",
        "2027-03", "2027-04", "2027-05", "2027-06"]
    assert periods(report.periods)[4] == (D("2027-01-01"), D("2027-01-31"))
    assert report.school_year == CN_YEAR


def test_without_in_session_only_every_month_of_the_year_is_required() -> None:
    report = evaluate(profile(requirement(in_session_only=False)), cn_calendar(), [], [],
                      D("2026-09-01"))
    assert len(report.periods) == 10  # September to June
    assert "2027-02" in [p.label for p in report.periods]


@pytest.mark.parametrize(("makeup", "february_required"), [
    ((), False),                 # term from Sat 27 Feb: its only February days are a weekend
    ((D("2027-02-27"),), True),  # ... unless Saturday 27 February is a make-up school day
])
def test_a_month_is_in_session_only_with_a_school_day(makeup: tuple[date, ...],
                                                      february_required: bool) -> None:
    calendar = cn_calendar(second_term_start=D("2027-02-27"), makeup=makeup)
    report = evaluate(profile(requirement()), calendar, [], [], D("2026-09-01"))
    assert ("2027-02" in [p.label for p in report.periods]) is february_required


def test_a_month_shared_by_two_terms_is_one_period_met_by_a_drill_in_either() -> None:
    calendar = us_calendar()
    for day in ("2027-01-12", "2027-01-28"):  # fall term, spring term
        report = evaluate(profile(requirement()), calendar, held(FIRE, day), [],
                          D("2027-02-01"))
        january = month_result(report.periods, "2027-01")
        assert (january.start, january.end, january.status) == (
            D("2027-01-01"), D("2027-01-31"), Status.MET)
        assert [p.label for p in report.periods].count("2027-01") == 1


def test_a_month_with_no_drill_is_open_while_running_and_missed_after() -> None:
    calendar = cn_calendar()
    drills = held(FIRE, "2026-09-15", "2026-10-20")
    running = month_result(evaluate(profile(requirement()), calendar, drills, [],
                                    D("2026-11-10")).periods, "2026-11")
    assert running.status is Status.OPEN
    assert (running.still_needed, running.to_schedule) == (1, 1)
    assert running.days_left == 21  # 10..30 November
    # Weekdays from Tue 10 Nov: 10-13, 16-20, 23-27, 30 -> 4 + 5 + 5 + 1.
    assert running.school_days_left == 15
    assert running.held == ()

    ended = month_result(evaluate(profile(requirement()), calendar, drills, [],
                                  D("2026-12-01")).periods, "2026-11")
    assert (ended.status, ended.still_needed, ended.days_left, ended.school_days_left) == (
        Status.MISSED, 1, 0, 0)
    assert ended.to_schedule == 0


def test_the_last_day_of_a_period_is_still_open() -> None:
    report = evaluate(profile(requirement()), cn_calendar(), [], [], D("2026-11-30"))
    november = month_result(report.periods, "2026-11")
    assert (november.status, november.days_left) == (Status.OPEN, 1)


def test_a_future_period_is_open_with_days_until_its_end() -> None:
    report = evaluate(profile(requirement()), cn_calendar(), [], [], D("2026-11-10"))
    december = month_result(report.periods, "2026-12")
    assert december.status is Status.OPEN
    assert december.days_left == 21 + 31  # rest of November, all of December
    assert december.school_days_left == 23  # December 2026 has 23 weekdays, no holiday


def test_planned_drills_inside_the_period_from_today_on_make_it_planned() -> None:
    calendar = cn_calendar()
    as_of = D("2026-11-10")

    def november(plans: list[str]) -> PeriodResult:
        report = evaluate(profile(requirement()), calendar, [],
                          planned(FIRE, *plans), as_of)
        return month_result(report.periods, "2026-11")

    assert november(["2026-11-20"]).status is Status.PLANNED
    assert november(["2026-11-20"]).to_schedule == 0
    assert november(["2026-11-10"]).status is Status.PLANNED  # later today
    assert november(["2026-11-05"]).status is Status.OPEN  # planned, passed, never held
    assert november(["2026-12-03"]).status is Status.OPEN  # next month's
    assert [d.day for d in november(["2026-11-05", "2026-11-24"]).planned] == [D("2026-11-24")]


def test_planned_counts_only_towards_what_is_still_needed() -> None:
    two_per_term = requirement(PeriodKind.TERM, count=2)
    report = evaluate(profile(two_per_term), cn_calendar(), held(FIRE, "2026-09-15"),
                      planned(FIRE, "2026-12-01"), D("2026-11-10"))
    first_term = report.periods[0]
    assert (first_term.label, first_term.status, first_term.still_needed) == (
        "第一学期", Status.PLANNED, 1)
    report = evaluate(profile(two_per_term), cn_calendar(), [],
                      planned(FIRE, "2026-12-01"), D("2026-11-10"))
    assert (report.periods[0].status, report.periods[0].to_schedule) == (Status.OPEN, 1)


def test_held_drills_count_only_up_to_as_of() -> None:
    calendar = cn_calendar()
    drills = held(FIRE, "2026-11-20")
    before = evaluate(profile(requirement()), calendar, drills, [], D("2026-11-10"))
    assert month_result(before.periods, "2026-11").status is Status.OPEN
    assert month_result(before.periods, "2026-11").held == ()
    on_the_day = evaluate(profile(requirement()), calendar, drills, [], D("2026-11-20"))
    november = month_result(on_the_day.periods, "2026-11")
    assert november.status is Status.MET
    assert november.held == tuple(drills)


def test_only_the_requirements_kinds_count_never_training_or_sports() -> None:
    calendar = cn_calendar()
    others = (held(EventKind.TRAINING, "2026-11-09") + held(EventKind.SPORTS, "2026-11-10")
              + held(EventKind.OTHER, "2026-11-11") + held(EventKind.LOCKDOWN, "2026-11-12")
              + held(EventKind.SHELTER, "2026-11-13"))
    report = evaluate(profile(requirement()), calendar, others,
                      planned(EventKind.TRAINING, "2026-11-20"), D("2026-12-01"))
    november = month_result(report.periods, "2026-11")
    assert (november.status, november.held, november.planned) == (Status.MISSED, (), ())
    every_drill = requirement(kinds=frozenset({EventKind.FIRE, EventKind.EARTHQUAKE,
                                               EventKind.LOCKDOWN, EventKind.SHELTER,
                                               EventKind.DRILL_OTHER}))
    report = evaluate(profile(every_drill), calendar, others, [], D("2026-12-01"))
    assert [d.kind for d in month_result(report.periods, "2026-11").held] == [
        EventKind.LOCKDOWN, EventKind.SHELTER]


def test_one_drill_counts_for_every_requirement_it_fits() -> None:
    monthly = requirement(code="monthly")
    yearly = requirement(PeriodKind.SCHOOL_YEAR, code="yearly")
    report = evaluate(profile(monthly, yearly), cn_calendar(), held(FIRE, "2026-09-15"), [],
                      D("2026-09-30"))
    by_requirement = report.by_requirement()
    assert by_requirement[monthly][0].status is Status.MET
    assert by_requirement[yearly][0].status is Status.MET
    assert by_requirement[yearly][0].held == by_requirement[monthly][0].held


def test_terms_and_school_year_periods() -> None:
    report = evaluate(profile(requirement(PeriodKind.TERM), requirement(
        PeriodKind.SCHOOL_YEAR, code="y")), us_calendar(), [], [], D("2026-10-01"))
    assert [(p.label, p.start, p.end) for p in report.periods] == [
        ("Fall", D("2026-09-07"), D("2027-01-15")),
        ("Spring", D("2027-01-25"), D("2027-06-25")),
        ("2026-27", D("2026-09-01"), D("2027-06-30")),
    ]


def test_quarters_are_calendar_quarters_cut_to_the_school_year() -> None:
    report = evaluate(profile(requirement(PeriodKind.QUARTER)), us_calendar(), [], [],
                      D("2026-10-01"))
    assert [(p.label, p.start, p.end) for p in report.periods] == [
        ("Q3 2026", D("2026-09-01"), D("2026-09-30")),
        ("Q4 2026", D("2026-10-01"), D("2026-12-31")),
        ("Q1 2027", D("2027-01-01"), D("2027-03-31")),
        ("Q2 2027", D("2027-04-01"), D("2027-06-30")),
    ]


def test_first_days_count_calendar_days_from_the_first_school_day() -> None:
    # US: the fall term starts on Labor Day (a holiday); the first school day is Tue 8 Sep.
    # 30 days: 8-30 September (23 days) and 1-7 October (7 days).
    first_30 = requirement(PeriodKind.FIRST_DAYS, days=30)
    (period,) = evaluate(profile(first_30), us_calendar(), [], [], D("2026-09-01")).periods
    assert (period.label, period.start, period.end) == (
        "first 30 days", D("2026-09-08"), D("2026-10-07"))
    for day, status in (("2026-10-07", Status.MET), ("2026-10-08", Status.MISSED),
                        ("2026-09-04", Status.MISSED)):
        (result,) = evaluate(profile(first_30), us_calendar(), held(FIRE, day), [],
                             D("2026-10-20")).periods
        assert result.status is status, day


def test_before_date_runs_from_the_year_start_to_the_date_inside_the_year() -> None:
    by_new_year = requirement(PeriodKind.BEFORE_DATE, before=(12, 31))
    by_leap_day = requirement(PeriodKind.BEFORE_DATE, before=(2, 29), code="leap")
    by_summer = requirement(PeriodKind.BEFORE_DATE, before=(8, 15), code="summer")
    report = evaluate(profile(by_new_year, by_leap_day, by_summer), cn_calendar(), [], [],
                      D("2026-09-01"))
    assert periods(report.periods) == [
        (D("2026-09-01"), D("2026-12-31")),
        (D("2026-09-01"), D("2027-02-28")),  # 2027 is a common year
        (D("2026-09-01"), D("2027-06-30")),  # 15 August is after the year: its end
    ]
    assert report.periods[0].label == "by Dec 31, 2026"


def test_evaluate_needs_a_school_year_containing_as_of() -> None:
    with pytest.raises(ValidationError, match="define the school year") as caught:
        evaluate(profile(requirement()), cn_calendar(), [], [], D("2027-07-15"))
    assert caught.value.field == "as_of"
    assert "July 15, 2027" in caught.value.message


def test_a_given_school_year_can_be_judged_after_it_ended() -> None:
    drills = held(FIRE, "2026-09-10", "2026-10-12")
    report = evaluate(profile(requirement()), us_calendar(), drills, [], D("2027-08-01"),
                      school_year=US_YEAR)
    assert [p.status for p in report.periods] == [Status.MET] * 2 + [Status.MISSED] * 8
    assert report.overall is Status.MISSED
    assert report.open_items() == ()


def test_report_helpers() -> None:
    monthly = requirement(code="monthly")
    per_term = requirement(PeriodKind.TERM, count=2, code="term")
    drills = held(FIRE, "2026-09-15", "2026-10-20")
    report = evaluate(profile(monthly, per_term), cn_calendar(), drills,
                      planned(FIRE, "2026-11-18"), D("2026-11-10"))
    assert report.status_of(monthly) is Status.OPEN
    assert [p.status for p in report.by_requirement()[per_term]] == [Status.MET, Status.OPEN]
    assert report.status_of(per_term) is Status.OPEN
    assert report.overall is Status.OPEN
    assert list(report.by_requirement()) == [monthly, per_term]
    assert len(report.by_requirement()[monthly]) == 9
    items = report.open_items()
    # Deadlines: November (planned), then December ... June; the first term (met) is out.
    assert [(p.requirement.code, p.label, p.status) for p in items[:3]] == [
        ("monthly", "2026-11", Status.PLANNED),
        ("monthly", "2026-12", Status.OPEN),
        ("monthly", "2027-01", Status.OPEN),
    ]
    ends = [p.end for p in items]
    assert ends == sorted(ends)
    assert ("term", "第二学期") in [(p.requirement.code, p.label) for p in items]


def test_worst_status() -> None:
    assert worst([]) is Status.MET
    assert worst([Status.MET, Status.PLANNED]) is Status.PLANNED
    assert worst([Status.OPEN, Status.MISSED, Status.PLANNED]) is Status.MISSED
    assert worst([Status.PLANNED, Status.OPEN]) is Status.OPEN


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"count": 0}, "count", "at least 1, not 0"),
    ({"count": True}, "count", "at least 1"),
    ({"kinds": frozenset()}, "kinds", "at least one drill kind"),
    ({"kinds": frozenset({EventKind.TRAINING})}, "kinds", "“Training” is not a drill"),
    ({"period": PeriodKind.FIRST_DAYS}, "days", "needs a number of days"),
    ({"period": PeriodKind.FIRST_DAYS, "days": 0}, "days", "from 1 to 366"),
    ({"days": 30}, "days", "Only “First days of the school year” uses"),
    ({"period": PeriodKind.BEFORE_DATE}, "before", "needs a month and a day"),
    ({"period": PeriodKind.BEFORE_DATE, "before": (2, 30)}, "before", "2-30 is not a date"),
    ({"period": PeriodKind.BEFORE_DATE, "before": (13, 1)}, "before", "13-1 is not a date"),
    ({"before": (12, 31)}, "before", "Only “Before a date” uses"),
    ({"code": "two words"}, "code", "without spaces"),
    ({"label_en": " ", "label_zh": ""}, "label", "name in English or Chinese"),
])
def test_requirement_rules_name_the_field(fields: dict[str, object], field: str,
                                          message: str) -> None:
    values: dict[str, object] = {
        "code": "r", "label_en": "R", "label_zh": "", "kinds": EVACUATION, "count": 1,
        "period": PeriodKind.MONTH}
    values.update(fields)
    with pytest.raises(ValidationError, match=message) as caught:
        Requirement(**values)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_profile_rules() -> None:
    with pytest.raises(ValidationError, match="code “r”") as caught:
        profile(requirement(), requirement(PeriodKind.TERM))
    assert caught.value.field == "requirements"
    with pytest.raises(ValidationError) as caught:
        Profile("p", "", "", "", "", ())
    assert caught.value.field == "name"


def test_labels_follow_the_language() -> None:
    monthly = requirement(code="monthly")
    first_30 = requirement(PeriodKind.FIRST_DAYS, days=30, code="first")
    by_new_year = requirement(PeriodKind.BEFORE_DATE, before=(12, 31), code="ny")
    quarterly = requirement(PeriodKind.QUARTER, code="q")
    test_profile = Profile("p", "Profile", "方案", "About", "说明",
                           (monthly, first_30, by_new_year, quarterly))
    assert (test_profile.name(), test_profile.description(), monthly.label()) == (
        "Profile", "About", "monthly (en)")
    assert status_label(Status.MISSED) == "Missed"
    i18n.set_language("zh_CN")
    assert (test_profile.name(), test_profile.description(), monthly.label()) == (
        "方案", "说明", "monthly（中）")
    assert status_label(Status.MET) == "已完成"
    report = evaluate(test_profile, cn_calendar(), [], [], D("2026-09-01"))
    labels = [p.label for p in report.periods]
    assert labels[0] == "2026年9月"
    assert "开学后30天内" in labels
    assert "2026年12月31日前" in labels
    assert "2026年第3季度" in labels
    # A name given in one language only shows in both.
    assert Profile("p", "Only English", "", "", "", ()).name() == "Only English"


def test_describe_requirement() -> None:
    assert describe_requirement(requirement(kinds=frozenset({FIRE}))) == (
        "At least 1 drill in each month in session: Fire drill")
    assert describe_requirement(requirement(
        PeriodKind.FIRST_DAYS, count=2, days=30,
        kinds=frozenset({EventKind.DRILL_OTHER, FIRE}))) == (
        "At least 2 drills within the first 30 days of the school year: Fire drill, "
        "Other drill")
    assert describe_requirement(requirement(PeriodKind.BEFORE_DATE, count=8, before=(12, 31),
                                            kinds=frozenset({EventKind.LOCKDOWN}))) == (
        "At least 8 drills in the school year by 12/31: Lockdown drill")


def test_a_year_without_terms_is_in_session_throughout_beside_years_with_terms() -> None:
    # The summer school year has no terms: its months count on weekdays and closures alone.
    # July 2027 is wholly closed, so only August is required.
    summer = SchoolYear("Summer 2027", D("2027-07-01"), D("2027-08-31"))
    base = cn_calendar()
    calendar = SchoolCalendar(years=(*base.years, summer), entries=(
        *base.entries, CalendarDay(DayKind.CLOSURE, D("2027-07-01"), D("2027-07-31"))))
    report = evaluate(profile(requirement(), requirement(PeriodKind.TERM, code="t")),
                      calendar, [], [], D("2027-07-10"))
    assert [(p.label, p.start, p.end) for p in report.periods] == [
        ("2027-08", D("2027-08-01"), D("2027-08-31")),
        ("Summer 2027", D("2027-07-01"), D("2027-08-31")),
    ]
    assert report.periods[0].school_days_left == 22  # August 2027 has 22 weekdays


def test_a_school_year_passed_in_need_not_be_in_the_calendar() -> None:
    # The calendar knows no years; the given one's terms and the calendar's holidays count.
    calendar = SchoolCalendar(entries=cn_calendar().entries)
    report = evaluate(profile(requirement()), calendar, [], [], D("2026-09-01"),
                      school_year=CN_YEAR)
    assert len(report.periods) == 9  # the winter-break February is still left out
    first_30 = evaluate(profile(requirement(PeriodKind.FIRST_DAYS, days=30)), calendar, [],
                        [], D("2026-09-01"), school_year=CN_YEAR).periods[0]
    assert (first_30.start, first_30.end) == (D("2026-09-01"), D("2026-09-30"))


def test_requirements_built_from_form_values_stay_hashable() -> None:
    made = Requirement("r", "R", "", {EventKind.FIRE}, 1, PeriodKind.BEFORE_DATE,  # type: ignore[arg-type]
                       before=[12, 31])  # type: ignore[arg-type]
    assert (made.kinds, made.before) == (frozenset({EventKind.FIRE}), (12, 31))
    assert {made: 1}[made] == 1
