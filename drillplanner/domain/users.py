"""User accounts as the faces see them, and the rules for logins and passwords."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.permissions import Role
from drillplanner.i18n import _

MIN_PASSWORD = 8
MAX_PASSWORD = 256
#: Wrong passwords in a row that lock an account, and for how long.
LOCK_AFTER = 5
LOCK_MINUTES = 15
_LOGIN = re.compile(r"[^\s@:/\\]{1,100}")


@dataclass(frozen=True, slots=True)
class User:
    id: int
    login: str
    display_name: str
    roles: tuple[Role, ...]
    school_id: int | None = None
    school: str = ""
    staff_id: int | None = None
    staff_name: str = ""
    #: Full names ("一年级1班") of the classes and grades the user has, the staff member's
    #: homeroom classes and led grades included.
    classes: tuple[str, ...] = ()
    grades: tuple[str, ...] = ()
    disabled: bool = False
    locked_until: datetime | None = None


def check_login(value: str) -> str:
    login = value.strip()
    if not _LOGIN.fullmatch(login):
        raise ValidationError("login", _(
            "A login name is one word of at most 100 characters, without spaces or any of "
            "@ : / \\ (for example zhangli or 张丽)."))
    return login


def check_password(value: str) -> str:
    if len(value) < MIN_PASSWORD:
        raise ValidationError("password", _(
            "A password needs at least {n} characters.").format(n=MIN_PASSWORD))
    if len(value) > MAX_PASSWORD:
        raise ValidationError("password", _(
            "A password may have at most {n} characters.").format(n=MAX_PASSWORD))
    return value
