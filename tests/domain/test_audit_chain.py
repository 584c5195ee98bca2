"""The audit chain as pure values: canonical content, hashes, and which row a check names."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, datetime

from hypothesis import given
from hypothesis import strategies as st

from drillplanner.domain.audit import (
    Action,
    AuditEntry,
    BreakKind,
    ChainRow,
    canonical_json,
    chain_hash,
    change_text,
    check_chain,
    field_changes,
)


def chain(count: int) -> list[ChainRow]:
    rows: list[ChainRow] = []
    previous = ""
    for number in range(1, count + 1):
        row = ChainRow(id=number, at=datetime(2026, 11, 9, 2, 0, number), actor="王老师",
                       school_id=1, run_id=None, entity="classes", entity_id=str(number),
                       action="insert", old="", new=canonical_json({"name": f"{number}班"}),
                       reason="", prev_hash=previous, hash="")
        row = replace(row, hash=chain_hash(previous, row.content()))
        rows.append(row)
        previous = row.hash
    return rows


def test_canonical_json_is_sorted_compact_iso_and_keeps_chinese() -> None:
    value = {"b": datetime(2026, 11, 9, 10, 0), "a": date(2026, 11, 9), "名": "一班",
             "n": None, "t": True}
    assert canonical_json(value) == ('{"a":"2026-11-09","b":"2026-11-09T10:00:00.000000",'
                                     '"n":null,"t":true,"名":"一班"}')


def test_the_hash_is_sha256_of_the_previous_hash_and_the_content() -> None:
    first, second = chain(2)
    assert first.hash == hashlib.sha256(first.content().encode()).hexdigest()
    assert second.hash == hashlib.sha256((first.hash + second.content()).encode()).hexdigest()
    assert second.content().startswith('{"action":"insert","actor":"王老师","at":"2026-11-09T02')


@given(st.integers(2, 12), st.data())
def test_any_altered_row_is_named(count: int, data: st.DataObject) -> None:
    rows = chain(count)
    target = data.draw(st.integers(0, count - 1))
    field = data.draw(st.sampled_from(["actor", "new", "entity_id", "reason", "at"]))
    changed = {"at": datetime(2020, 1, 1)} if field == "at" else {field: "x"}
    rows[target] = replace(rows[target], **changed)  # type: ignore[arg-type]
    result = check_chain(rows)
    assert result.problem is not None
    assert (result.problem.row_id, result.problem.kind) == (target + 1, BreakKind.ALTERED)


@given(st.integers(3, 12), st.data())
def test_any_removed_row_but_the_last_is_named(count: int, data: st.DataObject) -> None:
    rows = chain(count)
    target = data.draw(st.integers(0, count - 2))
    del rows[target]
    result = check_chain(rows)
    assert result.problem is not None
    assert (result.problem.row_id, result.problem.kind) == (target + 1, BreakKind.REMOVED)
    assert result.problem.found_at == target + 2


def test_a_removed_last_row_leaves_a_whole_shorter_chain() -> None:
    rows = chain(4)
    result = check_chain(rows[:-1])
    assert result.whole and result.rows == 3 and result.latest_hash == rows[2].hash


def test_an_entry_reads_as_old_to_new() -> None:
    entry = AuditEntry(id=1, at=datetime(2026, 11, 9), actor="", school_id=1, school="",
                       run_id=7, entity="drill_runs", entity_id="7", action=Action.UPDATE,
                       fields=field_changes({"weather": "", "announced": True},
                                            {"weather": "晴", "announced": False}),
                       reason="", hash="")
    assert change_text(entry) == "announced: true → false; weather: “” → “晴”"
    assert entry.old_values() == {"announced": True, "weather": ""}
