"""Schools, buildings, areas, routes, grades, classes and staff through the services."""

from __future__ import annotations

import pytest

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.errors import ConflictError, NotFoundError, ValidationError
from drillplanner.domain.roles import StaffRole
from drillplanner.services import classes, facilities, schools, staff
from drillplanner.storage.database import Database


@pytest.fixture
def school_id(db: Database) -> int:
    return schools.add_school(db, "聊城市实验小学").value.id


def test_school_defaults_and_validation(db: Database) -> None:
    school = schools.add_school(db, "  高马小学 ").value
    assert (school.name, school.timezone, school.evacuation_target_seconds, school.country) == (
        "高马小学", "Asia/Shanghai", 180, "CN")
    with pytest.raises(ConflictError, match="already exists"):
        schools.add_school(db, "高马小学")
    with pytest.raises(ValidationError) as caught:
        schools.add_school(db, "X", timezone="Mars/Olympus")
    assert caught.value.field == "timezone" and "Mars/Olympus" in caught.value.message
    with pytest.raises(ValidationError) as caught:
        schools.update_school(db, school.id, {"evacuation_target_seconds": 0})
    assert caught.value.field == "evacuation_target_seconds"
    with pytest.raises(ValidationError, match="oversee itself"):
        schools.update_school(db, school.id, {"parent_id": school.id})
    assert schools.get_school(db, school.id) == school


def test_central_school_oversees_village_schools(db: Database) -> None:
    central = schools.add_school(db, "道口铺街道中心学校").value
    village = schools.add_school(db, "道口铺街道中心学校高马小学", parent_id=central.id).value
    assert village.parent_id == central.id
    schools.delete_school(db, central.id)
    assert schools.get_school(db, village.id).parent_id is None


def test_find_school_by_name_part_or_only_one(db: Database) -> None:
    with pytest.raises(NotFoundError, match="no school yet"):
        schools.find_school(db, None)
    a = schools.add_school(db, "郑家镇东小学").value
    assert schools.find_school(db, None) == a
    schools.add_school(db, "聊城市实验小学")
    with pytest.raises(NotFoundError, match="--school"):
        schools.find_school(db, None)
    assert schools.find_school(db, "郑家镇") == a
    with pytest.raises(NotFoundError, match="郑家镇东小学"):
        schools.find_school(db, "Nowhere")


def test_building_floors_follow_the_floor_count(db: Database, school_id: int) -> None:
    building = facilities.add_building(db, school_id, "教学楼", 4).value
    assert [f.level for f in facilities.list_floors(db, building.id)] == [1, 2, 3, 4]
    facilities.update_building(db, building.id, {"floor_count": 2})
    assert [f.level for f in facilities.list_floors(db, building.id)] == [1, 2]
    with pytest.raises(ValidationError):
        facilities.update_building(db, building.id, {"floor_count": 0})
    with pytest.raises(ConflictError):
        facilities.add_building(db, school_id, "教学楼")


def test_shrinking_a_building_under_a_class_is_refused(db: Database, school_id: int) -> None:
    building = facilities.add_building(db, school_id, "综合楼", 3).value
    grade = classes.add_grade(db, school_id, "三年级").value
    classes.add_class(db, school_id, grade.id, "1班", 40, building_id=building.id,
                      floor_level=3)
    with pytest.raises(ConflictError, match="move them first"):
        facilities.update_building(db, building.id, {"floor_count": 2})
    assert facilities.list_buildings(db, school_id)[0].floor_count == 3


def test_class_references_must_exist_in_the_same_school(db: Database, school_id: int) -> None:
    other = schools.add_school(db, "郑家镇东小学").value
    foreign_area = facilities.add_area(db, other.id, "操场").value
    grade = classes.add_grade(db, school_id, "一年级").value
    with pytest.raises(ValidationError, match="another school") as caught:
        classes.add_class(db, school_id, grade.id, "1班", 40, assembly_area_id=foreign_area.id)
    assert caught.value.field == "assembly_area_id"
    building = facilities.add_building(db, school_id, "教学楼", 2).value
    with pytest.raises(ValidationError, match="no floor 5"):
        classes.add_class(db, school_id, grade.id, "1班", 40, building_id=building.id,
                          floor_level=5)
    with pytest.raises(ValidationError, match="building before the floor"):
        classes.add_class(db, school_id, grade.id, "1班", 40, floor_level=1)
    assert classes.list_classes(db, school_id) == []


def test_class_round_trip_with_every_link(db: Database, school_id: int) -> None:
    building = facilities.add_building(db, school_id, "教学楼", 4).value
    area = facilities.add_area(db, school_id, "操场东侧", capacity=600).value
    route = facilities.add_route(db, school_id, "东楼梯", area.id, "东楼梯 → 操场东侧").value
    teacher = staff.add_staff(db, school_id, "张丽", [StaffRole.HOMEROOM_TEACHER]).value
    grade = classes.add_grade(db, school_id, "二年级").value
    added = classes.add_class(db, school_id, grade.id, "2班", 45, room="203",
                              homeroom_teacher_id=teacher.id, building_id=building.id,
                              floor_level=2, assembly_area_id=area.id, route_id=route.id).value
    assert added.full_name == "二年级2班"
    assert (added.homeroom_teacher_name, added.building_name, added.floor_level) == (
        "张丽", "教学楼", 2)
    assert (added.assembly_area_name, added.route_name) == ("操场东侧", "东楼梯")
    moved = classes.update_class(db, added.id, {"floor_level": 3, "enrolled": "46"}).value
    assert (moved.floor_level, moved.enrolled) == (3, 46)
    for bad in (-1, "4x", 45.5, 10_000, True):
        with pytest.raises(ValidationError) as caught:
            classes.update_class(db, added.id, {"enrolled": bad})
        assert caught.value.field == "enrolled"
    assert classes.get_class(db, added.id) == moved


def test_moving_a_class_to_another_building_keeps_its_floor_if_there(db: Database,
                                                                      school_id: int) -> None:
    a = facilities.add_building(db, school_id, "A楼", 4).value
    b = facilities.add_building(db, school_id, "B楼", 2).value
    grade = classes.add_grade(db, school_id, "四年级").value
    cls = classes.add_class(db, school_id, grade.id, "1班", 30, building_id=a.id,
                            floor_level=2).value
    assert classes.update_class(db, cls.id, {"building_id": b.id}).value.floor_level == 2
    classes.update_class(db, cls.id, {"building_id": a.id, "floor_level": 4})
    with pytest.raises(ValidationError, match="no floor 4"):
        classes.update_class(db, cls.id, {"building_id": b.id})


def test_grades_sort_by_their_number_and_delete_with_classes(db: Database,
                                                             school_id: int) -> None:
    for name in ("六年级", "一年级", "三年级"):
        classes.add_grade(db, school_id, name)
    grades = classes.list_grades(db, school_id)
    assert [g.name for g in grades] == ["一年级", "三年级", "六年级"]
    classes.add_class(db, school_id, grades[0].id, "1班", 40)
    classes.add_class(db, school_id, grades[1].id, "1班", 40)
    with pytest.raises(ConflictError):
        classes.add_class(db, school_id, grades[0].id, "1班", 41)
    classes.delete_grade(db, grades[0].id)
    assert [c.full_name for c in classes.list_classes(db, school_id)] == ["三年级1班"]


def test_staff_roles_and_deletion_unlinks_classes(db: Database, school_id: int) -> None:
    person = staff.add_staff(db, school_id, "王建国", [StaffRole.PRINCIPAL, StaffRole.COMMANDER],
                             phone="13800000000").value
    assert person.roles == {StaffRole.PRINCIPAL, StaffRole.COMMANDER}
    person = staff.update_staff(db, person.id, {"roles": "commander, admin"}).value
    assert person.roles == {StaffRole.COMMANDER, StaffRole.ADMIN}
    with pytest.raises(ValidationError, match="not a role"):
        staff.update_staff(db, person.id, {"roles": ["janitor"]})
    grade = classes.add_grade(db, school_id, "五年级", leader_id=person.id).value
    cls = classes.add_class(db, school_id, grade.id, "1班", 40, homeroom_teacher_id=person.id).value
    staff.delete_staff(db, person.id)
    assert classes.get_class(db, cls.id).homeroom_teacher_id is None
    assert classes.list_grades(db, school_id)[0].leader_id is None


def test_missing_records_raise_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError, match="#99"):
        classes.update_class(db, 99, {"enrolled": 3})
    with pytest.raises(NotFoundError):
        facilities.delete_area(db, 5)
    with pytest.raises(NotFoundError):
        staff.update_staff(db, 7, {"phone": "1"})


def test_classes_list_in_number_order(db: Database, school_id: int) -> None:
    grade = classes.add_grade(db, school_id, "一年级").value
    for name in ("10班", "2班", "1班"):
        classes.add_class(db, school_id, grade.id, name, 40)
    assert [c.name for c in classes.list_classes(db, school_id)] == ["1班", "2班", "10班"]


def test_writes_name_the_records_they_changed(db: Database, school_id: int) -> None:
    added_grade = classes.add_grade(db, school_id, "一年级")
    grade = added_grade.value
    assert added_grade.changes == Changes.of(Kind.GRADE, grade.id)
    assert classes.update_grade(db, grade.id, {"ordinal": 1}).changes == Changes.of(
        Kind.GRADE, grade.id)

    added_class = classes.add_class(db, school_id, grade.id, "1班", 40)
    first = added_class.value
    assert added_class.changes == Changes.of(Kind.CLASS, first.id)
    assert classes.update_class(db, first.id, {"enrolled": 41}).changes == Changes.of(
        Kind.CLASS, first.id)
    second = classes.add_class(db, school_id, grade.id, "2班", 40).value
    assert classes.delete_class(db, second.id).changes == Changes.of(Kind.CLASS, second.id)

    added_person = staff.add_staff(db, school_id, "张丽", [StaffRole.HOMEROOM_TEACHER])
    person = added_person.value
    assert added_person.changes == Changes.of(Kind.STAFF, person.id)
    assert staff.update_staff(db, person.id, {"phone": "1"}).changes == Changes.of(
        Kind.STAFF, person.id)
    classes.update_grade(db, grade.id, {"leader_id": person.id})
    classes.update_class(db, first.id, {"homeroom_teacher_id": person.id})
    # The staff member's class and grade lose them too.
    assert staff.delete_staff(db, person.id).changes == (
        Changes.of(Kind.STAFF, person.id) | Changes.of(Kind.CLASS, first.id)
        | Changes.of(Kind.GRADE, grade.id))

    third = classes.add_class(db, school_id, grade.id, "3班", 40).value
    # A grade goes with its classes.
    deleted = classes.delete_grade(db, grade.id).changes
    assert deleted == Changes.of(Kind.GRADE, grade.id) | Changes.of(Kind.CLASS, first.id,
                                                                    third.id)
    assert deleted.ids(Kind.CLASS) == {first.id, third.id}
