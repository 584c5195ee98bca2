"""The demo schools' school year, holidays and events (resources/demo/calendar, "events")."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from drillplanner.domain.events import Event, EventKind, Recurrence
from drillplanner.domain.school_calendar import CalendarDay, DayKind
from drillplanner.services.calendar import add_day_in, add_school_year_in
from drillplanner.services.public_holidays import public_holidays
from drillplanner.services.schedule import add_event_in


def read_demo_calendar() -> Mapping[str, Any]:
    folder = resources.files("drillplanner") / "resources" / "demo" / "calendar"
    data: Mapping[str, Any] = json.loads(
        (folder / "school_year.json").read_text(encoding="utf-8"))
    return data


def add_demo_schedule(session: Session, school_id: int, country: str,
                      calendar: Mapping[str, Any], events: Iterable[Mapping[str, Any]]) -> None:
    """Give a new demo school the shared school year, its public holidays and its events."""
    year = calendar["school_year"]
    add_school_year_in(session, school_id, year["name"], date.fromisoformat(year["start"]),
                       date.fromisoformat(year["end"]),
                       [(t["name"], date.fromisoformat(t["start"]), date.fromisoformat(t["end"]))
                        for t in year["terms"]])
    entries = list(public_holidays(country, calendar.get("public_holidays", ())))
    entries += [CalendarDay(DayKind(e["kind"]), date.fromisoformat(e["start"]),
                            date.fromisoformat(e.get("end", e["start"])), e.get("name", ""))
                for e in calendar.get("entries", ())]
    for entry in entries:
        add_day_in(session, school_id, entry)
    session.flush()
    for item in events:
        add_event_in(session, Event(
            id=0, school_id=school_id, kind=EventKind(item["kind"]), title=item["title"],
            start=datetime.fromisoformat(item["start"]),
            duration=timedelta(minutes=item["minutes"]),
            recurrence=Recurrence(rule=item.get("rrule", ""),
                                  school_days_only=item.get("school_days_only", False)),
            description=item.get("description", ""), place=item.get("place", ""),
            announced=item.get("announced", True)))
