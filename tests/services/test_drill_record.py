"""The drill record's life cycle through the services: the all clear with what was still
open, a notification left blank until recorded, corrections after the all clear, sign-off,
and amendments after it (with the audit log and the report's data)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from drillplanner.domain.drill_runs import (
    Notification,
    RecordStage,
    RunDetails,
    RunStatus,
    check_reason,
    edit_kind,
)
from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.domain.headcount import Stage
from drillplanner.domain.report_data import RecordChange, RecordField
from drillplanner.services import (
    audit,
    classes,
    drills,
    facilities,
    headcounts,
    report_data,
    schools,
    staff,
)
from drillplanner.storage.database import Database

ALARM = datetime(2026, 11, 9, 10, 0)


@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "高马小学", evacuation_target_seconds=150).value
    facilities.add_building(db, school.id, "教学楼", 2)
    grade = classes.add_grade(db, school.id, "一年级").value
    for number, size in enumerate((30, 32, 28), start=1):
        classes.add_class(db, school.id, grade.id, f"{number}班", size)
    staff.add_staff(db, school.id, "陆秀兰")
    return school.id


def after(seconds: int) -> datetime:
    return ALARM + timedelta(seconds=seconds)


def started(db: Database, school_id: int) -> int:
    return drills.start_drill(db, school_id, kind=EventKind.FIRE, at=ALARM).value.id


def completed(db: Database, school_id: int) -> int:
    """Every class reported, everyone present; all clear 8 minutes after the alarm."""
    run_id = started(db, school_id)
    for info in headcounts.classes_in_run(db, run_id):
        headcounts.record_headcount(db, run_id, info.class_id, info.enrolled, at=after(90),
                                    by="班主任")
    drills.finish_drill(db, run_id, at=after(480))
    return run_id


def test_the_notification_is_blank_until_someone_records_it(db: Database,
                                                            school_id: int) -> None:
    run_id = started(db, school_id)
    assert drills.get_run(db, run_id).details.notification is None
    written = drills.update_details(db, run_id, RunDetails(conducted_by="李主任")).value
    assert written.details.notification is None
    rung = drills.update_details(db, run_id, RunDetails(
        conducted_by="李主任", notification=Notification.WHISTLE)).value
    assert rung.details.notification is Notification.WHISTLE
    # While the drill runs it can be cleared again without a reason.
    assert drills.update_details(db, run_id, RunDetails()).value.details.notification is None


def test_the_all_clear_keeps_what_was_still_open(db: Database, school_id: int) -> None:
    run_id = started(db, school_id)
    one, two, _three = headcounts.classes_in_run(db, run_id)
    headcounts.record_headcount(db, run_id, one.class_id, one.enrolled - 2, missing=2,
                                at=after(70))
    headcounts.record_headcount(db, run_id, two.class_id, two.enrolled, at=after(80))
    headcounts.resolve_missing(db, run_id, one.class_id, "卫生间", count=1, at=after(150))
    # Allowed (the people in charge decide), and on the record: one class had not
    # reported, one student was still missing.
    run = drills.finish_drill(db, run_id, at=after(300)).value
    assert run.status is RunStatus.COMPLETED
    assert (run.unreported_at_all_clear, run.missing_at_all_clear) == (1, 1)
    assert run.open_at_all_clear
    assert drills.get_run(db, run_id).missing_at_all_clear == 1

    whole = drills.get_run(db, completed(db, school_id))
    assert (whole.unreported_at_all_clear, whole.missing_at_all_clear) == (0, 0)
    assert not whole.open_at_all_clear


def test_after_the_all_clear_a_change_of_the_record_is_a_correction(
        db: Database, school_id: int) -> None:
    run_id = completed(db, school_id)
    run = drills.get_run(db, run_id)
    assert run.stage is RecordStage.COMPLETED
    # Writing up what was left blank is still the write-up, not a correction.
    first = RunDetails(conducted_by="李主任", weather="晴")
    assert drills.update_details(db, run_id, first).value.details == first
    # Changing what was written is a correction: refused without a reason …
    changed = RunDetails(conducted_by="王主任", weather="晴")
    with pytest.raises(ValidationError) as refused:
        drills.update_details(db, run_id, changed)
    assert refused.value.field == "reason" and "correction" in str(refused.value)
    assert drills.get_run(db, run_id).details == first
    # … and stored with its reason, which the audit log keeps with the change.
    assert drills.update_details(db, run_id, changed, reason=" 记错了组织人 ").value.details \
        == changed
    entry = next(e for e in audit.list_entries(db, run_id=run_id, entity="drill_runs")
                 if e.reason)
    assert entry.reason == "记错了组织人"
    assert (entry.old_values(), entry.new_values()) == ({"conducted_by": "李主任"},
                                                       {"conducted_by": "王主任"})
    # Saving the record unchanged needs nothing.
    drills.update_details(db, run_id, changed)


def test_only_a_completed_drill_is_signed_and_then_locked(db: Database,
                                                          school_id: int) -> None:
    running = started(db, school_id)
    with pytest.raises(ConflictError, match="Only a completed drill"):
        drills.sign_drill(db, running, "陆秀兰")
    drills.cancel_drill(db, running, "下雨")
    with pytest.raises(ConflictError, match="cancelled"):
        drills.sign_drill(db, running, "陆秀兰")

    run_id = completed(db, school_id)
    with pytest.raises(ValidationError):
        drills.sign_drill(db, run_id, "  ")
    signed = drills.sign_drill(db, run_id, " 陆秀兰 ").value
    assert (signed.signed_by, signed.stage) == ("陆秀兰", RecordStage.SIGNED)
    assert signed.signed_at is not None and signed.signed_at.utcoffset() == timedelta(hours=8)
    with pytest.raises(ConflictError, match="already signed off by 陆秀兰"):
        drills.sign_drill(db, run_id, "李主任")

    # Locked: every change is an amendment, even filling in a blank.
    post = drills.list_posts(db, run_id)[0]
    refusals = [
        lambda: drills.update_details(db, run_id, RunDetails(weather="晴")),
        lambda: drills.add_post(db, run_id, "东楼梯口"),
        lambda: drills.assign_post(db, post.id, "赵老师"),
        lambda: drills.clear_floor(db, post.id, at=after(100)),
        lambda: drills.add_action(db, run_id, "增派引导教师"),
    ]
    for attempt in refusals:
        with pytest.raises(ValidationError) as refused:
            attempt()
        assert refused.value.field == "reason"
        assert "signed off by 陆秀兰" in str(refused.value)
    assert drills.get_run(db, run_id).details == RunDetails()
    assert drills.list_posts(db, run_id)[0] == post

    # With a reason each is an amendment.
    amended = drills.update_details(db, run_id, RunDetails(weather="晴"),
                                    reason="补记天气").value
    assert amended.details.weather == "晴" and amended.signed_by == "陆秀兰"
    assert drills.assign_post(db, post.id, "赵老师", reason="补记岗位").value.staff_name == "赵老师"
    action = drills.add_action(db, run_id, "增派引导教师", reason="校务会决定").value
    # Following up a corrective action is not a change of what happened.
    assert drills.set_action_done(db, action.id).value.done


def test_a_reason_before_the_all_clear_is_not_kept(db: Database, school_id: int) -> None:
    run_id = started(db, school_id)
    drills.update_details(db, run_id, RunDetails(conducted_by="李主任"), reason="随手写的")
    drills.finish_drill(db, run_id, at=after(300))
    assert not any(e.reason for e in audit.list_entries(db, run_id=run_id))
    assert report_data.drill_data(db, run_id).corrections == ()


def test_the_rules_of_the_life_cycle(db: Database, school_id: int) -> None:
    run = drills.get_run(db, started(db, school_id))
    assert run.stage is RecordStage.RUNNING
    assert edit_kind(run).value == "entry"
    assert check_reason(run, "")[1] == ""
    drills.cancel_drill(db, run.id, "下雨")
    done = drills.get_run(db, completed(db, school_id))
    assert edit_kind(done, changes_recorded=False).value == "entry"
    assert edit_kind(done).value == "correction"
    signed = drills.sign_drill(db, done.id, "陆秀兰").value
    assert edit_kind(signed, changes_recorded=False).value == "amendment"


def test_the_report_data_lists_corrections_and_amendments(db: Database,
                                                          school_id: int) -> None:
    run_id = completed(db, school_id)
    one = headcounts.classes_in_run(db, run_id)[0]
    drills.update_details(db, run_id, RunDetails(conducted_by="李主任"))
    drills.update_details(db, run_id, RunDetails(conducted_by="王主任"), reason="记错了")
    headcounts.record_headcount(db, run_id, one.class_id, one.enrolled - 1, absent=1,
                                reason="一人病假", by="年级组长")
    data = report_data.drill_data(db, run_id)
    assert data.audit_hash is None  # not signed: no hash printed
    assert data.amendments == ()
    record = [c for c in data.corrections if isinstance(c, RecordChange)]
    assert [(c.field, c.old, c.new, c.reason) for c in record] == [
        (RecordField.CONDUCTED_BY, "李主任", "王主任", "记错了")]
    counts = [c for c in data.corrections if not isinstance(c, RecordChange)]
    assert [(c.class_name, c.reason, c.stage) for c in counts] == [
        (one.name, "一人病假", Stage.CORRECTION)]
    assert counts[0].new is not None and counts[0].new.absent == 1

    drills.sign_drill(db, run_id, "陆秀兰")
    drills.update_details(db, run_id, RunDetails(conducted_by="王主任",
                                                 notification=Notification.BELL),
                          reason="补记通知方式")
    post = drills.list_posts(db, run_id)[0]
    drills.clear_floor(db, post.id, by="赵老师", at=after(100), reason="补记")
    drills.add_action(db, run_id, "增派引导教师", reason="校务会决定")
    signed = report_data.drill_data(db, run_id)
    assert len(signed.corrections) == 2  # the sign-off moved nothing
    changes = [(c.field, c.old, c.new, c.subject) for c in signed.amendments
               if isinstance(c, RecordChange)]
    cleared_at = after(100).replace(tzinfo=signed.run.alarm_at.tzinfo)  # type: ignore[union-attr]
    assert changes == [
        (RecordField.NOTIFICATION, None, Notification.BELL, ""),
        (RecordField.POST_CLEARED_AT, None, cleared_at, post.post),
        (RecordField.POST_CLEARED_BY, None, "赵老师", post.post),
        (RecordField.ACTION_ADDED, None, "增派引导教师", "增派引导教师")]
    # The hash of the run's latest audit row, as the audit service gives it.
    assert signed.audit_hash == audit.latest_hash(db, run_id)
    assert signed.audit_hash is not None and len(signed.audit_hash) == 64
