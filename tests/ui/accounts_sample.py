"""User accounts over the sample school, for the GUI tests of signing in and permissions."""

from __future__ import annotations

from dataclasses import dataclass

from ui_sample import Sample

from drillplanner.domain.permissions import Actor, Role
from drillplanner.services import authorization, users
from drillplanner.storage.database import Database

PASSWORD = "correct horse"


@dataclass
class Accounts:
    admin: Actor
    principal: Actor
    teacher: Actor  # 张丽, who teaches 一年级1班 only
    viewer: Actor


def add_accounts(db: Database, sample: Sample) -> Accounts:
    """An admin (added by the local admin), then a principal, a teacher and a viewer; the
    process is left signed out."""
    users.add_user(db, "admin", PASSWORD, [Role.ADMIN], display_name="管理员")
    admin = users.actor_of(db, "admin")
    with authorization.acting_as(admin):
        users.add_user(db, "wang", PASSWORD, [Role.PRINCIPAL], display_name="王校长",
                       school_id=sample.school.id)
        users.add_user(db, "zhangli", PASSWORD, [Role.TEACHER], display_name="张丽",
                       class_ids=[sample.class_1.id])
        users.add_user(db, "guest", PASSWORD, [Role.VIEWER], display_name="访客",
                       school_id=sample.school.id)
    return Accounts(admin, users.actor_of(db, "wang"), users.actor_of(db, "zhangli"),
                    users.actor_of(db, "guest"))
