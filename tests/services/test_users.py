"""Accounts: Argon2id hashes, rehash when parameters age, lockout, reset, disable, the
first admin and the last one."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher, profiles
from snapshot import dump
from sqlalchemy import text

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.permissions import PermissionDenied, Role
from drillplanner.domain.users import LOCK_AFTER
from drillplanner.services import audit, authorization, users
from drillplanner.storage.database import Database

PASSWORD = "correct horse 1"


@pytest.fixture
def admin(db: Database) -> None:
    users.add_user(db, "admin", PASSWORD, [Role.ADMIN], display_name="李校长")
    authorization.sign_in(users.authenticate(db, "admin", PASSWORD).value)


def stored_hash(db: Database, login: str) -> str:
    with db.read() as session:
        return str(session.execute(text("SELECT password_hash FROM users WHERE login = :l"),
                                   {"l": login}).scalar())


def test_the_first_user_must_be_an_admin(db: Database) -> None:
    with pytest.raises(ValidationError, match="first user must be an admin"):
        users.add_user(db, "teacher", PASSWORD, [Role.TEACHER])
    assert users.list_users(db) == []


def test_passwords_are_stored_as_argon2id_and_never_logged(
        db: Database, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    users.add_user(db, "admin", PASSWORD, [Role.ADMIN])
    digest = stored_hash(db, "admin")
    assert digest.startswith("$argon2id$")
    assert PASSWORD not in digest
    assert PASSWORD not in caplog.text and digest not in caplog.text
    [row] = audit.list_entries(db, entity="users")
    assert row.new_values()["password_hash"] == "***"  # the log says it was set, not what


def test_a_hash_with_aged_parameters_is_renewed_at_sign_in(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    users.add_user(db, "admin", PASSWORD, [Role.ADMIN])
    old = stored_hash(db, "admin")
    # The stored hash has the cheap test profile's time cost 1; the parameters "age".
    stronger = PasswordHasher(time_cost=profiles.CHEAPEST.time_cost + 1, memory_cost=16,
                              parallelism=1, hash_len=16, salt_len=16)
    monkeypatch.setattr(users, "HASHER", stronger)
    users.authenticate(db, "admin", PASSWORD)
    new = stored_hash(db, "admin")
    assert new != old and "t=2" in new
    assert users.authenticate(db, "admin", PASSWORD).value.login == "admin"


def test_wrong_passwords_lock_the_account_and_a_reset_unlocks_it(db: Database,
                                                                admin: None) -> None:
    users.add_user(db, "zhangli", PASSWORD, [Role.TEACHER])
    for _attempt in range(LOCK_AFTER):
        with pytest.raises(PermissionDenied, match="Wrong login name or password"):
            users.authenticate(db, "zhangli", "guess")
    with pytest.raises(PermissionDenied, match="locked after 5 wrong passwords until"):
        users.authenticate(db, "zhangli", PASSWORD)  # even the right one, for now
    assert users.get_user(db, "zhangli").locked_until > datetime.now()
    users.reset_password(db, "zhangli", "new password 1")
    assert users.authenticate(db, "zhangli", "new password 1").value.login == "zhangli"


def test_an_unknown_login_reads_like_a_wrong_password(db: Database, admin: None) -> None:
    with pytest.raises(PermissionDenied) as unknown:
        users.authenticate(db, "nobody", PASSWORD)
    with pytest.raises(PermissionDenied) as wrong:
        users.authenticate(db, "admin", "not it at all")
    assert str(unknown.value) == str(wrong.value)


def test_a_disabled_account_cannot_sign_in(db: Database, admin: None) -> None:
    users.add_user(db, "zhangli", PASSWORD, [Role.TEACHER])
    users.set_disabled(db, "zhangli")
    with pytest.raises(PermissionDenied, match="disabled"):
        users.authenticate(db, "zhangli", PASSWORD)
    users.set_disabled(db, "zhangli", False)
    assert users.authenticate(db, "zhangli", PASSWORD).value.roles == {Role.TEACHER}


def test_the_last_admin_stays(db: Database, admin: None) -> None:
    before = dump(db)
    with pytest.raises(ValidationError, match="last admin"):
        users.set_disabled(db, "admin")
    with pytest.raises(ValidationError, match="last admin"):
        users.update_user(db, "admin", roles=[Role.PRINCIPAL])
    assert dump(db) == before
    users.add_user(db, "admin2", PASSWORD, [Role.ADMIN])
    users.update_user(db, "admin", roles=[Role.PRINCIPAL])
    assert users.get_user(db, "admin").roles == (Role.PRINCIPAL,)


def test_changing_ones_own_password_needs_the_old_one(db: Database, admin: None) -> None:
    users.add_user(db, "zhangli", PASSWORD, [Role.TEACHER])
    teacher = users.authenticate(db, "zhangli", PASSWORD).value
    with authorization.acting_as(teacher):
        with pytest.raises(PermissionDenied, match="current password is wrong"):
            users.change_password(db, "zhangli", "guess", "new password 1")
        with pytest.raises(PermissionDenied, match="cannot do this"):
            users.change_password(db, "admin", PASSWORD, "new password 1")
        users.change_password(db, "zhangli", PASSWORD, "new password 1")
    assert users.authenticate(db, "zhangli", "new password 1").value.login == "zhangli"


@pytest.mark.parametrize(("login", "password", "words"), [
    ("zhang li", PASSWORD, "one word"), ("a@b", PASSWORD, "one word"),
    ("zhangli", "short", "at least 8")])
def test_bad_logins_and_passwords_are_refused(db: Database, admin: None, login: str,
                                              password: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        users.add_user(db, login, password, [Role.TEACHER])


def test_a_lock_ends_by_itself(db: Database, admin: None,
                               monkeypatch: pytest.MonkeyPatch) -> None:
    users.add_user(db, "zhangli", PASSWORD, [Role.TEACHER])
    for _attempt in range(LOCK_AFTER):
        with pytest.raises(PermissionDenied):
            users.authenticate(db, "zhangli", "guess")
    later = datetime.now() + timedelta(minutes=16)
    monkeypatch.setattr(users, "_now", lambda: later)
    assert users.authenticate(db, "zhangli", PASSWORD).value.login == "zhangli"
