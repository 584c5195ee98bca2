"""Conflict warnings: same place, same participants, drills on sports or exam days,
non-school days; and the clashes that are not."""

from __future__ import annotations

from datetime import datetime, timedelta

from recurrence_helpers import NEW_YORK, SHANGHAI, school_calendar

from drillplanner import i18n
from drillplanner.domain.conflicts import ConflictKind, find_conflicts, share_participants
from drillplanner.domain.events import EventKind, Occurrence, Participants, Scope
from drillplanner.domain.school_calendar import SchoolCalendar

CALENDAR = school_calendar()
# Classes 11, 12 are in grade 1; classes 21, 22 in grade 2.
GRADE_OF_CLASS = {11: 1, 12: 1, 21: 2, 22: 2}
SCHOOL = Participants()


def classes(*ids: int) -> Participants:
    return Participants(scope=Scope.CLASSES, class_ids=frozenset(ids))


def grades(*ids: int) -> Participants:
    return Participants(scope=Scope.GRADES, grade_ids=frozenset(ids))


def occ(event_id: int, start: str, minutes: int = 20, *, place: str = "",
        people: Participants = SCHOOL, kind: EventKind = EventKind.FIRE,
        title: str = "") -> Occurrence:
    begin = datetime.fromisoformat(start).replace(tzinfo=SHANGHAI)
    return Occurrence(event_id=event_id, kind=kind, title=title or f"Event {event_id}",
                      start=begin, end=begin + timedelta(minutes=minutes),
                      original_start=begin.replace(tzinfo=None), place=place,
                      participants=people)


def kinds(found: list) -> list[ConflictKind]:  # type: ignore[type-arg]
    return [conflict.kind for conflict in found]


def test_same_place_at_the_same_time() -> None:
    mine = occ(1, "2026-10-12 10:00", place="Sports Ground", people=classes(11))
    theirs = occ(2, "2026-10-12 10:10", place="  sports   ground ", people=classes(21),
                 kind=EventKind.OTHER, title="Tug-of-war practice")
    (conflict,) = find_conflicts([mine], [theirs], CALENDAR, GRADE_OF_CLASS)
    assert conflict.kind is ConflictKind.SAME_PLACE
    assert conflict.occurrence is mine and conflict.other is theirs
    assert "Tug-of-war practice" in conflict.message
    assert "10:10" in conflict.message


def test_back_to_back_events_do_not_clash() -> None:
    mine = occ(1, "2026-10-12 10:00", place="Hall")
    theirs = occ(2, "2026-10-12 10:20", place="Hall", kind=EventKind.TRAINING)
    before = occ(3, "2026-10-12 09:40", place="Hall", kind=EventKind.TRAINING)
    assert find_conflicts([mine], [theirs, before], CALENDAR, GRADE_OF_CLASS) == []


def test_different_places_and_disjoint_classes_do_not_clash() -> None:
    mine = occ(1, "2026-10-12 10:00", place="Hall", people=classes(11))
    theirs = occ(2, "2026-10-12 10:00", place="Library", people=classes(12, 21),
                 kind=EventKind.TRAINING)
    assert find_conflicts([mine], [theirs], CALENDAR, GRADE_OF_CLASS) == []


def test_no_place_is_not_the_same_place() -> None:
    mine = occ(1, "2026-10-12 10:00", people=classes(11))
    theirs = occ(2, "2026-10-12 10:00", people=classes(21), kind=EventKind.TRAINING)
    assert find_conflicts([mine], [theirs], CALENDAR, GRADE_OF_CLASS) == []


def test_same_participants_at_the_same_time() -> None:
    mine = occ(1, "2026-10-12 10:00", people=grades(1))
    theirs = occ(2, "2026-10-12 09:50", people=classes(12), kind=EventKind.TRAINING,
                 title="Extinguisher training")
    (conflict,) = find_conflicts([mine], [theirs], CALENDAR, GRADE_OF_CLASS)
    assert conflict.kind is ConflictKind.SAME_PARTICIPANTS
    assert "Extinguisher training" in conflict.message


def test_who_overlaps_whom() -> None:
    assert share_participants(SCHOOL, classes(22), GRADE_OF_CLASS)
    assert share_participants(grades(2), SCHOOL, GRADE_OF_CLASS)
    assert share_participants(grades(1, 2), grades(2), GRADE_OF_CLASS)
    assert not share_participants(grades(1), grades(2), GRADE_OF_CLASS)
    assert share_participants(classes(21), grades(2), GRADE_OF_CLASS)
    assert not share_participants(classes(11, 12), grades(2), GRADE_OF_CLASS)
    assert share_participants(classes(11, 21), classes(21), GRADE_OF_CLASS)
    assert not share_participants(classes(11), classes(12), GRADE_OF_CLASS)
    # A class whose grade is unknown overlaps no grade.
    assert not share_participants(classes(99), grades(1), GRADE_OF_CLASS)


def test_same_place_and_participants_give_both_warnings() -> None:
    mine = occ(1, "2026-10-12 10:00", place="Hall")
    theirs = occ(2, "2026-10-12 10:05", place="hall", kind=EventKind.OTHER)
    found = find_conflicts([mine], [theirs], CALENDAR, GRADE_OF_CLASS)
    assert kinds(found) == [ConflictKind.SAME_PLACE, ConflictKind.SAME_PARTICIPANTS]


def test_an_occurrence_is_not_compared_with_itself() -> None:
    mine = occ(1, "2026-10-12 10:00", place="Hall")
    assert find_conflicts([mine], [mine], CALENDAR, GRADE_OF_CLASS) == []
    # Another occurrence of the same event that overlaps is still a clash.
    again = occ(1, "2026-10-12 10:10", place="Hall")
    assert ConflictKind.SAME_PLACE in kinds(find_conflicts([mine], [again], CALENDAR,
                                                           GRADE_OF_CLASS))


def test_a_drill_on_the_day_of_a_sports_event() -> None:
    drill = occ(1, "2026-10-12 10:00", people=classes(11))
    meet = occ(2, "2026-10-12 14:00", 120, people=classes(21), kind=EventKind.SPORTS,
               title="Autumn sports meet")
    (conflict,) = find_conflicts([drill], [meet], CALENDAR, GRADE_OF_CLASS)
    assert conflict.kind is ConflictKind.DRILL_ON_SPORTS_OR_EXAM_DAY
    assert conflict.other is meet
    assert "Autumn sports meet" in conflict.message


def test_a_training_on_a_sports_day_is_fine() -> None:
    training = occ(1, "2026-10-12 10:00", people=classes(11), kind=EventKind.TRAINING)
    meet = occ(2, "2026-10-12 14:00", people=classes(21), kind=EventKind.SPORTS)
    assert find_conflicts([training], [meet], CALENDAR, GRADE_OF_CLASS) == []


def test_a_drill_on_an_exam_day_and_on_a_sports_day_of_the_calendar() -> None:
    exam = find_conflicts([occ(1, "2027-01-14 10:00")], [], CALENDAR, GRADE_OF_CLASS)
    assert kinds(exam) == [ConflictKind.DRILL_ON_SPORTS_OR_EXAM_DAY]
    assert exam[0].other is None
    assert "Final exams" in exam[0].message
    sports = find_conflicts([occ(1, "2026-10-23 10:00")], [], CALENDAR, GRADE_OF_CLASS)
    assert kinds(sports) == [ConflictKind.DRILL_ON_SPORTS_OR_EXAM_DAY]
    assert "Sports meet" in sports[0].message
    training = occ(1, "2027-01-14 10:00", kind=EventKind.TRAINING)
    assert find_conflicts([training], [], CALENDAR, GRADE_OF_CLASS) == []


def test_non_school_days() -> None:
    holiday = find_conflicts([occ(1, "2026-10-02 10:00")], [], CALENDAR, GRADE_OF_CLASS)
    assert kinds(holiday) == [ConflictKind.NON_SCHOOL_DAY]
    assert "National Day" in holiday[0].message
    saturday = find_conflicts([occ(1, "2026-10-17 10:00", kind=EventKind.SPORTS)], [],
                              CALENDAR, GRADE_OF_CLASS)
    assert kinds(saturday) == [ConflictKind.NON_SCHOOL_DAY]
    assert "weekend" in saturday[0].message
    summer = find_conflicts([occ(1, "2026-08-12 10:00")], [], CALENDAR, GRADE_OF_CLASS)
    assert "outside the school terms" in summer[0].message
    makeup_saturday = occ(1, "2026-10-10 10:00")
    assert find_conflicts([makeup_saturday], [], CALENDAR, GRADE_OF_CLASS) == []
    school_day = occ(1, "2026-10-12 10:00")
    assert find_conflicts([school_day], [], CALENDAR, GRADE_OF_CLASS) == []


def test_an_empty_calendar_still_has_weekends() -> None:
    empty = SchoolCalendar()
    assert kinds(find_conflicts([occ(1, "2026-10-17 10:00")], [], empty, {})) == [
        ConflictKind.NON_SCHOOL_DAY]
    assert find_conflicts([occ(1, "2026-10-16 10:00")], [], empty, {}) == []


def test_messages_follow_the_language() -> None:
    i18n.set_language("zh_CN")
    mine = occ(1, "2026-10-12 10:00", place="操场")
    theirs = occ(2, "2026-10-12 10:10", place="操场", people=classes(21),
                 kind=EventKind.SPORTS, title="拔河")
    found = find_conflicts([mine], [theirs], CALENDAR, GRADE_OF_CLASS)
    assert [c.message for c in found if c.kind is ConflictKind.SAME_PLACE] == [
        "与“拔河”（2026年10月12日 10:10–10:30）时间重叠，且地点相同（操场）。"]


def test_overlap_is_judged_on_instants_on_the_night_clocks_go_back() -> None:
    # 01:30 EDT for an hour ends at 01:30 EST; 01:10 EST (the second 01:10) lies inside.
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)
    mine = Occurrence(1, EventKind.FIRE, "Night drill", first,
                      datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK),
                      first.replace(tzinfo=None), place="Hall")
    second = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NEW_YORK)
    theirs = Occurrence(2, EventKind.TRAINING, "Night class", second,
                        datetime(2026, 11, 1, 1, 20, fold=1, tzinfo=NEW_YORK),
                        second.replace(tzinfo=None), place="Hall")
    assert theirs.start.astimezone(SHANGHAI) > mine.start.astimezone(SHANGHAI)
    found = find_conflicts([mine], [theirs], SchoolCalendar(), {})
    assert ConflictKind.SAME_PLACE in kinds(found)


def test_many_occurrences_are_checked_against_the_right_ones() -> None:
    # A daily drill for a year against a weekly sports item: the clashes are the days
    # both happen at the same place, found without comparing every pair.
    drills = [occ(1, f"{day:%Y-%m-%d} 10:00", place="Ground", people=classes(11))
              for day in (datetime(2026, 9, 1) + timedelta(days=n) for n in range(365))]
    sports = [occ(2, f"{day:%Y-%m-%d} 10:10", place="Ground", people=classes(21),
                  kind=EventKind.TRAINING)
              for day in (datetime(2026, 9, 7) + timedelta(weeks=n) for n in range(52))]
    found = [c for c in find_conflicts(drills, sports, SchoolCalendar(), GRADE_OF_CLASS)
             if c.kind is ConflictKind.SAME_PLACE]
    assert [c.occurrence.day for c in found] == [o.day for o in sports]
