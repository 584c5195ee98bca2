"""Look-alike names collide and hidden characters never reach the database (issue 10,
item 5): "郑家镇东小学\\u200b" was once accepted as a second school."""

from __future__ import annotations

import pytest

from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.roster import RosterError, RosterRow, RosterTable
from drillplanner.services import classes, schools
from drillplanner.services.roster import import_roster
from drillplanner.storage.database import Database


@pytest.mark.parametrize("char", ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"])
def test_a_zero_width_look_alike_is_the_same_school(db: Database, char: str) -> None:
    schools.add_school(db, "郑家镇东小学")
    with pytest.raises(ConflictError, match="already exists"):
        schools.add_school(db, f"郑家镇东小学{char}")
    other = schools.add_school(db, f"郑家镇{char}西小学").value
    assert other.name == "郑家镇西小学"
    with pytest.raises(ConflictError, match="already exists"):
        schools.update_school(db, other.id, {"name": f"{char}郑家镇东小学"})
    assert sorted(s.name for s in schools.list_schools(db)) == ["郑家镇东小学", "郑家镇西小学"]


def test_bidi_override_in_a_school_name_is_refused_naming_the_field(db: Database) -> None:
    with pytest.raises(ValidationError) as refused:
        schools.add_school(db, "郑家镇\u202e学小东")
    assert refused.value.field == "name" and "U+202E" in refused.value.message
    assert refused.value.message.startswith("Name ")
    assert schools.list_schools(db) == []


def test_roster_rows_from_anywhere_get_the_same_rules_with_their_lines(db: Database) -> None:
    school = schools.add_school(db, "郑家镇东小学").value
    table = RosterTable(source="名单.csv", rows=(
        RosterRow("一年级", "1班", 30, line=2),
        RosterRow("一年级", "2\u202e班", 30, line=3),
        RosterRow("一年级", "3班", 30, "王\x00老师", line=4),
        RosterRow("一年级\u200b", "4班\ufeff", 30, line=5)))
    with pytest.raises(RosterError) as refused:
        import_roster(db, school.id, table)
    problems = [(p.line, p.column, p.message.split(" ", 1)[0]) for p in refused.value.problems]
    assert problems == [(3, "Class", "Class"), (4, "Homeroom teacher", "Homeroom")]
    assert "U+202E" in refused.value.problems[0].message
    assert classes.list_classes(db, school.id) == []

    import_roster(db, school.id, RosterTable(source="名单.csv", rows=(
        RosterRow("一年级\u200b", "4班\ufeff", 30, line=2),)))
    assert [(c.grade_name, c.name) for c in classes.list_classes(db, school.id)] == [
        ("一年级", "4班")]
