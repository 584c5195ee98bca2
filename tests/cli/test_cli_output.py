"""Tables, CSV and JSON as the command line prints them."""

from __future__ import annotations

import csv
import io
import json

from drillplanner.cli.output import (
    Column,
    display_width,
    pad,
    render,
    render_csv,
    render_json,
    render_table,
)

COLUMNS = [Column("grade", "Grade"), Column("class", "Class"),
           Column("enrolled", "Enrolled", numeric=True), Column("teacher", "Homeroom teacher")]
RECORDS = [
    {"grade": "一年级", "class": "1班", "enrolled": 45, "teacher": "张丽"},
    {"grade": "Grade 2", "class": "B", "enrolled": 7, "teacher": None},
    {"grade": "六年级", "class": "12班", "enrolled": 130, "teacher": "欧阳建国"},
]


def test_display_width_counts_wide_characters_twice() -> None:
    assert display_width("abc") == 3
    assert display_width("一年级") == 6
    assert display_width("1班") == 3
    assert display_width("ＡＢ") == 4  # full-width Latin letters
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert display_width("") == 0


def test_pad_fills_to_display_columns_left_or_right() -> None:
    assert pad("张丽", 6) == "张丽  "
    assert pad("7", 3, right=True) == "  7"
    assert pad("欧阳建国", 4) == "欧阳建国"  # never cut


def test_table_columns_line_up_on_screen_with_chinese_text() -> None:
    lines = render_table(COLUMNS, RECORDS).splitlines()

    assert lines[0].split() == ["Grade", "Class", "Enrolled", "Homeroom", "teacher"]
    assert set(lines[1].replace(" ", "")) == {"-"}
    # Each column starts at the same screen column on every line: the display width of the
    # text before a cell is the same as in the rule line.
    rule_starts = [i for i, ch in enumerate(lines[1]) if ch == "-" and (
        i == 0 or lines[1][i - 1] == " ")]
    for line, values in zip(lines[2:], RECORDS, strict=True):
        for start, column in zip(rule_starts, COLUMNS, strict=True):
            value = values[column.key]
            if value is None:
                continue
            text = str(value)
            index = line.index(text)
            screen_column = display_width(line[:index])
            if column.numeric:
                rule_end = lines[1].index(" ", start) if " " in lines[1][start:] else len(
                    lines[1])
                assert screen_column + display_width(text) == rule_end, (line, text)
            else:
                assert screen_column == start, (line, text)
    assert all(line == line.rstrip() for line in lines)


def test_csv_uses_keys_as_header_and_parses_back() -> None:
    text = render_csv(COLUMNS, RECORDS)

    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["grade"] for r in rows] == ["一年级", "Grade 2", "六年级"]
    assert rows[1]["teacher"] == ""
    assert rows[2]["enrolled"] == "130"


def test_csv_quotes_commas_and_flattens_newlines() -> None:
    text = render_csv([Column("name", "Name")], [{"name": "操场东侧, 北"}, {"name": "a\nb"}])

    assert [r["name"] for r in csv.DictReader(io.StringIO(text))] == ["操场东侧, 北", "a b"]


def test_json_keeps_chinese_and_nulls() -> None:
    text = render_json(RECORDS)

    assert "一年级" in text  # not \u-escaped
    assert json.loads(text) == RECORDS


def test_render_dispatches_on_format() -> None:
    assert json.loads(render("json", COLUMNS, RECORDS)) == RECORDS
    assert render("csv", COLUMNS, RECORDS).startswith("grade,class,enrolled,teacher\n")
    assert render("table", COLUMNS, []).splitlines()[0].startswith("Grade")


def test_the_school_totals_line_adds_up_with_students_found_later() -> None:
    from drillplanner.cli.drill_records import totals_text
    from drillplanner.domain.headcount import Totals

    line = totals_text(Totals(classes=3, reported=3, enrolled=98, absent=2, expected=96,
                              present=95, found=1, accounted=96))
    # 95 present + 1 found later + 0 still missing = 96 expected
    assert "expected 96: present 95, found later 1, still missing 0" in line
