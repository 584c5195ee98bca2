"""A running phone page over a small school with a drill in progress."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from phone_sample import PhoneSite, add_accounts, school_with_drill, serve

from drillplanner.services import authorization, users
from drillplanner.storage.database import Database
from drillplanner.web import server


@pytest.fixture(autouse=True)
def _short_closing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page answers "the drill is over" for a second, not a minute."""
    monkeypatch.setattr(server, "CLOSING_GRACE", 1.0)


@pytest.fixture
def phone_site(db: Database) -> Iterator[PhoneSite]:
    """A school without accounts: the drill's link reaches every class."""
    school_id, run_id, ids = school_with_drill(db)
    yield from serve(db, run_id, school_id, ids)


@pytest.fixture
def phone_site_with_accounts(db: Database) -> Iterator[PhoneSite]:
    """The same school with accounts (admin, 张老师 of 一年级1班, 李组长 of 一年级); the
    server was started by the admin."""
    school_id, run_id, ids = school_with_drill(db)
    add_accounts(db, school_id, ids)
    with authorization.acting_as(users.actor_of(db, "admin")):
        yield from serve(db, run_id, school_id, ids)
