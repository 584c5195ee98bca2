"""The built-in profiles (shipped JSON) judged on hand-made calendars.

Dates, day counts and statuses are worked out by hand from compliance_calendars.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from compliance_calendars import D, cn_calendar, held, planned, us_calendar

from drillplanner.domain.compliance import (
    ComplianceReport,
    HeldDrill,
    PeriodResult,
    PlannedDrill,
    Status,
    evaluate,
)
from drillplanner.domain.events import EventKind
from drillplanner.domain.school_calendar import SchoolCalendar
from drillplanner.io.compliance_profiles import builtin_profile

FIRE = EventKind.FIRE
EARTHQUAKE = EventKind.EARTHQUAKE
LOCKDOWN = EventKind.LOCKDOWN
SHELTER = EventKind.SHELTER
OTHER_DRILL = EventKind.DRILL_OTHER

CN_MONTHS = ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01",
             "2027-03", "2027-04", "2027-05", "2027-06"]
US_MONTHS = ["2026-09", "2026-10", "2026-11", "2026-12", "2027-01",
             "2027-02", "2027-03", "2027-04", "2027-05", "2027-06"]


def run(code: str, calendar: SchoolCalendar, as_of: str, drills: Sequence[HeldDrill] = (),
        plans: Sequence[PlannedDrill] = ()) -> ComplianceReport:
    return evaluate(builtin_profile(code), calendar, drills, plans, D(as_of))


def periods_of(report: ComplianceReport, requirement: str) -> dict[str, PeriodResult]:
    wanted = report.profile.requirement(requirement)
    return {p.label: p for p in report.by_requirement()[wanted]}


def one(report: ComplianceReport, requirement: str) -> PeriodResult:
    (result,) = periods_of(report, requirement).values()
    return result


# China, MoE 2014: one evacuation drill every month of term.

def test_cn_every_month_of_term_except_the_winter_break() -> None:
    drills = held(FIRE, *(f"{month}-15" for month in CN_MONTHS))
    report = run("cn_moe_2014", cn_calendar(), "2027-06-30", drills)
    months = periods_of(report, "monthly_evacuation")
    assert list(months) == CN_MONTHS
    assert {p.status for p in months.values()} == {Status.MET}
    assert report.overall is Status.MET


def test_cn_counts_earthquake_and_other_evacuation_drills_but_not_lockdown() -> None:
    drills = (held(EARTHQUAKE, "2026-09-18") + held(OTHER_DRILL, "2026-10-12")
              + held(LOCKDOWN, "2026-11-05") + held(SHELTER, "2026-11-06")
              + held(EventKind.TRAINING, "2026-11-09"))
    months = periods_of(run("cn_moe_2014", cn_calendar(), "2026-12-01", drills),
                        "monthly_evacuation")
    assert [months[m].status for m in CN_MONTHS[:4]] == [
        Status.MET, Status.MET, Status.MISSED, Status.OPEN]
    assert months["2026-11"].still_needed == 1
    assert (months["2026-12"].days_left, months["2026-12"].school_days_left) == (31, 23)


def test_cn_in_the_winter_break_january_is_judged_and_march_is_next() -> None:
    report = run("cn_moe_2014", cn_calendar(), "2027-02-10", held(FIRE, "2027-01-08"))
    months = periods_of(report, "monthly_evacuation")
    assert months["2027-01"].status is Status.MET
    assert "2027-02" not in months
    march = months["2027-03"]
    # 10-28 February (19 days) + 31 days of March; March 2027 has 23 weekdays.
    assert (march.status, march.days_left, march.school_days_left) == (Status.OPEN, 50, 23)
    assert report.open_items()[0] is march


# NFPA 101: one egress drill every month in session, plus one in the first 30 days.

def test_nfpa_first_30_days_run_from_the_first_school_day() -> None:
    calendar = us_calendar()
    met = run("nfpa_101_educational", calendar, "2026-10-20",
              held(FIRE, "2026-09-10") + held(OTHER_DRILL, "2026-10-07"))
    first = one(met, "first_30_days")
    assert (first.start, first.end, first.status) == (D("2026-09-08"), D("2026-10-07"),
                                                      Status.MET)
    months = periods_of(met, "monthly_egress")
    assert (months["2026-09"].status, months["2026-10"].status) == (Status.MET, Status.MET)

    day_31 = run("nfpa_101_educational", calendar, "2026-10-20",
                 held(FIRE, "2026-09-10", "2026-10-08"))
    assert (one(day_31, "first_30_days").status, one(day_31, "first_30_days").still_needed
            ) == (Status.MISSED, 1)
    assert periods_of(day_31, "monthly_egress")["2026-10"].status is Status.MET


def test_nfpa_a_drill_before_the_first_school_day_counts_for_its_month_only() -> None:
    report = run("nfpa_101_educational", us_calendar(), "2026-10-20",
                 held(FIRE, "2026-09-03", "2026-09-22"))
    assert periods_of(report, "monthly_egress")["2026-09"].held[0].day == D("2026-09-03")
    first = one(report, "first_30_days")
    assert [d.day for d in first.held] == [D("2026-09-22")]
    assert first.status is Status.MISSED


def test_nfpa_earthquake_drills_are_not_egress_drills() -> None:
    report = run("nfpa_101_educational", us_calendar(), "2026-10-20",
                 held(FIRE, "2026-09-10") + held(EARTHQUAKE, "2026-09-15"))
    assert one(report, "first_30_days").status is Status.MISSED


def test_nfpa_first_30_days_open_then_planned() -> None:
    calendar = us_calendar()
    drills = held(FIRE, "2026-09-10")
    open_now = one(run("nfpa_101_educational", calendar, "2026-09-20", drills,
                       planned(FIRE, "2026-10-09")), "first_30_days")
    # 20-30 September (11 days) + 1-7 October (7); school days: 21-25 Sep, 28 Sep - 2 Oct,
    # 5-7 Oct.
    assert (open_now.status, open_now.still_needed, open_now.days_left,
            open_now.school_days_left) == (Status.OPEN, 1, 18, 13)
    planned_now = one(run("nfpa_101_educational", calendar, "2026-09-20", drills,
                          planned(OTHER_DRILL, "2026-10-02")), "first_30_days")
    assert planned_now.status is Status.PLANNED


def test_nfpa_every_month_in_session_including_the_month_two_terms_share() -> None:
    report = run("nfpa_101_educational", us_calendar(), "2026-09-08")
    assert list(periods_of(report, "monthly_egress")) == US_MONTHS


# California elementary: fire drill monthly, earthquake drill every quarter.

def test_ca_fire_monthly_and_earthquake_each_quarter() -> None:
    drills = held(FIRE, "2026-09-15", "2026-10-15") + held(EARTHQUAKE, "2026-10-20")
    report = run("us_ca_elementary", us_calendar(), "2026-10-21", drills)
    quarters = periods_of(report, "quarterly_earthquake")
    assert list(quarters) == ["Q3 2026", "Q4 2026", "Q1 2027", "Q2 2027"]
    assert [q.status for q in quarters.values()] == [
        Status.MISSED, Status.MET, Status.OPEN, Status.OPEN]
    months = periods_of(report, "monthly_fire")
    assert list(months) == US_MONTHS
    assert (months["2026-09"].status, months["2026-10"].status) == (Status.MET, Status.MET)
    # The earthquake drill is not a fire drill.
    assert [d.kind for d in months["2026-10"].held] == [FIRE]


def test_ca_last_quarter_counts_to_june_30_with_school_until_june_25() -> None:
    report = run("us_ca_elementary", us_calendar(), "2027-06-01")
    last = periods_of(report, "quarterly_earthquake")["Q2 2027"]
    # 1-30 June; weekdays 1-4, 7-11, 14-18, 21-25 June.
    assert (last.start, last.end, last.days_left, last.school_days_left) == (
        D("2027-04-01"), D("2027-06-30"), 30, 19)


# New York: 8 evacuation + 4 lockdown drills a year, 8 of them by 31 December.

def test_ny_eight_by_december_31() -> None:
    drills = (held(FIRE, "2026-09-09", "2026-09-23", "2026-10-07", "2026-10-21",
                   "2026-11-04") + held(LOCKDOWN, "2026-11-18", "2026-12-09", "2027-01-05"))
    report = run("us_ny", us_calendar(), "2027-01-10", drills)
    by_dec_31 = one(report, "by_december_31")
    assert (by_dec_31.start, by_dec_31.end) == (D("2026-09-01"), D("2026-12-31"))
    assert (by_dec_31.status, len(by_dec_31.held), by_dec_31.still_needed) == (
        Status.MISSED, 7, 1)
    assert one(report, "lockdown").held[-1].day == D("2027-01-05")


def test_ny_shelter_and_earthquake_drills_are_not_among_the_twelve() -> None:
    drills = (held(FIRE, "2026-09-09", "2026-09-23", "2026-10-07", "2026-10-21",
                   "2026-11-04", "2026-11-18") + held(SHELTER, "2026-12-02")
              + held(EARTHQUAKE, "2026-12-09"))
    report = run("us_ny", us_calendar(), "2027-01-04", drills)
    assert (one(report, "by_december_31").status,
            one(report, "by_december_31").still_needed) == (Status.MISSED, 2)
    assert one(report, "evacuation").still_needed == 2


def test_ny_in_november_with_drills_planned() -> None:
    drills = held(FIRE, "2026-09-09", "2026-09-23", "2026-10-07", "2026-10-21")
    plans = (planned(LOCKDOWN, "2026-11-10", "2026-11-24", "2026-12-08")
             + planned(FIRE, "2026-12-15"))
    report = run("us_ny", us_calendar(), "2026-11-01", drills, plans)
    assert one(report, "by_december_31").status is Status.PLANNED
    evacuation = one(report, "evacuation")
    # 1 November 2026 to 30 June 2027: 30+31+31+28+31+30+31+30 days.
    assert (evacuation.status, evacuation.still_needed, evacuation.to_schedule,
            evacuation.days_left) == (Status.OPEN, 4, 3, 242)
    assert one(report, "lockdown").status is Status.OPEN  # 3 planned of 4
    assert [p.requirement.code for p in report.open_items()] == [
        "by_december_31", "evacuation", "lockdown"]


def test_ny_a_full_year() -> None:
    fall = held(FIRE, "2026-09-09", "2026-09-23", "2026-10-07", "2026-10-21", "2026-11-04",
                "2026-11-18") + held(LOCKDOWN, "2026-12-02", "2026-12-16")
    spring = held(OTHER_DRILL, "2027-03-10", "2027-04-14") + held(
        LOCKDOWN, "2027-02-03", "2027-05-12")
    report = run("us_ny", us_calendar(), "2027-06-30", fall + spring)
    assert [p.status for p in report.periods] == [Status.MET] * 3
    assert report.open_items() == ()


def test_every_built_in_profile_reports_in_both_calendars() -> None:
    for code in ("cn_moe_2014", "nfpa_101_educational", "us_ca_elementary", "us_ny"):
        for calendar in (cn_calendar(), us_calendar()):
            report = run(code, calendar, "2026-09-01")
            assert report.periods
            assert all(isinstance(p.start, date) and p.start <= p.end for p in report.periods)
            assert report.overall is Status.OPEN
