"""A report sent with the sender's id is stored once, however often it is sent; phone
links are derived from the school's secret and renewed with it."""

from __future__ import annotations

import threading

import pytest

from drillplanner.domain.errors import ConflictError, ValidationError
from drillplanner.domain.events import EventKind
from drillplanner.services import classes, drills, headcounts, phone_links, schools
from drillplanner.storage.database import Database, open_database


@pytest.fixture
def run(db: Database) -> tuple[int, int, int]:
    school = schools.add_school(db, "聊城市实验小学").value
    grade = classes.add_grade(db, school.id, "一年级").value
    one = classes.add_class(db, school.id, grade.id, "1班", 40).value
    two = classes.add_class(db, school.id, grade.id, "2班", 38).value
    return drills.start_drill(db, school.id, kind=EventKind.FIRE).value.id, one.id, two.id


def test_the_same_id_twice_is_one_entry(db: Database, run: tuple[int, int, int]) -> None:
    run_id, class_id, _other = run
    first = headcounts.record_headcount(db, run_id, class_id, 39, missing=1, entry_id="e-1")
    again = headcounts.record_headcount(db, run_id, class_id, 39, missing=1, entry_id="e-1")
    assert first.changes and not again.changes
    assert again.value.id == first.value.id
    assert again.value.figures == first.value.figures
    assert len(headcounts.history(db, run_id, class_id)) == 1


def test_the_first_figures_stand_when_an_id_is_reused(db: Database,
                                                      run: tuple[int, int, int]) -> None:
    """A resend carries what was sent; different figures under the same id are the
    first report's, not a silent correction."""
    run_id, class_id, other = run
    headcounts.record_headcount(db, run_id, class_id, 40, entry_id="e-2")
    again = headcounts.record_headcount(db, run_id, class_id, 38, absent=2, entry_id="e-2")
    assert again.value.figures is not None and again.value.figures.present == 40
    with pytest.raises(ConflictError):
        headcounts.record_headcount(db, run_id, other, 38, entry_id="e-2")
    assert headcounts.history(db, run_id, other) == []


def test_without_ids_every_report_is_kept(db: Database, run: tuple[int, int, int]) -> None:
    run_id, class_id, _other = run
    headcounts.record_headcount(db, run_id, class_id, 40)
    headcounts.record_headcount(db, run_id, class_id, 40)
    headcounts.record_headcount(db, run_id, class_id, 40, entry_id="a")
    headcounts.record_headcount(db, run_id, class_id, 40, entry_id="b")
    assert len(headcounts.history(db, run_id, class_id)) == 4


@pytest.mark.parametrize("bad", ["", "   ", "x" * 65, "a\nb"])
def test_a_bad_id_is_refused(db: Database, run: tuple[int, int, int], bad: str) -> None:
    run_id, class_id, _other = run
    with pytest.raises(ValidationError) as refused:
        headcounts.record_headcount(db, run_id, class_id, 40, entry_id=bad)
    assert refused.value.field == "entry_id"


def test_resends_from_several_connections_are_stored_once(
        db_target: object, db: Database, run: tuple[int, int, int]) -> None:
    """Each thread opens its own handle on the database, as other computers would."""
    run_id, class_id, _other = run
    results: list[bool] = []

    def send() -> None:
        own = open_database(str(db_target))
        try:
            done = headcounts.record_headcount(own, run_id, class_id, 40, entry_id="same")
            results.append(bool(done.changes))
        finally:
            own.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 5 + [True]
    assert len(headcounts.history(db, run_id, class_id)) == 1


def test_links_are_stable_and_renewed_with_the_secret(db: Database,
                                                      run: tuple[int, int, int]) -> None:
    run_id, class_id, _other = run
    school_id = drills.get_run(db, run_id).school_id
    links = phone_links.drill_links(db, run_id)
    assert links == phone_links.drill_links(db, run_id)
    assert len(links.drill_token) == phone_links.TOKEN_LENGTH
    assert links.find(links.drill_token) == phone_links.Link(run_id)
    assert links.find(links.class_tokens[class_id]) == phone_links.Link(run_id, class_id)
    assert links.find("x" * phone_links.TOKEN_LENGTH) is None
    sheet = phone_links.class_urls(db, school_id, "http://10.0.0.5:8765")
    assert sheet[class_id] == f"http://10.0.0.5:8765/p/{links.class_tokens[class_id]}/"
    phone_links.renew_links(db, school_id)
    renewed = phone_links.drill_links(db, run_id)
    assert renewed.drill_token != links.drill_token
    assert renewed.find(links.drill_token) is None


def test_another_school_has_other_links(db: Database, run: tuple[int, int, int]) -> None:
    run_id, _class_id, _other = run
    school = schools.add_school(db, "高马小学").value
    other_run = drills.start_drill(db, school.id, kind=EventKind.FIRE).value.id
    mine = phone_links.drill_links(db, run_id)
    theirs = phone_links.drill_links(db, other_run)
    assert theirs.find(mine.drill_token) is None
    assert mine.find(theirs.drill_token) is None
