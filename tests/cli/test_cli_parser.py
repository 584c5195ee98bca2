"""The parser and run() in-process: option placement, help, language, and exit statuses."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from drillplanner import i18n
from drillplanner.cli.main import build_parser, main, requested_language, run
from drillplanner.config import log_dir

COMMANDS = [[], ["init"], ["demo"], ["school"], ["school", "list"], ["school", "add"],
            ["roster"], ["roster", "import"], ["roster", "export"], ["classes"],
            ["classes", "list"]]


def parse(*argv: str):  # type: ignore[no-untyped-def]
    arguments = list(argv)
    return build_parser(arguments).parse_args(arguments)


def test_no_command_leaves_the_gui_options_for_the_launcher() -> None:
    args = parse("--demo", "--db", "x.sqlite3", "--lang", "zh_CN")

    assert args.command is None
    assert (args.demo, args.db, args.lang) == (True, "x.sqlite3", "zh_CN")
    assert parse().command is None
    assert (parse().db, parse().lang, parse().demo) == (None, None, False)


@pytest.mark.parametrize("argv", [
    ["--db", "a.sqlite3", "classes", "list"],
    ["classes", "--db", "a.sqlite3", "list"],
    ["classes", "list", "--db", "a.sqlite3"],
    ["--db=a.sqlite3", "classes", "list"],
])
def test_db_is_accepted_before_and_after_the_sub_command(argv: list[str]) -> None:
    args = parse(*argv)

    assert args.db == "a.sqlite3"
    assert (args.command, args.action) == ("classes", "list")


def test_an_option_given_before_survives_the_sub_command_parser() -> None:
    args = parse("--db", "a.sqlite3", "--lang", "en", "school", "list")

    assert (args.db, args.lang) == ("a.sqlite3", "en")


def test_the_last_db_wins_when_given_twice() -> None:
    assert parse("--db", "a", "school", "list", "--db", "b").db == "b"


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: " ".join(a) or "root")
def test_help_everywhere(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse(*argv, "--help")

    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: drillplanner" + "".join(f" {a}" for a in argv))
    assert "--db" in out
    assert "--lang" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse("--version")

    assert exited.value.code == 0
    assert capsys.readouterr().out == "drillplanner 0.1.0\n"


@pytest.mark.parametrize("argv", [
    ["nonsense"],
    ["school"],
    ["school", "remove", "x"],
    ["classes", "list", "--format", "xml"],
    ["school", "add"],
    ["school", "add", "x", "--target", "three minutes"],
    ["roster", "import"],
    ["--lang", "fr", "school", "list"],
])
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse(*argv)

    assert exited.value.code == 2
    assert "usage: drillplanner" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "expected"), [
    (["--lang", "zh_CN", "school", "list"], "zh_CN"),
    (["school", "list", "--lang=en"], "en"),
    (["--lang", "en", "school", "list", "--lang", "zh_CN"], "zh_CN"),
    (["roster", "import", "--", "--lang"], None),
    (["school", "list"], None),
    (["--lang"], None),
])
def test_language_is_found_anywhere_before_parsing(argv: list[str], expected: str | None) -> None:
    assert requested_language(argv) == expected


def test_language_follows_the_system_locale_without_lang(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    i18n.set_language("en")

    parse("school", "list")

    assert i18n.current_language() == "en"


def test_chinese_is_requested_by_lang(capsys: pytest.CaptureFixture[str]) -> None:
    installed = (Path(i18n.catalogue_dir()) / "zh_CN" / "LC_MESSAGES" / "drillplanner.mo"
                 ).exists()

    parse("--lang", "zh_CN", "school", "list")

    if installed:
        assert i18n.current_language() == "zh_CN"
    else:
        # A checkout without the compiled catalogue works on in English and says why.
        assert i18n.current_language() == "en"
        assert "no translations are installed for zh_CN" in capsys.readouterr().err


def test_demo_and_db_together_is_a_usage_error(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    rc = run(parse("--demo", "--db", str(tmp_path / "x.sqlite3"), "school", "list"))

    assert rc == 2
    assert "--demo" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite3").exists()


def test_main_without_a_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en"]) == 2
    assert "usage: drillplanner" in capsys.readouterr().out


def test_user_error_is_one_line_on_stderr_exit_1(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.sqlite3"
    assert run(parse("--db", str(db), "school", "add", "高马小学")) == 0
    capsys.readouterr()

    rc = run(parse("--db", str(db), "school", "add", "高马小学"))

    captured = capsys.readouterr()
    assert rc == 1
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("drillplanner: error: ")
    assert "高马小学" in captured.err


def test_validation_error_from_a_service_exits_1(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rc = run(parse("--db", str(tmp_path / "s.sqlite3"), "school", "add", "甲", "--target", "0"))

    assert rc == 1
    assert "at least 1" in capsys.readouterr().err


def test_unexpected_error_goes_to_the_log_and_exits_3(
        tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("kaputt 42")

    monkeypatch.setattr("drillplanner.services.schools.list_schools", broken)
    db = tmp_path / "s.sqlite3"
    assert run(parse("--db", str(db), "init")) == 3

    err = capsys.readouterr().err
    log_file = log_dir() / "drillplanner.log"
    assert err.count("\n") == 1
    assert err.startswith("drillplanner: error: internal error: RuntimeError: kaputt 42")
    assert str(log_file) in err
    for handler in logging.getLogger("drillplanner").handlers:
        handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "kaputt 42" in logged


def test_json_output_in_process(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = run(parse("classes", "list", "--school", "郑家镇东小学", "--format", "json",
                   "--db", str(demo_db)))

    assert rc == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["full_name"] for r in records][:3] == ["一年级1班", "一年级2班", "二年级1班"]
    assert {r["assembly_area"] for r in records} == {"操场东侧", "操场西侧"}


@pytest.mark.parametrize("url", ["nosuch://host/db", "postgresql+psycopg://u:secret@127.0.0.1:1/x",
                                 "://nothing"])
def test_a_database_url_that_cannot_work_is_a_user_error(
        url: str, capsys: pytest.CaptureFixture[str]) -> None:
    rc = run(parse("--db", url, "school", "list"))

    err = capsys.readouterr().err
    assert rc == 1, err
    assert err.startswith("drillplanner: error: ")
    assert err.count("\n") == 1
    assert "secret" not in err


def test_importing_into_a_missing_database_does_not_create_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("grade,class,enrolled\n一年级,1班,30\n", encoding="utf-8")
    db = tmp_path / "typo.sqlite3"

    assert run(parse("roster", "import", str(roster), "--db", str(db))) == 1

    assert "drillplanner init" in capsys.readouterr().err
    assert not db.exists()
