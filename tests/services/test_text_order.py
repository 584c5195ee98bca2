"""Lists come out in one order from a SQLite file and from any PostgreSQL server: by code
points, whatever collation the server was set up with (the test cluster sorts Chinese by
pinyin and Latin after Chinese, and ignores case first)."""

from __future__ import annotations

from drillplanner.services import facilities, schools, staff
from drillplanner.storage.database import Database

# By code points: capitals, then small letters, then 一 (U+4E00) 张 (U+5F20) 王 (U+738B).
NAMES = ["Banana", "Lincoln", "apple", "一楼", "张丽", "王芳"]


def test_names_sort_by_code_points_on_every_engine(db: Database) -> None:
    for name in reversed(NAMES):
        schools.add_school(db, name)
    school_id = schools.find_school(db, "王芳").id
    for name in reversed(NAMES):
        staff.add_staff(db, school_id, name)
        facilities.add_building(db, school_id, name)
        facilities.add_area(db, school_id, name)
        facilities.add_route(db, school_id, name)

    assert [s.name for s in schools.list_schools(db)] == NAMES
    assert [s.name for s in staff.list_staff(db, school_id)] == NAMES
    assert [b.name for b in facilities.list_buildings(db, school_id)] == NAMES
    assert [a.name for a in facilities.list_areas(db, school_id)] == NAMES
    assert [r.name for r in facilities.list_routes(db, school_id)] == NAMES
