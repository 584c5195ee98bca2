"""Compliance through the service: a school's profile, planned drills from its schedule."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from drillplanner.domain.compliance import HeldDrill, ProfileFormatError, Status
from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.services import calendar, compliance, schedule, schools
from drillplanner.storage.database import Database


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "郑家镇东小学").value
    calendar.add_school_year(db, school.id, "2026-2027", date(2026, 9, 1), date(2027, 8, 31),
                             [("第一学期", date(2026, 9, 1), date(2027, 1, 22)),
                              ("第二学期", date(2027, 2, 22), date(2027, 7, 9))])
    return school.id


def months(report: object, status: Status) -> list[str]:
    return [p.label for p in report.periods if p.status is status]  # type: ignore[attr-defined]


def test_held_planned_open_and_missed_months(db: Database, school_id: int) -> None:
    # A drill on the last Friday of each month, starting in November.
    schedule.add_event(db, Event(
        id=0, school_id=school_id, kind=EventKind.EARTHQUAKE, title="地震疏散演练",
        start=datetime(2026, 11, 27, 10), duration=timedelta(minutes=20),
        recurrence=Recurrence("FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270131T235959")))
    held = [HeldDrill(date(2026, 9, 18), EventKind.FIRE, "September drill")]
    report = compliance.evaluate_school(db, school_id, date(2026, 11, 10), held=held)
    assert report.profile.code == "cn_moe_2014"
    assert months(report, Status.MET) == ["2026-09"]
    assert months(report, Status.MISSED) == ["2026-10"]
    # November, December and January have a drill scheduled; later months have none.
    assert months(report, Status.PLANNED) == ["2026-11", "2026-12", "2027-01"]
    assert months(report, Status.OPEN) == ["2027-02", "2027-03", "2027-04", "2027-05",
                                           "2027-06", "2027-07"]
    november = next(p for p in report.periods if p.label == "2026-11")
    assert [p.day for p in november.planned] == [date(2026, 11, 27)]
    assert report.overall is Status.MISSED


def test_training_does_not_count_and_as_of_needs_a_school_year(db: Database,
                                                               school_id: int) -> None:
    schedule.add_event(db, Event(
        id=0, school_id=school_id, kind=EventKind.TRAINING, title="灭火器使用培训",
        start=datetime(2026, 9, 10, 14), duration=timedelta(hours=1)))
    report = compliance.evaluate_school(db, school_id, date(2026, 9, 5))
    september = next(p for p in report.periods if p.label == "2026-09")
    assert september.status is Status.OPEN and september.planned == ()
    with pytest.raises(ValidationError, match="school year") as caught:
        compliance.evaluate_school(db, school_id, date(2030, 1, 1))
    assert caught.value.field == "as_of"


def test_school_profile_choice_and_stored_profiles(db: Database, school_id: int) -> None:
    codes = {p.code for p in compliance.list_profiles(db)}
    assert {"cn_moe_2014", "nfpa_101_educational", "us_ca_elementary", "us_ny"} <= codes
    compliance.set_school_profile(db, school_id, "us_ny")
    assert schools.get_school(db, school_id).compliance_profile == "us_ny"
    with pytest.raises(NotFoundError, match="no_such"):
        compliance.set_school_profile(db, school_id, "no_such")
    with pytest.raises(NotFoundError):
        schools.update_school(db, school_id, {"compliance_profile": "no_such"})

    moe = compliance.get_profile(db, "cn_moe_2014")
    stricter = dataclasses.replace(moe, requirements=tuple(
        dataclasses.replace(r, count=2) for r in moe.requirements))
    compliance.save_profile(db, stricter)
    assert compliance.get_profile(db, "cn_moe_2014").requirements[0].count == 2
    report = compliance.evaluate_school(db, school_id, date(2026, 9, 30),
                                        profile_code="cn_moe_2014",
                                        held=[HeldDrill(date(2026, 9, 3), EventKind.FIRE)])
    assert report.periods[0].status is Status.OPEN and report.periods[0].still_needed == 1
    compliance.delete_profile(db, "cn_moe_2014")  # back to the built-in
    assert compliance.get_profile(db, "cn_moe_2014").requirements[0].count == 1
    with pytest.raises(NotFoundError):
        compliance.delete_profile(db, "cn_moe_2014")


def test_importing_a_malformed_profile_names_source_and_field(db: Database) -> None:
    with pytest.raises(ProfileFormatError, match=r"mine\.json") as caught:
        compliance.import_profile(db, '{"schema": 1, "code": "x", "requirements": 3}',
                                  "mine.json")
    assert "requirements" in str(caught.value) or "name" in str(caught.value)
    assert {p.code for p in compliance.list_profiles(db)} == {
        "cn_moe_2014", "nfpa_101_educational", "us_ca_elementary", "us_ny"}


def test_held_drills_parse_from_text() -> None:
    held = compliance.held_from_text(["2026-11-09:fire", "2026-11-20:earthquake"])
    assert [(h.day, h.kind) for h in held] == [(date(2026, 11, 9), EventKind.FIRE),
                                               (date(2026, 11, 20), EventKind.EARTHQUAKE)]
    with pytest.raises(ValidationError, match="DATE:KIND"):
        compliance.held_from_text(["2026-13-01:fire"])
    with pytest.raises(ValidationError, match="DATE:KIND"):
        compliance.held_from_text(["2026-11-01:picnic"])
