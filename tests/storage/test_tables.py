"""The model modules share one Base without importing each other."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import drillplanner.storage

STORAGE = Path(drillplanner.storage.__file__).parent
MODEL_MODULES = sorted(path.stem for path in STORAGE.glob("models*.py"))


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_model_modules_import_base_not_each_other() -> None:
    assert MODEL_MODULES == ["models", "models_audit", "models_drills", "models_schedule",
                             "models_users"]
    for name in MODEL_MODULES:
        imported = _imported_modules(STORAGE / f"{name}.py")
        assert "drillplanner.storage.base" in imported, name
        others = {f"drillplanner.storage.{other}" for other in MODEL_MODULES}
        assert not imported & others, f"{name} imports {imported & others}"


def test_tables_registers_every_model_module() -> None:
    imported = _imported_modules(STORAGE / "tables.py")
    for name in MODEL_MODULES:
        assert f"drillplanner.storage.{name}" in imported, name


def test_each_model_module_imports_alone_without_the_others() -> None:
    for name in MODEL_MODULES:
        code = (
            "import sys\n"
            f"import drillplanner.storage.{name}\n"
            "loaded = sorted(m for m in sys.modules if m.startswith('drillplanner.storage.'))\n"
            "print(','.join(loaded))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True)
        loaded = set(result.stdout.strip().split(","))
        assert loaded == {"drillplanner.storage.base", f"drillplanner.storage.{name}"}, loaded


def test_tables_puts_every_table_on_one_metadata() -> None:
    from drillplanner.storage.base import Base
    from drillplanner.storage.tables import models, models_drills, models_schedule

    for module in (models, models_drills, models_schedule):
        for value in vars(module).values():
            table = getattr(value, "__table__", None)
            if isinstance(value, type) and table is not None:
                assert Base.metadata.tables[table.name] is table
