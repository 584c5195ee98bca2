"""Arbitrary files through read_roster + import_roster: only RosterError may escape, a
failed import leaves the database exactly as it was, every message stays under
MESSAGE_LIMIT characters and reading plus importing stays within the time and memory bounds
of ``bounds`` (large and hostile files included)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from bounds import TIME_LIMIT, bounded, check_messages, check_usage
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from snapshot import dump

from drillplanner.domain.roster import RosterError
from drillplanner.io.roster_columns import SYNONYMS
from drillplanner.io.roster_files import read_roster
from drillplanner.services import classes, facilities, schools
from drillplanner.services.roster import import_roster
from drillplanner.storage.database import Database

FUZZ = settings(max_examples=150, deadline=TIME_LIMIT * 2,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
# Hostile examples are large: their repr in a failure report may be too.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")



@pytest.fixture
def school_id(db: Database) -> int:
    school = schools.add_school(db, "道口铺街道中心学校").value
    facilities.add_building(db, school.id, "教学楼", 3)
    facilities.add_area(db, school.id, "操场")
    grade = classes.add_grade(db, school.id, "一年级").value
    classes.add_class(db, school.id, grade.id, "1班", 40)
    return school.id


def import_file(db: Database, school_id: int, path: Path) -> None:
    """Import ``path``; check the outcome whichever way it goes."""
    before = dump(db)
    try:
        with bounded() as usage:
            roster = read_roster(path)
            summary = import_roster(db, school_id, roster, remove_absent=False).value
    except RosterError as error:
        check_usage(usage, f"reading and importing {path.name}")
        check_messages(error, error.problems)
        assert error.problems
        assert all(p.message and p.file == path.name for p in error.problems)
        assert dump(db) == before
        event("refused")
        return
    check_usage(usage, f"reading and importing {path.name}")
    event("imported")
    stored = {(c.grade_name, c.name): c.enrolled for c in classes.list_classes(db, school_id)}
    for row in roster.rows:
        assert stored[(row.grade, row.class_name)] == row.enrolled
    assert len(summary.added) + len(summary.updated) + len(summary.unchanged) == len(roster.rows)


_HEADERS = [name for names in SYNONYMS.values() for name in names]
_HEADER_ROW = st.lists(st.sampled_from(_HEADERS), min_size=3, max_size=9)
# Cells that sometimes make sense, so imports succeed often enough to be exercised too.
_CELL = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["一年级", "二年级", "1班", "2班", "教学楼", "操场", "实验楼", "张丽",
                     "", " ", "0", "40", "-1", "45.5", "1e3", "3楼", "NaN", '"', "\r\n"]),
    st.integers(-5, 600).map(str),
)
_ROWS = st.lists(st.lists(_CELL, max_size=10), max_size=8)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"])


@FUZZ
@given(data=st.one_of(
    st.binary(max_size=400),
    st.tuples(st.sampled_from(["年级,班级,人数\n", "grade,class,enrolled,floor,building\r\n"]),
              _ENCODINGS, st.binary(max_size=200))
    .map(lambda t: t[0].encode(t[1]) + t[2]),
))
def test_arbitrary_bytes(db: Database, school_id: int, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    import_file(db, school_id, path)


@FUZZ
@given(header=st.one_of(_HEADER_ROW, st.lists(_CELL, max_size=10)), rows=_ROWS,
       encoding=_ENCODINGS, delimiter=st.sampled_from([",", ",", ";", "\t"]))
def test_arbitrary_csv_text(db: Database, school_id: int, tmp_path: Path, header: list[str],
                            rows: list[list[str]], encoding: str, delimiter: str) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows([header, *rows])
    path = tmp_path / "fuzz.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    import_file(db, school_id, path)


@FUZZ
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_arbitrary_text_after_a_good_header(db: Database, school_id: int, tmp_path: Path,
                                            text: str) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(("年级,班级,人数,楼层,楼栋,集合区域\n" + text).encode())
    import_file(db, school_id, path)


def _mostly(good: list[str], bad: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Good values 29 times in 30, so that whole rosters get through now and then."""
    # Not 0 or 29: Hypothesis draws the ends of a range far more often than the middle.
    return st.integers(0, 29).flatmap(lambda n: bad if n == 13 else st.sampled_from(good))


_PLAUSIBLE: dict[str, st.SearchStrategy[str]] = {
    "grade": _mostly(["一年级", "二年级", "Grade 3"], st.sampled_from(["", "x" * 51])),
    "class": _mostly(["1班", "2班", "3班", "A"], st.text(max_size=3)),
    "enrolled": _mostly(["0", "40", "45", "500"], st.sampled_from(["", "-1", "4.5", "501"])),
    "homeroom_teacher": _mostly(["", "张丽", "李明", " 张丽 "], st.just("x" * 101)),
    "room": _mostly(["", "101", "102"], st.just("x" * 51)),
    "floor": _mostly(["", "", "1", "3", "2楼"], st.sampled_from(["0", "4", "x"])),
    "building": _mostly(["教学楼", "教学楼", ""], st.just("实验楼")),
    "assembly_area": _mostly(["", "操场"], st.just("后院")),
}


@st.composite
def plausible_rosters(draw: st.DrawFn) -> list[list[str]]:
    optional = [k for k in _PLAUSIBLE if k not in ("grade", "class", "enrolled")]
    keys = ["grade", "class", "enrolled", *draw(st.lists(st.sampled_from(optional),
                                                         unique=True))]
    keys = draw(st.permutations(keys))
    header = [draw(st.sampled_from(SYNONYMS[key])) for key in keys]
    grade, name = keys.index("grade"), keys.index("class")
    rows = draw(st.lists(st.tuples(*(_PLAUSIBLE[key] for key in keys)), min_size=1,
                         max_size=6, unique_by=lambda row: (row[grade], row[name])))
    return [header, *[list(row) for row in rows]]


@FUZZ
@given(rows=plausible_rosters(), remove_absent=st.booleans(), dry_run=st.booleans())
def test_plausible_rosters(db: Database, school_id: int, tmp_path: Path,
                           rows: list[list[str]], remove_absent: bool, dry_run: bool) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_bytes(buffer.getvalue().encode("gb18030"))
    before = dump(db)
    try:
        with bounded() as usage:
            summary = import_roster(db, school_id, read_roster(path), dry_run=dry_run,
                                    remove_absent=remove_absent).value
    except RosterError as error:
        check_usage(usage)
        check_messages(error, error.problems)
        assert dump(db) == before
        event("refused")
        return
    check_usage(usage)
    event("imported")
    if dry_run:
        assert dump(db) == before
    else:
        names = [c.full_name for c in classes.list_classes(db, school_id)]
        assert set(summary.added) <= set(names)
        assert not set(summary.removed) & set(names)


_XLSX_CELL = st.one_of(
    st.none(), st.integers(-10, 600), st.floats(allow_nan=True, allow_infinity=False),
    st.booleans(), st.dates(), _CELL.map(lambda s: "".join(c for c in s if c.isprintable())),
)


@settings(FUZZ, max_examples=40)
@given(header=st.one_of(_HEADER_ROW, st.lists(_XLSX_CELL, max_size=8)),
       rows=st.lists(st.lists(_XLSX_CELL, max_size=8), max_size=6))
def test_arbitrary_workbook_cells(db: Database, school_id: int, tmp_path: Path,
                                  header: list[object], rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append(row)
    path = tmp_path / "fuzz.xlsx"
    book.save(path)
    import_file(db, school_id, path)


# Large and hostile files: sizes drawn, contents repeated (cheap to make, costly to misread).

_GOOD_HEADER = ["年级", "班级", "人数", "班主任", "楼层", "楼栋", "集合区域"]
# Control, bidi, zero-width characters and CSV specials a pasted name may carry.
_ODD = ["\x00", "\x1b[2J", "\u202e", "\u2066", "\u200b", "\ufeff", "\r", '"']


def _good_row(n: int) -> list[str]:
    return ["一年级", f"{n + 1}班", str(40 + n % 10), f"教师{n}", "2", "教学楼", "操场"]


@st.composite
def hostile_tables(draw: st.DrawFn) -> list[list[object]]:
    """A good header, then many good rows with one hostile thing: a huge cell, a very wide
    row, control and bidi characters, a formula, a row repeated (duplicate class)."""
    rows: list[list[object]] = [list(_GOOD_HEADER)]
    rows += [_good_row(n) for n in range(draw(st.integers(0, 2_000)))]
    trouble = draw(st.sampled_from(["huge cell", "wide row", "odd characters", "formula",
                                    "duplicate", "huge header", "none"]))
    where = draw(st.integers(0, len(rows) - 1))
    if trouble == "huge cell":
        column = draw(st.integers(0, len(_GOOD_HEADER) - 1))
        rows[where][column] = draw(st.sampled_from(["演", "9", "x,", "\u202e"])) * draw(
            st.integers(100, 300_000))
    elif trouble == "wide row":
        rows[where] = rows[where] + ["x"] * draw(st.integers(10, 5_000))
    elif trouble == "odd characters":
        column = draw(st.integers(0, len(_GOOD_HEADER) - 1))
        rows[where][column] = str(rows[where][column]) + draw(st.sampled_from(_ODD))
    elif trouble == "formula":
        rows[where][3] = "=HYPERLINK(\"http://x\",\"" + "x" * 5_000 + "\")"
    elif trouble == "duplicate" and len(rows) > 1:
        rows.append(list(rows[1 + where % (len(rows) - 1)]))
    elif trouble == "huge header":
        rows[0] = rows[0] + ["列" * 50_000]
    event(trouble)
    return rows


@settings(FUZZ, max_examples=10)
@given(rows=hostile_tables(), encoding=st.sampled_from(["utf-8", "gb18030"]))
def test_large_and_hostile_csv(db: Database, school_id: int, tmp_path: Path,
                               rows: list[list[object]], encoding: str) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path = tmp_path / "big.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, "replace"))
    import_file(db, school_id, path)


@settings(FUZZ, max_examples=6)
@given(rows=hostile_tables())
def test_large_and_hostile_workbook(db: Database, school_id: int, tmp_path: Path,
                                    rows: list[list[object]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    sheet = book.create_sheet("花名册")
    for row in rows:
        # Control characters a workbook cannot hold are left out (openpyxl refuses them).
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c
                      for c in row])
    path = tmp_path / "big.xlsx"
    book.save(path)
    import_file(db, school_id, path)
