"""``drillplanner report`` run as a user runs it, on the demo schools, each PDF read back."""

from __future__ import annotations

import calendar
import io
import re
import subprocess
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from drillplanner import i18n
from drillplanner.cli.main import main
from drillplanner.domain.drill_runs import DrillRun, RunStatus
from drillplanner.domain.structure import School, SchoolClass
from drillplanner.reports import fonts
from drillplanner.services import calendar as calendar_service
from drillplanner.services import classes, drills, schools
from drillplanner.storage.database import Database, open_database

RunCli = Callable[..., subprocess.CompletedProcess[str]]

LIAOCHENG = "聊城市实验小学"
ZHENGJIA = "郑家镇东小学"
A4 = (595, 842)
LETTER = (612, 792)


@pytest.fixture
def demo(demo_db: Path) -> Iterator[Database]:
    """The demo database the command works on, open for deriving what to expect."""
    database = open_database(demo_db)
    yield database
    database.close()


def school(db: Database, name: str) -> School:
    return next(s for s in schools.list_schools(db) if s.name == name)


def completed_run(db: Database, name: str) -> DrillRun:
    """The school's latest completed drill (the demo holds them in September and
    October 2026)."""
    return next(r for r in drills.list_runs(db, school(db, name).id)
                if r.status is RunStatus.COMPLETED)


def full_name(school_class: SchoolClass) -> str:
    return school_class.grade_name + school_class.name


def pdf(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


def text_of(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """Text without spaces and line breaks: a long name may wrap inside a table cell."""
    return re.sub(r"\s+", "", text)


def sizes(reader: PdfReader) -> set[tuple[int, int]]:
    """Every page's size in points, the short side first."""
    found = set()
    for page in reader.pages:
        short, long = sorted((round(float(page.mediabox.width)),
                              round(float(page.mediabox.height))))
        found.add((short, long))
    return found


def assert_wrote(result: subprocess.CompletedProcess[str], path: Path, pages: int,
                 language: str = "en") -> None:
    """The command named the file and its page count, in ``language`` as the catalogue
    has it."""
    line = in_language(language, lambda: i18n.ngettext(
        "Wrote {file}: {n} page.", "Wrote {file}: {n} pages.", pages).format(
            file=path.resolve(), n=pages))
    assert result.stdout == line + "\n"


def in_language(language: str, text: Callable[[], str]) -> str:
    before = i18n.current_language()
    i18n.set_language(language)
    try:
        return text()
    finally:
        i18n.set_language(before)


def in_chinese(message: str) -> str:
    return in_language("zh_CN", lambda: i18n._(message))


def written(folder: Path) -> list[str]:
    """The files in ``folder`` besides the test's database (a file on SQLite)."""
    return sorted(p.name for p in folder.iterdir() if p.name != "demo.sqlite3")


def test_drill_report_in_chinese(cli: RunCli, demo_db: Path, demo: Database,
                                 tmp_path: Path) -> None:
    run = completed_run(demo, LIAOCHENG)
    out = tmp_path / "演练.pdf"
    result = cli("report", "drill", str(run.id), "-o", out, "--db", demo_db, "--lang",
                 "zh_CN", check_rc=0)

    reader = pdf(out)
    assert_wrote(result, out, len(reader.pages), "zh_CN")
    text = text_of(reader)
    assert LIAOCHENG in text
    assert in_chinese("Drill report") in text
    assert run.title in text
    school_classes = classes.list_classes(demo, run.school_id)
    assert [c for c in school_classes if full_name(c) not in text] == []
    # The school's roll (every class's enrolment, summed here from the class list) is the
    # report's on-roll total.
    assert str(sum(c.enrolled for c in school_classes)) in text.split()
    # A table of 36 classes in six grades, the record and the signatures: a few pages.
    assert 2 <= len(reader.pages) <= len(school_classes) // 6 + 3
    assert sizes(reader) == {A4}


def test_drill_report_in_english_checks_the_school(cli: RunCli, demo_db: Path,
                                                   demo: Database, tmp_path: Path) -> None:
    run = completed_run(demo, ZHENGJIA)
    out = tmp_path / "drill.pdf"
    result = cli("report", "drill", f"#{run.id}", "--school", ZHENGJIA, "-o", out, "--db",
                 demo_db, "--lang", "en", check_rc=0)
    assert_wrote(result, out, len(pdf(out).pages))
    text = text_of(pdf(out))
    assert "Drill report" in text and ZHENGJIA in text
    assert all(full_name(c) in text for c in classes.list_classes(demo, run.school_id))

    other = tmp_path / "other.pdf"
    refused = cli("report", "drill", str(run.id), "--school", LIAOCHENG, "-o", other,
                  "--db", demo_db, check_rc=1)
    assert refused.stderr == (f"drillplanner: error: Drill #{run.id} is not a drill of "
                              f"{LIAOCHENG}.\n")
    assert not other.exists()


def expected_period(db: Database, school_id: int) -> tuple[date, date]:
    """The current term where the school is, else the current month, from the school
    years as stored."""
    today = datetime.now(ZoneInfo(schools.get_school(db, school_id).timezone)).date()
    for year in calendar_service.list_school_years(db, school_id):
        for term in year.terms:
            if term.start <= today <= term.end:
                return term.start, term.end
        if year.start <= today <= year.end:
            started = [t for t in year.terms if t.start <= today]
            if started:
                latest = max(started, key=lambda t: t.start)
                return latest.start, latest.end
    return today.replace(day=1), today.replace(
        day=calendar.monthrange(today.year, today.month)[1])


def without_footer(text: str) -> str:
    # The footer holds the generation time, which moves between two runs.
    return "\n".join(line for line in text.splitlines() if not line.startswith("Generated"))


def test_term_summary_defaults_to_the_current_term(cli: RunCli, demo_db: Path,
                                                   demo: Database, tmp_path: Path) -> None:
    chosen = school(demo, LIAOCHENG)
    start, end = expected_period(demo, chosen.id)
    default, explicit = tmp_path / "default.pdf", tmp_path / "explicit.pdf"
    cli("report", "term", "--school", LIAOCHENG, "-o", default, "--db", demo_db,
        check_rc=0)
    cli("report", "term", "--school", LIAOCHENG, "--from", start.isoformat(), "--to",
        end.isoformat(), "-o", explicit, "--db", demo_db, check_rc=0)

    text = text_of(pdf(default))
    assert without_footer(text) == without_footer(text_of(pdf(explicit)))
    assert LIAOCHENG in text and "Drill summary" in text
    days = [r.day for r in drills.list_runs(demo, chosen.id) if r.day is not None]
    assert days
    for day in days:
        assert (day.isoformat() in text) == (start <= day <= end)


def test_letter_paper(cli: RunCli, demo_db: Path, tmp_path: Path) -> None:
    term, schedule = tmp_path / "term.pdf", tmp_path / "schedule.pdf"
    cli("report", "term", "--school", LIAOCHENG, "--from", "2026-09-01", "--to",
        "2026-10-31", "--paper", "letter", "-o", term, "--db", demo_db, check_rc=0)
    cli("report", "schedule", "--school", LIAOCHENG, "--from", "2026-09-01", "--to",
        "2026-10-31", "--paper", "letter", "-o", schedule, "--db", demo_db, check_rc=0)

    term_pages = pdf(term).pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in term_pages} == {LETTER}
    schedule_reader = pdf(schedule)
    assert sizes(schedule_reader) == {LETTER}
    text = text_of(schedule_reader)
    assert LIAOCHENG in text
    # Two months of calendar, then the agenda.
    assert len(schedule_reader.pages) >= 2


def test_rollcall_sheets_of_one_grade(cli: RunCli, demo_db: Path, demo: Database,
                                      tmp_path: Path) -> None:
    chosen = school(demo, ZHENGJIA)
    grade = classes.list_grades(demo, chosen.id)[1]
    mine = [c for c in classes.list_classes(demo, chosen.id) if c.grade_id == grade.id]
    out = tmp_path / "sheets.pdf"
    result = cli("report", "rollcall-sheets", "--school", ZHENGJIA, "--grade", grade.name,
                 "-o", out, "--db", demo_db, "--lang", "zh_CN", check_rc=0)

    reader = pdf(out)
    assert len(reader.pages) == len(mine)
    assert_wrote(result, out, len(mine), "zh_CN")
    for page, school_class in zip(reader.pages, mine, strict=True):
        text = page.extract_text()
        assert full_name(school_class) in text and ZHENGJIA in text
        assert str(school_class.enrolled) in text.split()
    others = [c for c in classes.list_classes(demo, chosen.id) if c.grade_id != grade.id]
    assert not any(full_name(c) in text_of(reader) for c in others)


def test_district_summary_lists_every_school(cli: RunCli, demo_db: Path, demo: Database,
                                             tmp_path: Path) -> None:
    out = tmp_path / "district.pdf"
    cli("report", "district", "--from", "2026-09-01", "--to", "2026-10-31", "-o", out,
        "--db", demo_db, check_rc=0)
    reader = pdf(out)
    text = text_of(reader)
    for each in schools.list_schools(demo):
        assert each.name in squeezed(text)
        size = sum(c.enrolled for c in classes.list_classes(demo, each.id))
        assert str(size) in text.split()
    assert 1 <= len(reader.pages) <= 2


def test_errors_leave_the_file_alone(cli: RunCli, demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"%PDF-1.4 the report filed last week")  # a PDF, so it may be replaced

    unknown = cli("report", "drill", "999", "-o", out, "--db", demo_db, check_rc=1)
    assert unknown.stderr == "drillplanner: error: Drill #999 does not exist.\n"
    backwards = cli("report", "term", "--school", LIAOCHENG, "--from", "2026-10-01", "--to",
                    "2026-09-01", "-o", out, "--db", demo_db, check_rc=1)
    assert "is before the start" in backwards.stderr
    no_year = cli("report", "term", "--school", LIAOCHENG, "--from", "2020-01-01", "--to",
                  "2020-03-31", "-o", out, "--db", demo_db, check_rc=1)
    assert no_year.stderr.startswith(
        f"drillplanner: error: No school year of {LIAOCHENG} covers 2020-01-01 to "
        "2020-03-31")
    bad_grade = cli("report", "rollcall-sheets", "--school", ZHENGJIA, "--grade", "九年级",
                    "-o", out, "--db", demo_db, check_rc=1)
    assert "No grade “九年级”" in bad_grade.stderr

    assert out.read_bytes() == b"%PDF-1.4 the report filed last week"
    assert written(tmp_path) == ["report.pdf"]

    missing_folder = tmp_path / "no such folder" / "report.pdf"
    refused = cli("report", "district", "-o", missing_folder, "--db", demo_db, check_rc=1)
    assert refused.stderr.startswith(f"drillplanner: error: Cannot write {missing_folder}:")


def test_missing_chinese_font(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    # A machine with no Chinese font anywhere: the real search, over nothing.
    real_find = fonts.find_font
    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.setattr(fonts, "find_font", lambda: real_find(known=(), fontconfig=list))
    out = tmp_path / "report.pdf"

    code = main(["report", "rollcall-sheets", "--school", ZHENGJIA, "-o", str(out), "--db",
                 str(demo_db)])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("drillplanner: error: No Chinese font that can be "
                                   "embedded in a PDF was found.")
    assert "fonts-wqy-microhei" in captured.err
    assert written(tmp_path) == []
