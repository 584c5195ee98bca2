"""The event dialog: presets, the preview of the next ten dates, inline errors and warnings."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from calendar_sample import TODAY, add_school_year, days_of, once, weekly
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from drillplanner import i18n
from drillplanner.domain import recurrence as rec
from drillplanner.domain.events import EventKind, Participants, Scope
from drillplanner.services import schedule
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.event_dialog import EventDialog


@pytest.fixture
def school_id(ctx: AppContext, sample: Sample) -> int:
    add_school_year(ctx.db, sample.school.id)
    return sample.school.id


def make(ctx: AppContext, school_id: int, qtbot: QtBot, **kwargs: object) -> EventDialog:
    dialog = EventDialog(ctx, school_id, today=TODAY, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    return dialog


def fill(dialog: EventDialog, title: str = "消防疏散演练",
         start: datetime = datetime(2026, 9, 7, 10, 0)) -> None:
    dialog.set_kind(EventKind.FIRE)
    dialog.set_title(title)
    dialog.set_start(start)
    dialog.set_duration(20)
    dialog.set_place("操场东侧")


def test_weekly_preset_saves_the_rule_and_previews_ten_dates(ctx: AppContext, school_id: int,
                                                            qtbot: QtBot) -> None:
    dialog = make(ctx, school_id, qtbot)
    fill(dialog)
    dialog.recurrence_editor.set_preset(rec.Preset.WEEKLY, weekdays=(0, 2))
    dialog.refresh_feedback()
    # Mondays and Wednesdays from 7 September 2026 (a Monday); 1-7 October is a holiday.
    expected = days_of([(9, 7), (9, 9), (9, 14), (9, 16), (9, 21), (9, 23), (9, 28), (9, 30),
                        (10, 12), (10, 14)])
    assert [start.date() for start in dialog.preview_starts()] == expected
    assert all(start.time() == time(10, 0) for start in dialog.preview_starts())
    assert dialog.feedback.preview_list.count() == 10
    assert "Monday" in dialog.feedback.rule_label.text()

    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.saved is not None
    stored = schedule.get_event(ctx.db, dialog.saved.id)
    assert stored.recurrence.rule == "FREQ=WEEKLY;BYDAY=MO,WE"
    assert stored.recurrence.school_days_only
    assert (stored.title, stored.place, stored.duration) == (
        "消防疏散演练", "操场东侧", timedelta(minutes=20))
    assert stored.assembly_area_id is not None


def test_preview_matches_the_schedule_service(ctx: AppContext, school_id: int,
                                              qtbot: QtBot) -> None:
    event = weekly(ctx.db, school_id, "Fire drill", datetime(2026, 9, 2, 9, 30), "WE,FR")
    dialog = make(ctx, school_id, qtbot, event=event)
    service = [o.start for o in schedule.occurrences(ctx.db, school_id, TODAY,
                                                     date(2027, 7, 15))
               if o.event_id == event.id][:10]
    assert len(service) == 10
    assert dialog.preview_starts() == service
    assert dialog.recurrence_editor.preset() is rec.Preset.WEEKLY
    assert dialog.recurrence_editor.weekdays() == (2, 4)


@pytest.mark.parametrize(("preset", "options", "first_dates"), [
    (rec.Preset.SCHOOL_DAYS, {}, [(9, 7), (9, 8), (9, 9), (9, 10), (9, 11), (9, 14)]),
    (rec.Preset.MONTHLY_NTH_WEEKDAY, {"nth": 2, "weekdays": (1,)},
     [(9, 8), (10, 13), (11, 10), (12, 8)]),
    (rec.Preset.MONTHLY_DATE, {"nth": 15}, [(9, 15), (10, 15), (12, 15)]),
], ids=["school-days", "second-tuesday", "15th"])
def test_presets_preview(ctx: AppContext, school_id: int, qtbot: QtBot, preset: rec.Preset,
                         options: dict[str, object], first_dates: list[tuple[int, int]]) -> None:
    dialog = make(ctx, school_id, qtbot)
    fill(dialog)
    dialog.recurrence_editor.set_preset(preset, **options)  # type: ignore[arg-type]
    dialog.refresh_feedback()
    starts = [start.date() for start in dialog.preview_starts()]
    assert starts[:len(first_dates)] == days_of(first_dates)[:len(starts)]
    # 15 November 2026 is a Sunday: "only on school days" leaves it out.
    if preset is rec.Preset.MONTHLY_DATE:
        assert date(2026, 11, 15) not in starts


def test_count_limits_the_series(ctx: AppContext, school_id: int, qtbot: QtBot) -> None:
    dialog = make(ctx, school_id, qtbot)
    fill(dialog)
    dialog.recurrence_editor.set_preset(rec.Preset.WEEKLY, weekdays=(4,))
    dialog.recurrence_editor.set_count(3)
    dialog.refresh_feedback()
    assert [s.date() for s in dialog.preview_starts()] == days_of([(9, 11), (9, 18), (9, 25)])
    assert dialog.feedback.preview_note.text() != ""


def test_invalid_rrule_is_shown_and_ok_refused(ctx: AppContext, school_id: int,
                                               qtbot: QtBot) -> None:
    dialog = make(ctx, school_id, qtbot)
    fill(dialog)
    dialog.recurrence_editor.set_preset(rec.Preset.CUSTOM, custom_rule="FREQ=WEEKLY;BYDAY=XX")
    # Live: the message appears while typing, before any OK.
    assert "BYDAY" in dialog.recurrence_editor.rule_error.text()
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "BYDAY" in dialog.error_text("rrule")
    assert dialog.preview_starts() == []
    assert schedule.list_events(ctx.db, school_id) == []

    dialog.recurrence_editor.custom_edit.setText("FREQ=WEEKLY;BYDAY=TH;COUNT=2")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [e.recurrence.rule for e in schedule.list_events(ctx.db, school_id)] == [
        "FREQ=WEEKLY;BYDAY=TH;COUNT=2"]


def test_empty_title_and_end_before_start_are_refused(ctx: AppContext, school_id: int,
                                                      qtbot: QtBot) -> None:
    dialog = make(ctx, school_id, qtbot)
    fill(dialog, title="  ")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_text("title") != ""

    dialog.set_title("Evacuation")
    dialog.set_end_time(time(9, 0))
    assert dialog.error_text("end") != ""
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_text("end") != ""
    assert schedule.list_events(ctx.db, school_id) == []

    dialog.set_end_time(time(10, 45))
    assert dialog.duration_spin.value() == 45
    assert dialog.error_text("end") == ""


def test_rule_outside_the_school_calendar_is_refused(ctx: AppContext, school_id: int,
                                                     qtbot: QtBot) -> None:
    dialog = make(ctx, school_id, qtbot)
    fill(dialog, start=datetime(2026, 8, 3, 10, 0))  # summer holidays, before the year
    dialog.recurrence_editor.set_preset(rec.Preset.WEEKLY, weekdays=(0,))
    dialog.recurrence_editor.set_until(date(2026, 8, 24))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "term" in dialog.error_text("rrule")
    assert schedule.list_events(ctx.db, school_id) == []


def test_conflict_at_the_same_place_is_a_warning_only(ctx: AppContext, school_id: int,
                                                      sample: Sample, qtbot: QtBot) -> None:
    once(ctx.db, school_id, "灭火器使用培训", datetime(2026, 9, 9, 10, 0), minutes=40,
         participants=Participants(Scope.CLASSES, class_ids=frozenset({sample.class_2.id})))
    dialog = make(ctx, school_id, qtbot)
    fill(dialog, start=datetime(2026, 9, 9, 10, 15))
    dialog.participants_box.set_participants(
        Participants(Scope.CLASSES, class_ids=frozenset({sample.class_1.id})))
    dialog.refresh_feedback()
    messages = dialog.conflict_messages()
    assert len(messages) == 1
    assert "灭火器使用培训" in messages[0]
    assert "操场东侧" in messages[0]
    assert dialog.feedback.conflicts_frame.isVisibleTo(dialog)

    dialog.set_place("礼堂")
    dialog.refresh_feedback()
    assert dialog.conflict_messages() == []
    assert not dialog.feedback.conflicts_frame.isVisibleTo(dialog)

    dialog.set_place("操场东侧")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(schedule.list_events(ctx.db, school_id)) == 2


def test_participants_organizer_and_unannounced(ctx: AppContext, school_id: int,
                                                sample: Sample, qtbot: QtBot) -> None:
    dialog = make(ctx, school_id, qtbot)
    fill(dialog)
    box = dialog.participants_box
    box.classes_radio.setChecked(True)
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error_text("participants") != ""

    box.classes_list.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.set_organizer(dialog.staff[0].id)
    dialog.announced_check.setChecked(False)
    dialog.accept()
    assert dialog.saved is not None
    stored = schedule.get_event(ctx.db, dialog.saved.id)
    assert stored.participants.scope is Scope.CLASSES
    assert stored.participants.class_ids == {sample.class_1.id}
    assert stored.organizer_id == dialog.staff[0].id
    assert not stored.announced


def test_editing_shows_the_stored_event(ctx: AppContext, school_id: int, qtbot: QtBot) -> None:
    event = weekly(ctx.db, school_id, "Lockdown", datetime(2026, 9, 8, 14, 0), "TU",
                   kind=EventKind.LOCKDOWN)
    dialog = make(ctx, school_id, qtbot, event=event)
    assert dialog.title_edit.text() == "Lockdown"
    assert dialog.kind_combo.currentData() == EventKind.LOCKDOWN.value
    assert dialog.windowTitle() == "Edit Event"
    assert dialog.recurrence_editor.until() == date(2026, 12, 31)
    dialog.set_title("Lockdown drill")
    dialog.accept()
    assert schedule.get_event(ctx.db, event.id).title == "Lockdown drill"
    assert len(schedule.list_events(ctx.db, school_id)) == 1


def test_controls_are_named_and_chinese_labels_are_used(ctx: AppContext, school_id: int,
                                                         qtbot: QtBot) -> None:
    dialog = make(ctx, school_id, qtbot)
    dialog.show()
    assert unnamed_controls(dialog) == []
    i18n.set_language("zh_CN")
    chinese = make(ctx, school_id, qtbot)
    assert chinese.windowTitle() == "新建活动"
    assert chinese.recurrence_editor.preset_combo.itemText(1) == "每个上学日"
