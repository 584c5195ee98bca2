"""Descriptions of recurrences in English and Simplified Chinese."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from recurrence_helpers import AUTUMN, SPRING

from drillplanner import i18n
from drillplanner.domain.events import Recurrence
from drillplanner.domain.recurrence import Preset, build_recurrence, describe

START = datetime(2026, 11, 9, 10, 0)  # Monday 9 November 2026, the second Monday
SECOND_TUESDAY = datetime(2026, 9, 8, 10, 0)
THE_15TH = datetime(2026, 9, 15, 10, 0)

CASES = [
    # (recurrence, start, English, Chinese)
    (build_recurrence(Preset.ONCE, START), START,
     "once on November 9, 2026 at 10:00", "2026年11月9日 10:00（一次）"),
    (build_recurrence(Preset.SCHOOL_DAYS, START), START,
     "every school day at 10:00", "每个上学日 10:00"),
    (build_recurrence(Preset.WEEKLY, START, weekdays=(0, 2)), START,
     "weekly on Monday and Wednesday at 10:00", "每周一、周三 10:00"),
    (build_recurrence(Preset.WEEKLY, START, weekdays=(0, 2, 4)), START,
     "weekly on Monday, Wednesday and Friday at 10:00", "每周一、周三、周五 10:00"),
    (build_recurrence(Preset.MONTHLY_NTH_WEEKDAY, SECOND_TUESDAY), SECOND_TUESDAY,
     "monthly on the second Tuesday at 10:00", "每月第二个周二 10:00"),
    (build_recurrence(Preset.MONTHLY_NTH_WEEKDAY, START, weekdays=(4,), nth=-1), START,
     "monthly on the last Friday at 10:00", "每月最后一个周五 10:00"),
    (build_recurrence(Preset.MONTHLY_DATE, THE_15TH), THE_15TH,
     "monthly on the 15th at 10:00", "每月15日 10:00"),
    (build_recurrence(Preset.MONTHLY_DATE, START, nth=1), START,
     "monthly on the 1st at 10:00", "每月1日 10:00"),
    (build_recurrence(Preset.MONTHLY_DATE, START, nth=22), START,
     "monthly on the 22nd at 10:00", "每月22日 10:00"),
    (build_recurrence(Preset.MONTHLY_DATE, START, nth=13), START,
     "monthly on the 13th at 10:00", "每月13日 10:00"),
    (build_recurrence(Preset.MONTHLY_DATE, START, nth=-1), START,
     "monthly on the last day at 10:00", "每月最后一天 10:00"),
    (build_recurrence(Preset.ONCE_PER_TERM, SECOND_TUESDAY, terms=(AUTUMN, SPRING)),
     SECOND_TUESDAY, "once per term", "每学期一次"),
    (Recurrence(rule="FREQ=DAILY;COUNT=10"), START,
     "daily at 10:00, 10 times", "每天 10:00，共 10 次"),
    (build_recurrence(Preset.WEEKLY, START, until=date(2027, 1, 15)), START,
     "weekly on Monday at 10:00, until January 15, 2027", "每周一 10:00，至 2027年1月15日"),
    (build_recurrence(Preset.WEEKLY, START, count=1), START,
     "weekly on Monday at 10:00, 1 time", "每周一 10:00，共 1 次"),
    (build_recurrence(Preset.WEEKLY, START, school_days_only=True), START,
     "weekly on Monday at 10:00, school days only", "每周一 10:00，仅限上学日"),
    (Recurrence(rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR"), START,
     "every 2 weeks on Monday and Friday at 10:00", "每 2 周的周一、周五 10:00"),
    (Recurrence(rule="FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU"), START,
     "every 3 months on the second Tuesday at 10:00", "每 3 个月的第二个周二 10:00"),
    (Recurrence(rule="FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1"), START,
     "yearly in March and September on the 1st at 10:00", "每年3月、9月的1日 10:00"),
    (Recurrence(rule="FREQ=YEARLY"), START,
     "yearly in November on the 9th at 10:00", "每年11月的9日 10:00"),
    (Recurrence(rule="FREQ=WEEKLY;INTERVAL=2"), START,
     "every 2 weeks on Monday at 10:00", "每 2 周的周一 10:00"),
    (Recurrence(rule="FREQ=DAILY;BYHOUR=9,14;BYMINUTE=30"), START,
     "daily at 09:30 and 14:30", "每天 09:30、14:30"),
    (Recurrence(rule="FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1"), START,
     "monthly on Tuesday at 10:00 (BYSETPOS=-1)", "每月的周二 10:00（BYSETPOS=-1）"),
    (Recurrence(rule="FREQ=WEEKLY;BYDAY=MO", exdates=(datetime(2026, 11, 16, 10, 0),)), START,
     "weekly on Monday at 10:00, except 1 date", "每周一 10:00，除去 1 个日期"),
    (Recurrence(rule="FREQ=WEEKLY;BYDAY=MO", rdates=(datetime(2026, 11, 18, 10, 0),
                                                     datetime(2026, 11, 19, 10, 0))), START,
     "weekly on Monday at 10:00, plus 2 more dates", "每周一 10:00，另加 2 个日期"),
]


@pytest.mark.parametrize(("recurrence", "start", "english", "chinese"), CASES)
def test_descriptions_in_both_languages(recurrence: Recurrence, start: datetime, english: str,
                                        chinese: str) -> None:
    assert describe(recurrence, start) == english
    i18n.set_language("zh_CN")
    assert describe(recurrence, start) == chinese


def test_duration_shows_a_time_range() -> None:
    recurrence = build_recurrence(Preset.SCHOOL_DAYS, START)
    assert describe(recurrence, START, timedelta(minutes=20)) == (
        "every school day at 10:00–10:20")
    i18n.set_language("zh_CN")
    assert describe(recurrence, START, timedelta(minutes=20)) == "每个上学日 10:00–10:20"


def test_a_two_day_event() -> None:
    text = describe(Recurrence(), datetime(2026, 11, 9, 8, 0), timedelta(days=2))
    assert text == "once on November 9, 2026 at 08:00 for 2 days"
    i18n.set_language("zh_CN")
    assert describe(Recurrence(), datetime(2026, 11, 9, 8, 0), timedelta(days=2)) == (
        "2026年11月9日 08:00，持续 2 天（一次）")


def test_a_broken_stored_rule_is_shown_as_it_is() -> None:
    assert describe(Recurrence(rule="FREQ=FORTNIGHTLY"), START) == "FREQ=FORTNIGHTLY"


def test_every_preset_has_a_translated_description() -> None:
    built = {preset: build_recurrence(preset, SECOND_TUESDAY, terms=(AUTUMN, SPRING),
                                      custom_rule="FREQ=WEEKLY;INTERVAL=3")
             for preset in Preset}
    english = {preset: describe(r, SECOND_TUESDAY) for preset, r in built.items()}
    i18n.set_language("zh_CN")
    chinese = {preset: describe(r, SECOND_TUESDAY) for preset, r in built.items()}
    for preset in Preset:
        assert english[preset] != chinese[preset], preset
        assert not any("a" <= ch <= "z" for ch in chinese[preset]), chinese[preset]
