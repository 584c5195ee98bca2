"""A small school with a drill in progress and its phone page served on a free loopback
port (the real server, the real database file)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from drillplanner.domain.changes import Changes
from drillplanner.domain.events import EventKind
from drillplanner.domain.permissions import Role
from drillplanner.services import authorization, classes, drills, headcounts, schools, users
from drillplanner.storage.database import Database
from drillplanner.web.server import PhoneServer

PASSWORD = "correct horse"


@dataclass
class PhoneSite:
    db: Database
    server: PhoneServer
    run_id: int
    school_id: int
    #: Class name → id: 一年级1班 (40), 一年级2班 (38), 二年级1班 (42).
    class_ids: dict[str, int]
    changes: list[Changes] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.server.url

    def class_url(self, name: str) -> str:
        return self.server.class_urls()[self.class_ids[name]]

    def entries(self, name: str) -> int:
        """How many reports (not checks) the class has in the run."""
        return sum(1 for item in headcounts.history(self.db, self.run_id, self.class_ids[name])
                   if item.new is not None and not item.verified)


def school_with_drill(db: Database) -> tuple[int, int, dict[str, int]]:
    school = schools.add_school(db, "聊城市实验小学").value
    one = classes.add_grade(db, school.id, "一年级").value
    two = classes.add_grade(db, school.id, "二年级").value
    ids = {
        "一年级1班": classes.add_class(db, school.id, one.id, "1班", 40).value.id,
        "一年级2班": classes.add_class(db, school.id, one.id, "2班", 38).value.id,
        "二年级1班": classes.add_class(db, school.id, two.id, "1班", 42).value.id,
    }
    run = drills.start_drill(db, school.id, kind=EventKind.FIRE, title="消防疏散演练").value
    return school.id, run.id, ids


def add_accounts(db: Database, school_id: int, ids: dict[str, int]) -> None:
    """An admin, a teacher of 一年级1班 and the grade leader of 一年级."""
    users.add_user(db, "admin", PASSWORD, [Role.ADMIN])
    grade_one = classes.get_class(db, ids["一年级1班"]).grade_id
    with authorization.acting_as(users.actor_of(db, "admin")):
        users.add_user(db, "zhang", PASSWORD, [Role.TEACHER], display_name="张老师",
                       school_id=school_id, class_ids=[ids["一年级1班"]])
        users.add_user(db, "li", PASSWORD, [Role.GRADE_LEADER], display_name="李组长",
                       school_id=school_id, grade_ids=[grade_one])
    authorization.forget_has_users(db)


def serve(db: Database, run_id: int, school_id: int, ids: dict[str, int]
          ) -> Iterator[PhoneSite]:
    site = PhoneSite(db, PhoneServer(db, run_id, host="127.0.0.1", port=0), run_id,
                     school_id, ids)
    site.server.on_change = site.changes.append
    site.server.start()
    try:
        yield site
    finally:
        site.server.stop()
