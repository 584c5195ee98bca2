"""Code rules for the write path: every public write in services is one operation that opens
one write transaction and returns its result with the Changes it made (Done)."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from pathlib import Path

import pytest

import drillplanner.services
from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.permissions import Op


@dataclass(frozen=True)
class Function:
    module: str
    name: str
    node: ast.FunctionDef

    @property
    def where(self) -> str:
        return f"{self.module}.{self.name} (line {self.node.lineno})"


def _service_modules() -> list[tuple[str, ast.Module]]:
    found = []
    for info in pkgutil.iter_modules(drillplanner.services.__path__):
        name = f"drillplanner.services.{info.name}"
        module = importlib.import_module(name)
        found.append((name, ast.parse(Path(inspect.getfile(module)).read_text("utf-8"))))
    return found


def _opens_write(node: ast.AST) -> int:
    """How many ``….write()`` units of work ``node`` opens itself."""
    return sum(1 for n in ast.walk(node) if isinstance(n, ast.Call)
               and isinstance(n.func, ast.Attribute) and n.func.attr == "write"
               and not n.args and not n.keywords)


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            if isinstance(n.func, ast.Name):
                names.add(n.func.id)
            elif isinstance(n.func, ast.Attribute):
                names.add(n.func.attr)
    return names


def _write_operations() -> list[Function]:
    """Public module-level functions that write, directly or through a private helper of
    their module that opens a write unit of work (``cancel_drill`` → ``_stop``)."""
    operations = []
    for module, tree in _service_modules():
        functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        writers = {name for name, node in functions.items() if _opens_write(node)}
        # Private helpers that write make their public callers operations too.
        changed = True
        while changed:
            changed = False
            for name, node in functions.items():
                if name not in writers and _called_names(node) & {
                        w for w in writers if w.startswith("_")}:
                    writers.add(name)
                    changed = True
        operations += [Function(module, name, functions[name]) for name in sorted(writers)
                       if not name.startswith("_")]
    return operations


OPERATIONS = _write_operations()


def test_the_rule_sees_the_operations() -> None:
    names = {f.name for f in OPERATIONS}
    # A rule that finds nothing would pass for any code.
    assert {"start_drill", "record_headcount", "add_school", "import_roster", "split_series",
            "cancel_drill", "add_calendar_day", "save_profile", "postpone_occurrence"} <= names
    assert len(OPERATIONS) > 50


@pytest.mark.parametrize("function", OPERATIONS, ids=lambda f: f"{f.module[20:]}.{f.name}")
def test_every_write_returns_done(function: Function) -> None:
    returns = function.node.returns
    assert returns is not None, f"{function.where} has no return annotation"
    text = ast.unparse(returns)
    assert text.startswith("Done["), (
        f"{function.where} writes but returns {text}, not Done[...] with its Changes")


@pytest.mark.parametrize("function", OPERATIONS, ids=lambda f: f"{f.module[20:]}.{f.name}")
def test_every_write_is_one_transaction(function: Function) -> None:
    """An operation opens at most one write unit of work and never calls another public
    operation (which would be a second transaction): its rules are checked where it writes."""
    assert _opens_write(function.node) <= 1, f"{function.where} opens several transactions"
    others = {f.name for f in OPERATIONS} - {function.name}
    chained = _called_names(function.node) & others
    assert not chained, f"{function.where} chains other operations: {sorted(chained)}"


#: Writes anyone may make: signing in counts wrong passwords before anyone is known.
UNGUARDED = {"authenticate"}


@pytest.mark.parametrize("function", OPERATIONS, ids=lambda f: f"{f.module[20:]}.{f.name}")
def test_every_write_is_checked_against_the_permission_table(function: Function) -> None:
    """``@operation(Op.…)`` on every write: none can escape the roles (services/
    authorization.py); the table test (test_permissions.py) covers each Op."""
    found = getattr(importlib.import_module(function.module), function.name)
    if function.name in UNGUARDED:
        assert not hasattr(found, "operation")
        return
    assert isinstance(getattr(found, "operation", None), Op), (
        f"{function.where} writes without @operation(Op.…): nobody's roles are checked")


def test_changes_travel_as_ids_and_kinds() -> None:
    changes = (Changes.of(Kind.DRILL, 7) | Changes.of(Kind.HEADCOUNT, 7)
               | Changes.of(Kind.CALENDAR) | Changes.of(Kind.PROFILE, "cn_moe_2014"))
    text = changes.to_json()
    assert text == ('{"calendar":null,"drill":[7],"headcount":[7],'
                    '"profile":["cn_moe_2014"]}')
    assert Changes.from_json(text) == changes
    assert changes.touches(Kind.DRILL) and not changes.touches(Kind.CLASS)
    assert changes.touches_record(Kind.DRILL, 7) and not changes.touches_record(Kind.DRILL, 8)
    # Ids unknown: any record of that kind may have changed.
    assert changes.touches_record(Kind.CALENDAR, 3) and changes.ids(Kind.CALENDAR) is None
    assert changes.ids(Kind.DRILL) == {7}
    assert not Changes() and Changes.of(Kind.CLASS, 1)


def test_a_newer_builds_kinds_are_dropped_and_bad_notices_refused() -> None:
    assert Changes.from_json('{"drill":[1],"medal":[2]}') == Changes.of(Kind.DRILL, 1)
    for bad in ('[1, 2]', '{"drill": "7"}', '{"drill": [true]}', '{"drill": [[1]]}'):
        with pytest.raises(ValueError):
            Changes.from_json(bad)


def test_done_holds_value_and_changes() -> None:
    done = Done(3, Changes.of(Kind.CLASS, 3))
    assert done.value == 3 and done.changes.ids(Kind.CLASS) == {3}
