"""Start-up time: process start to main window shown, drillplanner vs a bare PySide6 window.

Both run as fresh processes in the same session (offscreen Qt), interleaved, several times;
the medians and their ratio are printed and, with --write, recorded in docs/benchmarks.md.
drillplanner opens its demo database (filled once before timing) and quits as soon as the
main window has been shown (DRILLPLANNER_QUIT_WHEN_SHOWN=1).

    .venv/bin/python benchmarks/startup.py [--runs 9] [--write]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from results import record

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1280, 800)
QTimer.singleShot(0, app.quit)
window.show()
app.exec()
"""


PHASES = """
import time
start = time.perf_counter()
marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import drillplanner.services.schools, drillplanner.services.classes
mark("import SQLAlchemy, storage and services")
from PySide6.QtWidgets import QApplication
mark("import PySide6 widgets")
from drillplanner import config
from drillplanner.ui.app import create_application, initial_school
from drillplanner.ui.context import AppContext
from drillplanner.ui.mainwindow import MainWindow
mark("import drillplanner.ui")
app = create_application()
from drillplanner.storage.database import open_database
db = open_database(config.data_dir() / "demo.sqlite3")
mark("open the demo database")
ctx = AppContext(db, "")
ctx.set_school(initial_school(db))
window = MainWindow(ctx)
mark("build the main window (first queries)")
window.show()
app.processEvents()
mark("show and paint")
previous = start
for name, at in marks:
    print(f"{name}\t{(at - previous) * 1000:.0f}")
    previous = at
"""


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--write", action="store_true", help="record in docs/benchmarks.md")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DRILLPLANNER_QUIT_WHEN_SHOWN="1",
                   XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config",
                   XDG_STATE_HOME=f"{home}/state", LANG="zh_CN.UTF-8")
        app = [sys.executable, "-m", "drillplanner", "--demo"]
        bare = [sys.executable, "-c", BARE]
        _time(app, env)  # first start creates and fills the demo database
        _time(bare, env)
        phases = subprocess.run([sys.executable, "-c", PHASES], env=env, check=True,
                                capture_output=True, text=True).stdout
        app_times, bare_times = [], []
        for _ in range(options.runs):
            app_times.append(_time(app, env))
            bare_times.append(_time(bare, env))
    app_median = statistics.median(app_times)
    bare_median = statistics.median(bare_times)
    ratio = app_median / bare_median
    lines = [
        f"- drillplanner (demo database, 4 schools) to main window shown: "
        f"median {app_median * 1000:.0f} ms (min {min(app_times) * 1000:.0f} ms)",
        f"- bare PySide6 QMainWindow shown: median {bare_median * 1000:.0f} ms "
        f"(min {min(bare_times) * 1000:.0f} ms)",
        f"- ratio {ratio:.2f} (target ≤ 1.3), {options.runs} interleaved runs each, "
        f"offscreen Qt",
        "",
        "Where drillplanner's start-up goes (one run, in-process, milliseconds):",
        "",
        "| phase | ms |",
        "| --- | ---: |",
        *(f"| {name} | {ms} |" for name, ms in (line.split("\t") for line in
                                               phases.strip().splitlines())),
    ]
    print("\n".join(lines))
    if options.write:
        record("Start-up", lines)


if __name__ == "__main__":
    main()
