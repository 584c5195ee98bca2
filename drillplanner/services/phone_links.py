"""The links phones open to report headcounts: one per drill run, one per class.

A link is ``http://HOST:PORT/p/<token>/``. Tokens are derived (HMAC-SHA256) from a secret
each school keeps in the database, so nothing per drill is stored and a class's link can be
printed on its roll-call sheet before the drill: a drill token opens the page of that run
only; a class token opens the page of that class in whichever drill of its school is
running. Neither works when no drill runs (the server is not even listening then).
``renew_links`` makes every earlier link stale (a sheet that went astray).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.errors import ConflictError, NotFoundError
from drillplanner.domain.permissions import Op
from drillplanner.i18n import _
from drillplanner.io.lan import DEFAULT_PORT, lan_address
from drillplanner.services.authorization import operation
from drillplanner.storage.database import Database
from drillplanner.storage.models import ClassRow, GradeRow, SchoolRow
from drillplanner.storage.models_drills import DrillRunRow, RunClassRow

__all__ = ["DEFAULT_PORT", "DrillLinks", "Link", "base_url", "class_urls", "drill_links",
           "drill_url", "page_url", "renew_links"]

#: 22 url-safe characters: 132 bits, beyond guessing at any request rate.
TOKEN_LENGTH = 22
PAGE_PREFIX = "/p/"
_ANY_ADDRESS = ("", "0.0.0.0", "::")


def _token(secret: str, what: str) -> str:
    digest = hmac.new(secret.encode(), what.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:TOKEN_LENGTH]


def _secret(row: SchoolRow) -> str:
    if not row.link_secret:
        raise ConflictError(_("{school} has no phone links yet: renew them first "
                              "(drillplanner links --renew).").format(school=row.name))
    return row.link_secret


@dataclass(frozen=True, slots=True)
class Link:
    """What a token opens: the drill's page, or one class's."""

    run_id: int
    class_id: int | None = None


@dataclass(frozen=True, slots=True)
class DrillLinks:
    """The tokens of one run: its own and those of the classes taking part."""

    run_id: int
    school_id: int
    drill_token: str
    class_tokens: Mapping[int, str]

    def find(self, token: str) -> Link | None:
        """The link ``token`` stands for, compared in constant time."""
        found: Link | None = None
        if hmac.compare_digest(token, self.drill_token):
            found = Link(self.run_id)
        for class_id, class_token in self.class_tokens.items():
            if hmac.compare_digest(token, class_token):
                found = Link(self.run_id, class_id)
        return found


def drill_links(db: Database, run_id: int) -> DrillLinks:
    """The run's tokens.

    Raises:
        NotFoundError: no such run.
    """
    with db.read() as session:
        found = session.execute(
            select(DrillRunRow.school_id, SchoolRow)
            .join(SchoolRow, SchoolRow.id == DrillRunRow.school_id)
            .where(DrillRunRow.id == run_id)).first()
        if found is None:
            raise NotFoundError(_("{what} #{id} does not exist.").format(what=_("Drill"),
                                                                          id=run_id))
        school_id, school = found
        secret = _secret(school)
        class_ids = session.scalars(select(RunClassRow.class_id)
                                    .where(RunClassRow.run_id == run_id)).all()
    return DrillLinks(run_id, int(school_id), _token(secret, f"run:{run_id}"),
                      {int(c): _token(secret, f"class:{c}") for c in class_ids})


def base_url(host: str | None = None, port: int = DEFAULT_PORT) -> str:
    """``http://address:port`` of this computer as phones on the network reach it."""
    address = lan_address() if host is None or host in _ANY_ADDRESS else host
    if ":" in address:
        address = f"[{address}]"
    return f"http://{address}:{port}"


def page_url(base: str, token: str) -> str:
    return f"{base.rstrip('/')}{PAGE_PREFIX}{token}/"


def drill_url(db: Database, run_id: int, base: str) -> str:
    """The run's page: every class (as the user's roles allow)."""
    return page_url(base, drill_links(db, run_id).drill_token)


def class_urls(db: Database, school_id: int, base: str) -> dict[int, str]:
    """Each class's page (class id → URL), for its roll-call sheet."""
    with db.read() as session:
        school = session.get(SchoolRow, school_id)
        if school is None:
            raise NotFoundError(_("{what} #{id} does not exist.").format(what=_("School"),
                                                                          id=school_id))
        secret = _secret(school)
        class_ids = session.scalars(
            select(ClassRow.id).join(GradeRow, GradeRow.id == ClassRow.grade_id)
            .where(GradeRow.school_id == school_id)).all()
    return {int(c): page_url(base, _token(secret, f"class:{c}")) for c in class_ids}


@operation(Op.SET_UP_SCHOOL)
def renew_links(db: Database, school_id: int) -> Done[None]:
    """A new secret for the school: every drill and class link given out before stops
    working (reprint the roll-call sheets)."""
    with db.write() as session:
        school = session.get(SchoolRow, school_id)
        if school is None:
            raise NotFoundError(_("{what} #{id} does not exist.").format(what=_("School"),
                                                                          id=school_id))
        school.link_secret = secrets.token_hex(32)
    return Done(None, Changes.of(Kind.SCHOOL, school_id))
