"""Every command run as a real process against a real database (a file, or PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import raw_sql

from drillplanner.config import data_dir
from drillplanner.storage.schema import HEAD

RunCli = Callable[..., subprocess.CompletedProcess[str]]

LIAOCHENG = "聊城市实验小学"
GAOMA = "道口铺街道中心学校高马小学"
ZHENGJIA = "郑家镇东小学"
DAOKOUPU = "道口铺街道中心学校"


def _rows(db: Path | str, sql: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in raw_sql.query(db, sql)]


def _class_count(path: Path | str) -> int:
    return int(str(_rows(path, "SELECT count(*) FROM classes")[0][0]))


def test_version_and_help(cli: RunCli) -> None:
    version = cli("--version", check_rc=0)
    assert version.stdout == "drillplanner 0.1.0\n"

    helped = cli("roster", "import", "--help", check_rc=0)
    assert helped.stdout.startswith("usage: drillplanner roster import")
    assert "--dry-run" in helped.stdout
    assert "--remove-absent" in helped.stdout


def test_building_the_parser_keeps_the_database_layer_unloaded() -> None:
    # The GUI's start-up builds this parser too; SQLAlchemy is loaded when a command runs.
    code = ("import sys; from drillplanner.cli.main import build_parser; "
            "build_parser(['--help-not-given']); "
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'openpyxl') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)

    assert result.stdout.strip() == "[]"


def test_init_demo_and_listing_a_new_database(cli: RunCli, empty_target: Path | str) -> None:
    db = empty_target
    assert raw_sql.revision(db) is None if isinstance(db, str) else not db.exists()

    init = cli("init", "--db", db, check_rc=0)
    assert str(db) in init.stdout
    assert raw_sql.revision(db) == HEAD

    demo = cli("--db", db, "demo", check_rc=0)
    for name in (LIAOCHENG, GAOMA, ZHENGJIA, DAOKOUPU):
        assert name in demo.stdout
    assert "36" in demo.stdout  # Liaocheng's classes

    again = cli("demo", "--db", db, check_rc=0)
    assert "nothing was added" in again.stdout
    assert _class_count(db) == 36 + 12 + 9 + 6

    listed = json.loads(cli("school", "list", "--format", "json", "--db", db,
                            check_rc=0).stdout)
    by_name = {s["name"]: s for s in listed}
    assert set(by_name) == {LIAOCHENG, GAOMA, ZHENGJIA, DAOKOUPU}
    assert by_name[GAOMA]["parent"] == DAOKOUPU
    assert by_name[LIAOCHENG]["classes"] == 36
    assert by_name[LIAOCHENG]["evacuation_target_seconds"] == 180


def test_classes_list_in_every_format(cli: RunCli, demo_db: Path) -> None:
    table = cli("classes", "list", "--school", GAOMA, "--db", demo_db, check_rc=0).stdout
    lines = table.splitlines()
    assert lines[0] == GAOMA
    assert "Homeroom teacher" in lines[1]
    assert sum("1班" in line for line in lines) == 6
    assert lines[-1].startswith("6 classes")

    as_csv = cli("classes", "list", "--school", LIAOCHENG, "--format", "csv", "--db", demo_db,
                 check_rc=0).stdout
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert len(rows) == 36
    assert rows[0]["grade"] == "一年级"
    assert rows[0]["class"] == "1班"
    assert rows[-1]["grade"] == "六年级"
    assert all(row["homeroom_teacher"] and row["route"] for row in rows)

    as_json = json.loads(cli("classes", "list", "--school", ZHENGJIA, "--format", "json",
                             "--db", demo_db, check_rc=0).stdout)
    assert len(as_json) == 9
    first = as_json[0]
    assert (first["full_name"], first["building"], first["floor"], first["room"]) == (
        "一年级1班", "教学楼", 1, "101")


def test_chinese_output_with_lang_zh_cn(cli: RunCli, demo_db: Path) -> None:
    result = cli("--lang", "zh_CN", "classes", "list", "--school", GAOMA, "--db", demo_db,
                 check_rc=0)

    for grade in ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级"):
        assert grade in result.stdout
    assert "操场东侧" in result.stdout

    after = cli("classes", "list", "--school", GAOMA, "--db", demo_db, "--lang", "zh_CN",
                check_rc=0)
    assert after.stdout == result.stdout


def test_school_add_with_parent_and_errors(cli: RunCli, demo_db: Path) -> None:
    cli("school", "add", "道口铺街道中心学校李庄小学", "--parent", DAOKOUPU, "--target", "150",
        "--db", demo_db, check_rc=0)
    assert _rows(demo_db, "SELECT s.evacuation_target_seconds, p.name FROM schools s "
                          "JOIN schools p ON s.parent_id = p.id WHERE s.name LIKE '%李庄%'"
                 ) == [(150, DAOKOUPU)]

    duplicate = cli("school", "add", LIAOCHENG, "--db", demo_db, check_rc=1)
    assert duplicate.stderr.startswith("drillplanner: error: ")
    assert duplicate.stderr.count("\n") == 1
    assert LIAOCHENG in duplicate.stderr

    bad_zone = cli("school", "add", "新学校", "--timezone", "Mars/Olympus", "--db", demo_db,
                   check_rc=1)
    assert "Mars/Olympus" in bad_zone.stderr

    no_parent = cli("school", "add", "新学校", "--parent", "不存在的中心校", "--db", demo_db,
                    check_rc=1)
    assert "不存在的中心校" in no_parent.stderr
    assert _rows(demo_db, "SELECT count(*) FROM schools WHERE name = '新学校'") == [(0,)]

    usage = cli("school", "add", "新学校", "--target", "soon", "--db", demo_db, check_rc=2)
    assert "usage:" in usage.stderr


def test_several_schools_need_school(cli: RunCli, demo_db: Path) -> None:
    result = cli("classes", "list", "--db", demo_db, check_rc=1)

    assert "--school" in result.stderr
    assert LIAOCHENG in result.stderr


def test_roster_round_trip_on_the_only_school(cli: RunCli, empty_target: Path | str,
                                             tmp_path: Path) -> None:
    db = empty_target
    cli("school", "add", ZHENGJIA, "--db", db, check_rc=0)
    roster = tmp_path / "classes.csv"
    roster.write_text(
        "年级,班级,人数,班主任,备注\n"
        "一年级,1班,31,吴海涛,\n"
        "一年级,2班,29,郝兆伟,新班\n"
        "二年级,1班,33,,\n", encoding="utf-8")

    dry = cli("roster", "import", roster, "--dry-run", "--db", db, check_rc=0)
    assert "nothing was written" in dry.stdout
    assert "一年级2班" in dry.stdout
    assert "备注" in dry.stderr  # the unknown column is named, not guessed
    assert _class_count(db) == 0

    done = cli("roster", "import", roster, "--db", db, check_rc=0)
    assert "一年级1班" in done.stdout
    assert _class_count(db) == 3

    exported = tmp_path / "out.csv"
    cli("roster", "export", exported, "--db", db, check_rc=0)
    text = exported.read_text(encoding="utf-8-sig")
    assert "一年级" in text
    assert "郝兆伟" in text

    again = cli("roster", "import", exported, "--db", db, check_rc=0)
    unchanged = next(line for line in again.stdout.splitlines() if "unchanged" in line)
    assert " 3 " in unchanged
    assert _class_count(db) == 3


def test_reimport_reports_absent_and_removes_on_request(cli: RunCli, demo_db: Path,
                                                        tmp_path: Path) -> None:
    roster = tmp_path / "gaoma.csv"
    roster.write_text("grade,class,enrolled\n一年级,1班,31\n二年级,1班,24\n",
                      encoding="utf-8")

    kept = cli("roster", "import", roster, "--school", GAOMA, "--db", demo_db, check_rc=0)
    assert "absent" in kept.stdout
    assert "六年级1班" in kept.stdout
    assert "--remove-absent" in kept.stdout
    gaoma_classes = ("SELECT count(*) FROM classes c JOIN grades g ON c.grade_id = g.id "
                     "JOIN schools s ON g.school_id = s.id WHERE s.name = '" + GAOMA + "'")
    assert _rows(demo_db, gaoma_classes) == [(6,)]

    cli("roster", "import", roster, "--school", GAOMA, "--remove-absent", "--db", demo_db,
        check_rc=0)
    assert _rows(demo_db, gaoma_classes) == [(2,)]


def test_bad_roster_lists_every_problem_with_its_line(cli: RunCli, demo_db: Path,
                                                      tmp_path: Path) -> None:
    roster = tmp_path / "bad.csv"
    roster.write_text("grade,class,enrolled\n"
                      "一年级,1班,30\n"
                      "一年级,2班,-4\n"
                      "二年级,1班,很多\n", encoding="utf-8")
    before = raw_sql.fingerprint(demo_db)

    result = cli("roster", "import", roster, "--school", GAOMA, "--db", demo_db, check_rc=1)

    lines = result.stderr.splitlines()
    assert all(line.startswith("drillplanner: error: ") for line in lines)
    assert any("bad.csv:3" in line and "-4" in line for line in lines), lines
    assert any("bad.csv:4" in line and "很多" in line for line in lines), lines
    assert result.stdout == ""
    assert raw_sql.fingerprint(demo_db) == before


def test_roster_import_of_a_missing_or_foreign_file(cli: RunCli, demo_db: Path,
                                                    tmp_path: Path) -> None:
    missing = cli("roster", "import", tmp_path / "nope.csv", "--school", GAOMA, "--db", demo_db,
                  check_rc=1)
    assert "nope.csv" in missing.stderr

    text = tmp_path / "roster.txt"
    text.write_text("grade,class,enrolled\n", encoding="utf-8")
    foreign = cli("roster", "import", text, "--school", GAOMA, "--db", demo_db, check_rc=1)
    assert ".txt" in foreign.stderr

    export = cli("roster", "export", tmp_path / "out.pdf", "--school", GAOMA, "--db", demo_db,
                 check_rc=1)
    assert ".csv" in export.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_database_from_a_newer_version_is_refused_and_untouched(cli: RunCli,
                                                                demo_db: Path | str) -> None:
    raw_sql.execute(demo_db, "UPDATE alembic_version SET version_num = '9999_future'")
    before = raw_sql.fingerprint(demo_db)

    for argv in (["classes", "list", "--school", GAOMA], ["demo"]):
        result = cli(*argv, "--db", demo_db, check_rc=1)
        assert result.stderr.count("\n") == 1
        assert "newer version" in result.stderr
        assert "9999_future" in result.stderr
    assert raw_sql.fingerprint(demo_db) == before
    if isinstance(demo_db, Path):
        assert not [p for p in demo_db.parent.iterdir() if ".before-" in p.name]  # no copy


def test_corrupt_database_file_is_refused_and_untouched(cli: RunCli, tmp_path: Path) -> None:
    db = tmp_path / "broken.sqlite3"
    db.write_bytes(random.Random(7).randbytes(8192))
    before = db.read_bytes()

    result = cli("school", "list", "--db", db, check_rc=1)

    assert result.stderr.startswith("drillplanner: error: ")
    assert result.stderr.count("\n") == 1
    assert str(db) in result.stderr
    assert db.read_bytes() == before


def test_reading_a_missing_database_does_not_create_it(cli: RunCli, tmp_path: Path) -> None:
    db = tmp_path / "typo.sqlite3"

    result = cli("classes", "list", "--db", db, check_rc=1)

    assert "drillplanner init" in result.stderr
    assert not db.exists()


def test_database_from_the_environment_and_the_demo_flag(cli: RunCli, demo_db: Path) -> None:
    from_env = cli("school", "list", "--format", "csv", env={"DRILLPLANNER_DB": str(demo_db)},
                   check_rc=0)
    assert len(list(csv.DictReader(io.StringIO(from_env.stdout)))) == 4

    demo = cli("--demo", "classes", "list", "--school", GAOMA, "--format", "json", check_rc=0)
    assert len(json.loads(demo.stdout)) == 6
    assert (data_dir() / "demo.sqlite3").exists()
