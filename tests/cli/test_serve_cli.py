"""``drillplanner serve``: the URL first, phones report through it, and it ends by itself
at the all clear."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from drillplanner.domain.events import EventKind
from drillplanner.services import classes, drills, headcounts, schools
from drillplanner.storage.database import open_database


def _school(path: Path, *, start: bool = True) -> int:
    db = open_database(path)
    try:
        school = schools.add_school(db, "聊城市实验小学").value
        grade = classes.add_grade(db, school.id, "一年级").value
        classes.add_class(db, school.id, grade.id, "1班", 40)
        classes.add_class(db, school.id, grade.id, "2班", 38)
        if not start:
            return 0
        return drills.start_drill(db, school.id, kind=EventKind.FIRE).value.id
    finally:
        db.close()


def _serve(path: Path, *args: str) -> subprocess.Popen[str]:
    environment = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen(
        [sys.executable, "-m", "drillplanner", "serve", "--db", str(path), "--host",
         "127.0.0.1", "--port", "0", "--grace", "0.5", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        env=environment)


def test_serve_prints_the_url_first_and_stops_at_the_all_clear(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite3"
    run_id = _school(path)
    with _serve(path, "--class-links") as process:
        try:
            assert process.stdout is not None and process.stderr is not None
            url = process.stdout.readline().strip()
            assert url.startswith("http://127.0.0.1:") and "/p/" in url and url.endswith("/")
            qr = [process.stdout.readline() for _ in range(3)]
            assert any("█" in line or "▀" in line or "▄" in line for line in qr)
            answer = httpx.post(url + "headcounts", json={
                "class": "一年级1班", "present": 40, "entry_id": str(uuid.uuid4())},
                timeout=10)
            assert answer.status_code == 200, answer.text
            db = open_database(path)
            try:
                assert headcounts.rollup(db, run_id).totals.present == 40
                drills.finish_drill(db, run_id)
            finally:
                db.close()
            process.wait(timeout=15)
            # communicate() would skip what readline() already buffered.
            out, err = process.stdout.read(), process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    class_lines = [line for line in out.splitlines() if "\t" in line]
    assert [line.split("\t")[0] for line in class_lines] == ["一年级1班", "一年级2班"]
    assert all("/p/" in line for line in class_lines)
    assert "over" in err


def test_serve_without_a_running_drill_says_so(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite3"
    _school(path, start=False)
    process = _serve(path)
    out, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert out == ""
    assert "No drill is running" in err


@pytest.mark.parametrize("drill", ["99", "abc"])
def test_serve_of_an_unknown_drill_says_so(tmp_path: Path, drill: str) -> None:
    path = tmp_path / "school.sqlite3"
    _school(path)
    process = _serve(path, "--drill", drill)
    out, err = process.communicate(timeout=60)
    assert process.returncode != 0
    assert out == ""
    assert drill in err


def test_links_lists_each_class_and_renew_replaces_them(tmp_path: Path) -> None:
    path = tmp_path / "school.sqlite3"
    _school(path, start=False)
    command = [sys.executable, "-m", "drillplanner", "links", "--db", str(path), "--host",
               "10.0.0.5"]
    environment = {**os.environ, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}

    def listed(*more: str) -> dict[str, str]:
        done = subprocess.run([*command, *more], capture_output=True, text=True,
                              encoding="utf-8", env=environment, timeout=60, check=True)
        return dict(line.split("\t") for line in done.stdout.splitlines())

    before = listed()
    assert list(before) == ["一年级1班", "一年级2班"]
    assert all(url.startswith("http://10.0.0.5:8765/p/") for url in before.values())
    assert listed() == before
    renewed = listed("--renew")
    assert list(renewed) == list(before)
    assert not set(renewed.values()) & set(before.values())
