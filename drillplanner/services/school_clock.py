"""What day it is at a school: drills and reports are dated in the school's time zone, which
need not be the computer's."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from drillplanner.services.schools import get_school
from drillplanner.storage.database import Database


def school_today(db: Database, school_id: int | None, now: datetime | None = None) -> date:
    """The date at the school at ``now`` (default: now); the computer's date without a
    school or when its time zone is unknown here.

    Raises:
        NotFoundError: when there is no school ``school_id``.
    """
    moment = now or datetime.now().astimezone()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    if school_id is None:
        return moment.date()
    try:
        zone = ZoneInfo(get_school(db, school_id).timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return moment.date()
    return moment.astimezone(zone).date()
