"""Pure rules: class names, grade order, field validation, roles."""

from __future__ import annotations

import pytest

from drillplanner.domain import validation
from drillplanner.domain.changes import EVERYTHING, Changes, Kind
from drillplanner.domain.errors import ValidationError
from drillplanner.domain.roles import StaffRole, parse_roles
from drillplanner.domain.structure import class_full_name, grade_ordinal


@pytest.mark.parametrize(("grade", "name", "full"), [
    ("一年级", "2班", "一年级2班"),
    ("一年级", "一年级2班", "一年级2班"),
    ("Grade 1", " A", "Grade 1 A"),
])
def test_class_full_name(grade: str, name: str, full: str) -> None:
    assert class_full_name(grade, name) == full


@pytest.mark.parametrize(("name", "ordinal"), [
    ("一年级", 1), ("六年级", 6), ("Grade 3", 3), ("初二", 2), ("幼儿园", 0), ("12", 12)])
def test_grade_ordinal(name: str, ordinal: int) -> None:
    assert grade_ordinal(name) == ordinal


def test_whole_number_accepts_excel_style_values_and_names_the_field() -> None:
    assert validation.whole_number("enrolled", " 42 ") == 42
    assert validation.whole_number("enrolled", 42.0) == 42
    with pytest.raises(ValidationError, match=r"Enrolled must be a whole number, not “4\.5”"):
        validation.whole_number("enrolled", "4.5")
    with pytest.raises(ValidationError, match="at least 0, not -2"):
        validation.whole_number("enrolled", -2)
    with pytest.raises(ValidationError, match="at most 10"):
        validation.whole_number("enrolled", 11, maximum=10)
    assert validation.optional_whole_number("capacity", "  ") is None


def test_names_are_trimmed_and_required() -> None:
    assert validation.name("name", "  张丽 ") == "张丽"
    with pytest.raises(ValidationError, match="must not be empty"):
        validation.name("name", "   ")
    with pytest.raises(ValidationError, match="longer than 3"):
        validation.name("name", "一二三四", 3)


def test_timezone_and_country() -> None:
    assert validation.timezone("timezone", "America/New_York") == "America/New_York"
    with pytest.raises(ValidationError):
        validation.timezone("timezone", "Beijing")
    assert validation.country("country", "cn") == "CN"
    with pytest.raises(ValidationError):
        validation.country("country", "中国")


def test_roles_parse_with_chinese_comma() -> None:
    assert parse_roles("principal，commander") == {StaffRole.PRINCIPAL, StaffRole.COMMANDER}
    with pytest.raises(ValueError, match="cook"):
        parse_roles("cook")


def test_changes_combine() -> None:
    assert not Changes().any
    combined = Changes.of(Kind.CLASS, 1) | Changes.of(Kind.STAFF, 2) | Changes.of(Kind.CLASS, 3)
    assert combined.kinds() == {Kind.CLASS, Kind.STAFF} and combined.any
    assert combined.ids(Kind.CLASS) == {1, 3} and combined.ids(Kind.GRADE) == frozenset()
    assert (Changes() | EVERYTHING) == EVERYTHING and EVERYTHING.kinds() == set(Kind)


def test_classes_sort_by_number_not_by_text() -> None:
    from drillplanner.domain.structure import class_sort_key

    names = ["10班", "2班", "1班", "11班"]
    assert sorted(names, key=lambda n: class_sort_key(1, "一年级", n)) == [
        "1班", "2班", "10班", "11班"]
    assert class_sort_key(1, "一年级", "9班") < class_sort_key(2, "二年级", "1班")
