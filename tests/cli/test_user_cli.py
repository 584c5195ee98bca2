"""``drillplanner user …`` and signing in on the command line: the first admin, users with
classes, headcounts by a signed-in teacher, wrong passwords and the lock, disabling,
passwords changed and reset, the permission table, the keyring, and passwords never shown
or logged."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from drill_school import OTHER, SCHOOL
from in_process import run

from drillplanner.cli import signin
from drillplanner.cli.main import build_parser
from drillplanner.domain.permissions import RULES, Op
from drillplanner.domain.users import LOCK_AFTER

RunCli = Callable[..., subprocess.CompletedProcess[str]]

ADMIN_PW = "Adm1n-Secret-pw"
TEACHER_PW = "Te4cher-Secret-pw"
NEW_PW = "N3w-Secret-pw"
WRONG_PW = "Wr0ng-Secret-pw"
VIEWER_PW = "V1ewer-Secret-pw"
PASSWORDS = (ADMIN_PW, TEACHER_PW, NEW_PW, WRONG_PW, VIEWER_PW)
CLASS = "一年级1班"
OTHER_CLASS = "二年级1班"


def log_text() -> str:
    folder = Path(os.environ["XDG_STATE_HOME"]) / "drillplanner" / "log"
    return "".join(f.read_text(encoding="utf-8") for f in sorted(folder.glob("*.log*")))


@pytest.fixture(autouse=True)
def _no_passwords_anywhere(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No password from the outside, no real keyring, and none of ours in the log."""
    monkeypatch.delenv(signin.NEW_PASSWORD_ENV_VAR, raising=False)
    monkeypatch.setattr(signin, "_keyring", lambda: None)
    monkeypatch.setattr(signin, "interactive", lambda: False)
    yield
    text = log_text()
    for password in PASSWORDS:
        assert password not in text


def cmd(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: object,
        password: str | None = None, new: str | None = None) -> tuple[int, str, str]:
    """Run a command with ``$DRILLPLANNER_PASSWORD`` / ``$DRILLPLANNER_NEW_PASSWORD`` set
    for it alone; its output never holds a password."""
    with monkeypatch.context() as env:
        for name, value in (("DRILLPLANNER_PASSWORD", password),
                            (signin.NEW_PASSWORD_ENV_VAR, new)):
            if value is None:
                env.delenv(name, raising=False)
            else:
                env.setenv(name, value)
        code, out, err = run(capsys, *args)
    for secret in PASSWORDS:
        assert secret not in out and secret not in err, (out, err)
    return code, out, err


def good(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: object,
         password: str | None = None, new: str | None = None) -> str:
    code, out, err = cmd(capsys, monkeypatch, *args, password=password, new=new)
    assert code == 0, err
    return out


def as_admin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path,
             *args: object, new: str | None = None) -> str:
    return good(capsys, monkeypatch, "--db", db, "--user", "admin", *args, password=ADMIN_PW,
                new=new)


def refused(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
            *args: object, password: str | None = None, new: str | None = None) -> str:
    """The one line on stderr of a command that must exit 1."""
    code, out, err = cmd(capsys, monkeypatch, *args, password=password, new=new)
    assert code == 1, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("drillplanner: error: "), err
    return lines[0]


def with_admin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
               db: Path) -> None:
    good(capsys, monkeypatch, "user", "add", "admin", "--role", "admin", "--name", "赵校长",
         "--db", db, new=ADMIN_PW)


def with_teacher(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                 db: Path) -> None:
    with_admin(capsys, monkeypatch, db)
    as_admin(capsys, monkeypatch, db, "user", "add", "li", "--role", "teacher", "--name",
             "李老师", "--school", SCHOOL, "--class", CLASS, new=TEACHER_PW)


def users_json(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
               db: Path) -> dict[str, dict[str, Any]]:
    listed = json.loads(as_admin(capsys, monkeypatch, db, "user", "list", "--format", "json"))
    return {u["login"]: u for u in listed}


# Adding users and who must sign in --------------------------------------------------------------


def test_the_first_admin_needs_no_sign_in_and_then_every_command_does(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    # A database without accounts: --user is not a sign-in, and nothing asks for one.
    assert "No user accounts" in good(capsys, monkeypatch, "user", "list", "--db", drill_db,
                                      "--user", "nobody")
    added = good(capsys, monkeypatch, "user", "add", "admin", "--role", "admin", "--name",
                 "赵校长", "--db", drill_db, new=ADMIN_PW)
    assert "Added user admin (Admin)." in added
    assert "now has user accounts" in added and "--user NAME" in added

    # Now reads and writes alike need --user NAME (or $DRILLPLANNER_USER) and a password.
    for command in (("school", "list"), ("classes", "list", "--school", SCHOOL),
                    ("user", "list"), ("school", "add", "新学校")):
        line = refused(capsys, monkeypatch, *command, "--db", drill_db)
        assert "has user accounts: give --user NAME (or set DRILLPLANNER_USER)" in line
    no_password = refused(capsys, monkeypatch, "--user", "admin", "school", "list", "--db",
                          drill_db)
    assert "set DRILLPLANNER_PASSWORD" in no_password

    # The second user is added by the admin, signed in.
    line = refused(capsys, monkeypatch, "user", "add", "li", "--role", "teacher", "--db",
                   drill_db, new=TEACHER_PW)
    assert "has user accounts" in line
    as_admin(capsys, monkeypatch, drill_db, "user", "add", "li", "--role", "teacher",
             "--school", SCHOOL, "--class", CLASS, new=TEACHER_PW)
    monkeypatch.setenv("DRILLPLANNER_USER", "admin")  # the same as --user
    assert SCHOOL in good(capsys, monkeypatch, "school", "list", "--db", drill_db,
                          password=ADMIN_PW)


def test_the_first_user_must_be_an_admin(capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch,
                                         drill_db: Path) -> None:
    line = refused(capsys, monkeypatch, "user", "add", "li", "--role", "teacher", "--db",
                   drill_db, new=TEACHER_PW)
    assert "The first user must be an admin" in line


def test_user_list_shows_roles_school_classes_and_status(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    with_teacher(capsys, monkeypatch, drill_db)
    as_admin(capsys, monkeypatch, drill_db, "user", "add", "wang", "--role", "grade_leader",
             "--role", "teacher", "--school", SCHOOL, "--grade", "二年级", "--class",
             "一年级 2班", new=TEACHER_PW)

    table = as_admin(capsys, monkeypatch, drill_db, "user", "list").splitlines()
    assert table[0].split() == ["Login", "Name", "Roles", "School", "Classes", "and",
                                "grades", "Status"]
    rows = {line.split()[0]: line for line in table[2:]}
    assert set(rows) == {"admin", "li", "wang"}
    assert "(every school)" in rows["admin"] and "Active" in rows["admin"]
    assert "李老师" in rows["li"] and SCHOOL in rows["li"] and CLASS in rows["li"]
    assert "Grade leader, Teacher" in rows["wang"] and "二年级, 一年级2班" in rows["wang"]

    found = users_json(capsys, monkeypatch, drill_db)
    assert found["li"] == {
        "login": "li", "name": "李老师", "roles": ["teacher"], "school": SCHOOL,
        "staff": None, "classes": [CLASS], "grades": [], "disabled": False,
        "locked_until": None}
    assert found["admin"]["school"] is None and found["admin"]["roles"] == ["admin"]

    csv_lines = as_admin(capsys, monkeypatch, drill_db, "user", "list", "--format",
                         "csv").splitlines()
    assert csv_lines[0] == "login,name,roles,school,classes,status"
    assert "wang,,grade_leader;teacher,测试小学,二年级;一年级2班,active" in csv_lines

    chinese = as_admin(capsys, monkeypatch, drill_db, "--lang", "zh_CN", "user", "list")
    assert "教师" in chinese and "管理员" in chinese


def test_classes_grades_and_staff_are_named_within_the_school(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    with_admin(capsys, monkeypatch, drill_db)
    for options, expected in (
            (["--class", "三年级1班", "--school", SCHOOL], "has no class called “三年级1班”"),
            (["--class", "1班", "--school", SCHOOL], "could be 一年级1班, 二年级1班"),
            (["--grade", "九年级", "--school", SCHOOL], "Its grades: 一年级, 二年级"),
            (["--staff", "张丽", "--school", SCHOOL], "has no staff member called “张丽”"),
            (["--class", CLASS], "Several schools exist; choose one with --school"),
            (["--class", "1A", "--school", OTHER, "--role", "admin"], "")):
        code, _out, err = cmd(capsys, monkeypatch, "--db", drill_db, "--user", "admin",
                              "user", "add", "x", "--role", "teacher", *options,
                              password=ADMIN_PW, new=TEACHER_PW)
        if expected:
            assert code == 1 and expected in err, (options, err)
        else:
            assert code == 0, err
    assert users_json(capsys, monkeypatch, drill_db)["x"]["classes"] == ["Grade 11A"]


def test_a_staff_member_brings_their_homeroom_classes(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        demo_db: Path) -> None:
    school = "聊城市实验小学"
    classes = json.loads(good(capsys, monkeypatch, "classes", "list", "--db", demo_db,
                              "--school", school, "--format", "json"))
    teacher = classes[0]["homeroom_teacher"]
    theirs = [c["full_name"] for c in classes if c["homeroom_teacher"] == teacher]
    with_admin(capsys, monkeypatch, demo_db)

    out = as_admin(capsys, monkeypatch, demo_db, "user", "add", "tian", "--role", "teacher",
                   "--school", school, "--staff", teacher, new=TEACHER_PW)
    assert all(name in out for name in theirs)
    assert users_json(capsys, monkeypatch, demo_db)["tian"]["staff"] == teacher


# Permissions on a drill day -------------------------------------------------------------------


def test_a_teacher_records_their_own_class_and_is_refused_another(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    with_teacher(capsys, monkeypatch, drill_db)
    run_id = as_admin(capsys, monkeypatch, drill_db, "drill", "start", "--adhoc", "--kind",
                      "fire", "--school", SCHOOL, "-q").strip()
    teacher = ("--db", drill_db, "--user", "li")

    reported = good(capsys, monkeypatch, *teacher, "headcount", "set", run_id, "--class",
                    CLASS, "--present", 40, password=TEACHER_PW)
    assert reported.startswith(CLASS + ":")
    line = refused(capsys, monkeypatch, *teacher, "headcount", "set", run_id, "--class",
                   OTHER_CLASS, "--present", 42, password=TEACHER_PW)
    assert ("李老师 cannot do this: “Record a class's headcount or missing students found” is "
            "for the class's teacher or grade leader") in line
    line = refused(capsys, monkeypatch, *teacher, "drill", "finish", run_id,
                   password=TEACHER_PW)
    assert "“Start, run, stop and write up a drill” is for an admin or a principal" in line

    # Reading stays open to them; the audit log names who signed in.
    listed = json.loads(good(capsys, monkeypatch, *teacher, "headcount", "list", run_id,
                             "--format", "json", password=TEACHER_PW))
    assert [c["class"] for c in listed["classes"] if c["state"] == "reported"] == [CLASS]
    entries = json.loads(good(capsys, monkeypatch, *teacher, "audit", "list", "--drill",
                              run_id, "--format", "json", password=TEACHER_PW))
    actors = {e["entity"]: e["actor"] for e in reversed(entries)}
    assert actors["headcounts"] == "li" and actors["drill_runs"] == "admin"


def test_a_database_without_users_keeps_the_free_text_actor(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    monkeypatch.setenv("DRILLPLANNER_USER", "张主任")
    good(capsys, monkeypatch, "school", "add", "新学校", "--db", drill_db, "--user", "whoever")
    newest = json.loads(good(capsys, monkeypatch, "audit", "list", "--db", drill_db,
                             "--format", "json", "--limit", 1))[0]
    assert newest["actor"] == "张主任"


# Wrong passwords, the lock, disabling ---------------------------------------------------------


def test_wrong_passwords_lock_the_account_until_an_admin_resets_it(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    with_teacher(capsys, monkeypatch, drill_db)
    teacher = ("--db", drill_db, "--user", "li", "school", "list")
    for _attempt in range(LOCK_AFTER):
        line = refused(capsys, monkeypatch, *teacher, password=WRONG_PW)
        assert line.endswith("Wrong login name or password.")
    assert "Wrong login name or password." in refused(
        capsys, monkeypatch, "--db", drill_db, "--user", "nobody", "school", "list",
        password=WRONG_PW)

    line = refused(capsys, monkeypatch, *teacher, password=TEACHER_PW)
    assert "The account li is locked after 5 wrong passwords until" in line
    assert users_json(capsys, monkeypatch, drill_db)["li"]["locked_until"] is not None
    assert "Locked until" in as_admin(capsys, monkeypatch, drill_db, "user", "list")

    as_admin(capsys, monkeypatch, drill_db, "user", "passwd", "li", new=NEW_PW)
    assert SCHOOL in good(capsys, monkeypatch, *teacher, password=NEW_PW)
    logged = log_text()
    assert "account li locked after 5 wrong passwords" in logged
    assert "signed in as li" in logged


def test_a_disabled_account_cannot_sign_in_until_enabled(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    with_teacher(capsys, monkeypatch, drill_db)
    teacher = ("--db", drill_db, "--user", "li", "school", "list")
    assert "li is disabled" in as_admin(capsys, monkeypatch, drill_db, "user", "disable", "li")
    assert "Disabled" in as_admin(capsys, monkeypatch, drill_db, "user", "list")
    assert "The account li is disabled: ask an admin." in refused(
        capsys, monkeypatch, *teacher, password=TEACHER_PW)
    assert users_json(capsys, monkeypatch, drill_db)["li"]["disabled"] is True

    line = refused(capsys, monkeypatch, "--db", drill_db, "--user", "admin", "user",
                   "disable", "admin", password=ADMIN_PW)
    assert "admin is the last admin who can sign in" in line

    assert "li is enabled again." in as_admin(capsys, monkeypatch, drill_db, "user", "enable",
                                             "li")
    good(capsys, monkeypatch, *teacher, password=TEACHER_PW)
    line = refused(capsys, monkeypatch, "--db", drill_db, "--user", "li", "user", "disable",
                   "admin", password=TEACHER_PW)
    assert "“Add users, change their roles, reset passwords, disable accounts” is for an admin" \
        in line


# Passwords ------------------------------------------------------------------------------------


def test_passwd_changes_ones_own_and_an_admin_resets_anyones(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    with_teacher(capsys, monkeypatch, drill_db)
    teacher = ("--db", drill_db, "--user", "li")

    # Their own: the password they signed in with is the old one.
    assert "Your password was changed." in good(
        capsys, monkeypatch, *teacher, "user", "passwd", "li", password=TEACHER_PW, new=NEW_PW)
    assert "Wrong login name or password." in refused(
        capsys, monkeypatch, *teacher, "school", "list", password=TEACHER_PW)
    good(capsys, monkeypatch, *teacher, "school", "list", password=NEW_PW)

    # Someone else's: refused before any new password is asked for.
    line = refused(capsys, monkeypatch, *teacher, "user", "passwd", "admin", password=NEW_PW)
    assert "is for an admin" in line

    # An admin resets anyone's, their own too, without the old one.
    assert "The password of li was reset." in as_admin(
        capsys, monkeypatch, drill_db, "user", "passwd", "li", new=TEACHER_PW)
    good(capsys, monkeypatch, *teacher, "school", "list", password=TEACHER_PW)
    as_admin(capsys, monkeypatch, drill_db, "user", "passwd", "admin", new=NEW_PW)
    good(capsys, monkeypatch, "--db", drill_db, "--user", "admin", "school", "list",
         password=NEW_PW)

    # Bad new passwords change nothing.
    assert "at least 8 characters" in refused(
        capsys, monkeypatch, *teacher, "user", "passwd", "li", password=TEACHER_PW,
        new="short")
    line = refused(capsys, monkeypatch, *teacher, "user", "passwd", "li", password=TEACHER_PW)
    assert "set DRILLPLANNER_NEW_PASSWORD or pipe it with --password-stdin" in line
    assert "There is no user “nobody”." in refused(
        capsys, monkeypatch, "--db", drill_db, "--user", "admin", "user", "passwd", "nobody",
        password=NEW_PW, new=NEW_PW)


def test_a_new_password_from_one_line_of_stdin(capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch,
                                               drill_db: Path) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(ADMIN_PW + "\nignored\n"))
    good(capsys, monkeypatch, "user", "add", "admin", "--role", "admin", "--password-stdin",
         "--db", drill_db)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert "No password was given" in refused(
        capsys, monkeypatch, "--db", drill_db, "--user", "admin", "user", "add", "v", "--role",
        "viewer", "--password-stdin", password=ADMIN_PW)
    good(capsys, monkeypatch, "--db", drill_db, "--user", "admin", "school", "list",
         password=ADMIN_PW)


def test_on_a_terminal_passwords_are_asked_without_echo(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
        drill_db: Path) -> None:
    prompts: list[str] = []
    answers: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return answers.pop(0)

    monkeypatch.setattr(signin, "interactive", lambda: True)
    monkeypatch.setattr(signin.getpass, "getpass", ask)

    answers[:] = [ADMIN_PW, ADMIN_PW]
    good(capsys, monkeypatch, "user", "add", "admin", "--role", "admin", "--db", drill_db)
    assert prompts == ["New password for admin: ", "The new password again: "]

    prompts.clear()
    answers[:] = [ADMIN_PW, VIEWER_PW, VIEWER_PW + "x"]
    line = refused(capsys, monkeypatch, "--user", "admin", "user", "add", "v", "--role",
                   "viewer", "--db", drill_db)
    assert "The two passwords differ; nothing was changed." in line
    assert prompts[0] == f"Password for admin ({drill_db}): "

    answers[:] = [""]
    assert "No password was given; nobody signed in." in refused(
        capsys, monkeypatch, "--user", "admin", "school", "list", "--db", drill_db)
    answers[:] = [ADMIN_PW]
    users = json.loads(good(capsys, monkeypatch, "--user", "admin", "user", "list", "--db",
                            drill_db, "--format", "json"))
    assert [u["login"] for u in users] == ["admin"]


# The permission table -------------------------------------------------------------------------


def test_user_roles_prints_every_operation(capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    table = good(capsys, monkeypatch, "user", "roles")
    assert table.splitlines()[0].split()[:2] == ["Operation", "Who"]
    for rule in RULES.values():
        assert rule.what in table and rule.who in table
    records = json.loads(good(capsys, monkeypatch, "user", "roles", "--format", "json"))
    assert [r["operation"] for r in records] == [op.value for op in Op]
    headcount = next(r for r in records if r["operation"] == "record_headcount")
    assert {"role": "teacher", "reach": "own_class", "while_running": True} in (
        headcount["grants"])
    chinese = good(capsys, monkeypatch, "--lang", "zh_CN", "user", "roles")
    assert "管理员" in chinese and "Set up the school" not in chinese


# The system keyring ---------------------------------------------------------------------------


def test_remember_keeps_the_password_in_the_keyring(capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch,
                                                    drill_db: Path) -> None:
    with_admin(capsys, monkeypatch, drill_db)
    admin = ("--db", drill_db, "--user", "admin")

    # Without the keyring package: it says so, and the command still runs.
    code, out, err = cmd(capsys, monkeypatch, *admin, "--remember", "school", "list",
                         password=ADMIN_PW)
    assert code == 0 and SCHOOL in out and "keyring package is not installed" in err

    stored: dict[tuple[str, str], str] = {}
    keyring = SimpleNamespace(
        get_password=lambda service, name: stored.get((service, name)),
        set_password=lambda service, name, value: stored.__setitem__((service, name), value),
        errors=SimpleNamespace(KeyringError=RuntimeError))
    monkeypatch.setattr(signin, "_keyring", lambda: keyring)
    good(capsys, monkeypatch, *admin, "school", "list", "--remember", password=ADMIN_PW)
    assert stored == {("drillplanner", f"admin@{drill_db}"): ADMIN_PW}

    # Later commands need neither the variable nor a prompt.
    assert SCHOOL in good(capsys, monkeypatch, *admin, "school", "list")
    # Changing one's password keeps the remembered one current.
    as_admin(capsys, monkeypatch, drill_db, "user", "passwd", "admin", new=NEW_PW)
    assert stored[("drillplanner", f"admin@{drill_db}")] == NEW_PW
    good(capsys, monkeypatch, *admin, "school", "list")

    stored[("drillplanner", f"admin@{drill_db}")] = WRONG_PW
    line = refused(capsys, monkeypatch, *admin, "school", "list")
    assert "Wrong login name or password." in line and "remembered in the system keyring" in line


# A real process -------------------------------------------------------------------------------


def test_signing_in_in_a_real_process(cli: RunCli, drill_db: Path) -> None:
    cli("user", "add", "admin", "--role", "admin", "--db", drill_db,
        env={signin.NEW_PASSWORD_ENV_VAR: ADMIN_PW}, check_rc=0)
    without = cli("school", "list", "--db", drill_db, env={"DRILLPLANNER_USER": "admin"})
    assert without.returncode == 1 and "set DRILLPLANNER_PASSWORD" in without.stderr
    signed = cli("school", "list", "--db", drill_db,
                 env={"DRILLPLANNER_USER": "admin", "DRILLPLANNER_PASSWORD": ADMIN_PW},
                 check_rc=0)
    assert SCHOOL in signed.stdout
    assert ADMIN_PW not in signed.stdout + signed.stderr + without.stderr


# The command line itself ----------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["--user", "li", "school", "list"],
    ["school", "--user", "li", "list"],
    ["school", "list", "--user", "li"],
])
def test_user_is_accepted_before_and_after_the_sub_command(argv: list[str]) -> None:
    args = build_parser(argv).parse_args(argv)
    assert (args.user, args.remember) == ("li", False)
    remembered = build_parser([*argv, "--remember"]).parse_args([*argv, "--remember"])
    assert remembered.remember is True


@pytest.mark.parametrize("argv", [["user"], ["user", "add"], ["user", "list"],
                                  ["user", "passwd"], ["user", "disable"], ["user", "enable"],
                                  ["user", "roles"]])
@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_help_of_the_user_commands(argv: list[str], lang: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "--lang", lang, *argv, "--help")
    assert code == 0 and "usage:" in out
