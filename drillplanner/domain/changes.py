"""What a write changed: the answer every service operation gives with its result.

A ``Changes`` value names the kinds of record an operation touched and, where it knows
them, their ids ("classes 3 and 4", "the calendar of school 1", "drill run 7"). Views
refresh only what overlaps what they show; the same value, serialised to JSON, is what
other computers and phones are told. It holds ids and kinds only, never names or figures,
so it can travel anywhere without disclosing a school's data.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

#: A record's id: a row id, or a code for records keyed by one (compliance profiles).
RecordId = int | str


class Kind(StrEnum):
    """The kinds of record a change can touch (stable names: they are serialised)."""

    SCHOOL = "school"
    BUILDING = "building"
    AREA = "area"
    ROUTE = "route"
    GRADE = "grade"
    CLASS = "class"
    STAFF = "staff"
    #: Calendar entries, school years and terms; the ids are those of the schools.
    CALENDAR = "calendar"
    #: Scheduled events and their occurrences (moved, cancelled, split series).
    EVENT = "event"
    #: Drill runs: started, finished, cancelled, postponed, their record, posts, actions.
    DRILL = "drill"
    #: Headcounts of drill runs (the ids are those of the runs).
    HEADCOUNT = "headcount"
    #: Compliance profiles (ids are profile codes).
    PROFILE = "profile"
    #: User accounts (ids: user ids).
    USER = "user"


#: PostgreSQL refuses a NOTIFY payload of 8000 bytes or more (the default build).
PAYLOAD_LIMIT = 7999


#: One touched record, or ``(kind, None)``: records of that kind, which ones unknown.
Touch = tuple[Kind, RecordId | None]


@dataclass(frozen=True, slots=True)
class Changes:
    """The records an operation changed. Combine with ``|``; empty when nothing changed."""

    touched: frozenset[Touch] = frozenset()

    @classmethod
    def of(cls, kind: Kind, *ids: RecordId | None) -> Changes:
        """Records of ``kind`` by id; with no ids, some records of that kind."""
        return cls(frozenset((kind, i) for i in ids) if ids else frozenset({(kind, None)}))

    @classmethod
    def of_kinds(cls, kinds: Iterable[Kind]) -> Changes:
        """Some records of each of ``kinds`` (which ones is not known)."""
        return cls(frozenset((kind, None) for kind in kinds))

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.touched | other.touched)

    def __bool__(self) -> bool:
        return bool(self.touched)

    @property
    def any(self) -> bool:
        return bool(self.touched)

    def kinds(self) -> frozenset[Kind]:
        return frozenset(kind for kind, _ in self.touched)

    def touches(self, *kinds: Kind) -> bool:
        """Whether any record of any of ``kinds`` changed."""
        wanted = set(kinds)
        return any(kind in wanted for kind, _ in self.touched)

    def touches_record(self, kind: Kind, record_id: RecordId) -> bool:
        """Whether that record changed (or some records of its kind, ids unknown)."""
        return (kind, record_id) in self.touched or (kind, None) in self.touched

    def ids(self, kind: Kind) -> frozenset[RecordId] | None:
        """The ids of ``kind`` that changed; None when some did and which is not known."""
        found = {i for k, i in self.touched if k is kind}
        if None in found:
            return None
        return frozenset(i for i in found if i is not None)

    # Serialised form: {"drill": [7], "class": [3, 4], "calendar": null} ------------------

    def to_json(self) -> str:
        by_kind: dict[str, list[RecordId] | None] = {}
        for kind in sorted(self.kinds()):
            ids = self.ids(kind)
            by_kind[kind.value] = None if ids is None else sorted(ids, key=_id_order)
        return json.dumps(by_kind, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Changes:
        """Read ``to_json``'s form back; kinds this build does not know are dropped.

        Raises:
            ValueError: when ``text`` is not that form.
        """
        return cls.from_mapping(json.loads(text))

    @classmethod
    def from_mapping(cls, data: object) -> Changes:
        """``from_json`` for the form already parsed (a dict of kind names to ids)."""
        if not isinstance(data, dict):
            raise ValueError("a change notice is a JSON object of kinds")
        touched: set[Touch] = set()
        for name, ids in data.items():
            try:
                kind = Kind(name)
            except ValueError:
                continue  # written by a newer build
            if ids is None:
                touched.add((kind, None))
            elif isinstance(ids, list) and all(
                    isinstance(i, str | int) and not isinstance(i, bool) for i in ids):
                touched.update((kind, i) for i in ids)
            else:
                raise ValueError(f"the ids of {name!r} are not a list of ids")
        return cls(frozenset(touched))

    # Change notices for other computers: {"c": <to_json's form>, "o": "<origin>"} ---------

    def to_payload(self, origin: str = "", limit: int = PAYLOAD_LIMIT) -> str:
        """This value as a change notice (PostgreSQL NOTIFY), at most ``limit`` bytes.

        ``origin`` names the database handle that wrote the change, so that it can skip
        its own notices. When the ids would make the notice too long (a bulk change of
        thousands of records), the kinds with the most ids are named without them, one by
        one until it fits: receivers then read again everything of those kinds, which is
        what they would do with that many ids anyway.
        """
        shortened = self
        payload = _payload(shortened.to_json(), origin)
        by_count = sorted(self.kinds(), key=lambda k: -len(self.ids(k) or ()))
        for kind in by_count:
            if len(payload) <= limit:  # ASCII only (json escapes the rest): chars are bytes
                break
            shortened = Changes(frozenset(t for t in shortened.touched if t[0] is not kind)
                                | {(kind, None)})
            payload = _payload(shortened.to_json(), origin)
        return payload

    @classmethod
    def from_payload(cls, text: str) -> Changes:
        """The changes of a notice ``to_payload`` wrote (see ``Notice.from_payload``)."""
        return Notice.from_payload(text).changes


def _payload(changes_json: str, origin: str) -> str:
    # The changes' own JSON text is spliced in as it is: it is already compact and sorted.
    return f'{{"c":{changes_json},"o":{json.dumps(origin)}}}'


@dataclass(frozen=True, slots=True)
class Notice:
    """A change notice as another computer receives it: what changed, and which database
    handle changed it (empty when not said)."""

    changes: Changes
    origin: str = ""

    @classmethod
    def from_payload(cls, text: str) -> Notice:
        """Read ``Changes.to_payload``'s form back; kinds this build does not know are
        dropped.

        Raises:
            ValueError: when ``text`` is not that form (not JSON, or other fields).
        """
        data = json.loads(text)
        if not isinstance(data, dict) or not isinstance(data.get("c"), dict):
            raise ValueError("a change notice is a JSON object with the changes under \"c\"")
        origin = data.get("o", "")
        if not isinstance(origin, str):
            raise ValueError("a change notice's origin is a string")
        return cls(Changes.from_mapping(data["c"]), origin)


def _id_order(value: RecordId) -> tuple[int, int, str]:
    return (0, value, "") if isinstance(value, int) else (1, 0, value)


#: Everything may have changed (another school chosen, a database reopened).
EVERYTHING = Changes.of_kinds(Kind)
NOTHING = Changes()


@dataclass(frozen=True, slots=True)
class Done(Generic[T]):
    """What a write operation returns: its result and what it changed."""

    value: T
    changes: Changes
