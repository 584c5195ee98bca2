"""Change notices for other computers: Changes to a compact payload and back, within
PostgreSQL's NOTIFY limit."""

from __future__ import annotations

import json

import pytest

from drillplanner.domain.changes import (
    EVERYTHING,
    NOTHING,
    PAYLOAD_LIMIT,
    Changes,
    Kind,
    Notice,
)


def test_ids_and_kinds_come_back_with_the_origin() -> None:
    changes = (Changes.of(Kind.DRILL, 7) | Changes.of(Kind.HEADCOUNT, 7)
               | Changes.of(Kind.CLASS, 3, 4) | Changes.of(Kind.PROFILE, "cn_moe_2014")
               | Changes.of(Kind.CALENDAR))
    payload = changes.to_payload("a1b2c3")
    assert payload == ('{"c":{"calendar":null,"class":[3,4],"drill":[7],'
                       '"headcount":[7],"profile":["cn_moe_2014"]},"o":"a1b2c3"}')
    assert Notice.from_payload(payload) == Notice(changes, "a1b2c3")
    assert Changes.from_payload(payload) == changes


def test_everything_and_nothing_round_trip() -> None:
    assert Changes.from_payload(EVERYTHING.to_payload()) == EVERYTHING
    assert Notice.from_payload(NOTHING.to_payload()) == Notice(NOTHING, "")


def test_too_many_ids_name_their_kinds_alone_largest_first() -> None:
    changes = (Changes.of(Kind.CLASS, *range(1, 3001)) | Changes.of(Kind.DRILL, 7)
               | Changes.of(Kind.STAFF, *range(1, 900)))
    payload = changes.to_payload("x")
    assert len(payload.encode()) <= PAYLOAD_LIMIT
    received = Changes.from_payload(payload)
    # The classes (most ids) lost theirs; what still fits keeps them.
    assert received.ids(Kind.CLASS) is None
    assert received.ids(Kind.DRILL) == {7}
    assert received.ids(Kind.STAFF) == frozenset(range(1, 900))
    assert received.kinds() == changes.kinds()


def test_the_limit_counts_bytes_of_non_ascii_ids() -> None:
    codes = [f"学校规则{n}" for n in range(600)]  # escaped as \\uXXXX: six bytes a character
    payload = Changes.of(Kind.PROFILE, *codes).to_payload(limit=2000)
    assert len(payload.encode()) <= 2000
    assert Changes.from_payload(payload) == Changes.of(Kind.PROFILE)
    short = Changes.of(Kind.PROFILE, "学校规则").to_payload()
    assert payload.isascii() and short.isascii()
    assert Changes.from_payload(short).ids(Kind.PROFILE) == {"学校规则"}


def test_kinds_of_a_newer_build_are_dropped() -> None:
    payload = json.dumps({"c": {"drill": [1], "sports_meet": [2]}, "o": "n", "v": 2})
    assert Notice.from_payload(payload) == Notice(Changes.of(Kind.DRILL, 1), "n")


@pytest.mark.parametrize("payload", [
    "not json", "[]", '{"o": "x"}', '{"c": []}', '{"c": {"drill": 7}}',
    '{"c": {"drill": [true]}}', '{"c": {}, "o": 5}',
])
def test_other_text_is_refused(payload: str) -> None:
    with pytest.raises(ValueError):
        Notice.from_payload(payload)
