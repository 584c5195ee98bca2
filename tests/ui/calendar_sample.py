"""A hand-made school calendar for the calendar GUI tests, and small helpers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QDialog

from drillplanner.domain.events import Event, EventKind, Participants, Recurrence
from drillplanner.domain.school_calendar import DayKind, SchoolYear
from drillplanner.services import calendar as calendar_service
from drillplanner.services import schedule
from drillplanner.storage.database import Database
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.event_dialog import EventDialog

#: "Today" in these tests: Monday 7 September 2026, the first full week of the year.
TODAY = date(2026, 9, 7)


def add_school_year(db: Database, school_id: int) -> SchoolYear:
    """2026-09-01..2027-07-15 in two terms, with a week's closure for National Day."""
    year = calendar_service.add_school_year(
        db, school_id, "2026-2027", date(2026, 9, 1), date(2027, 7, 15),
        [("First term", date(2026, 9, 1), date(2027, 1, 22)),
         ("Second term", date(2027, 2, 22), date(2027, 7, 15))]).value
    calendar_service.add_calendar_day(db, school_id, DayKind.HOLIDAY, date(2026, 10, 1),
                                      date(2026, 10, 7), "National Day")
    return year


def weekly(db: Database, school_id: int, title: str, start: datetime, days: str,
           until: str = "20261231T235959", place: str = "操场东侧",
           kind: EventKind = EventKind.FIRE, school_days_only: bool = False) -> Event:
    """A weekly event stored through the service (e.g. days="MO,WE")."""
    return schedule.add_event(db, Event(
        id=0, school_id=school_id, kind=kind, title=title, start=start,
        duration=timedelta(minutes=20),
        recurrence=Recurrence(rule=f"FREQ=WEEKLY;BYDAY={days};UNTIL={until}",
                              school_days_only=school_days_only),
        place=place)).value


def once(db: Database, school_id: int, title: str, start: datetime, minutes: int = 30,
         place: str = "操场东侧", kind: EventKind = EventKind.OTHER,
         participants: Participants | None = None) -> Event:
    return schedule.add_event(db, Event(id=0, school_id=school_id, kind=kind, title=title,
                                        start=start, duration=timedelta(minutes=minutes),
                                        place=place,
                                        participants=participants or Participants())).value


def days_of(month_days: Iterable[tuple[int, int]], year: int = 2026) -> list[date]:
    """[(9, 7), (9, 9)] -> [date(2026, 9, 7), date(2026, 9, 9)]."""
    return [date(year, month, day) for month, day in month_days]


def drive_dialog(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
                 edit: Callable[[EventDialog], object]) -> list[EventDialog]:
    """Replace EventDialog.ask by one that builds the real dialog, lets ``edit`` fill it
    and presses OK."""
    shown: list[EventDialog] = []

    def ask(cls: type[EventDialog], ctx: AppContext, school_id: int,
            **kwargs: object) -> Event | None:
        kwargs.pop("parent", None)
        dialog = cls(ctx, school_id, **kwargs)  # type: ignore[arg-type]
        qtbot.addWidget(dialog)
        shown.append(dialog)
        edit(dialog)
        dialog.accept()
        return dialog.saved if dialog.result() == QDialog.DialogCode.Accepted else None

    monkeypatch.setattr(EventDialog, "ask", classmethod(ask))
    return shown
