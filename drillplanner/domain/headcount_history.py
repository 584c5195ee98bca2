"""A class's record in a drill run as a history: every report, verification and finding,
with what it replaced, who typed it and when, and (after the all clear) why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from drillplanner.domain.headcount import Figures, HeadcountEntry, Resolution, Stage


@dataclass(frozen=True, slots=True)
class HistoryItem:
    """One change of a class's record: old → new figures (a verification changes none), or
    missing students found (``found``, with the still-missing count before and after).

    ``stage`` says whether it was made during the drill or is a correction or amendment of
    the completed record; ``reason`` says why. ``reported_at`` is the drill-day time the
    entry stands for (a report's time at the assembly area, a finding's time),
    ``recorded_at`` when it was typed.
    """

    recorded_at: datetime
    reported_at: datetime
    recorded_by: str
    old: Figures | None
    new: Figures | None
    verified: bool
    reason: str = ""
    stage: Stage = Stage.DRILL
    class_id: int = 0
    class_name: str = ""
    found: Resolution | None = None
    missing_before: int = 0  # students still missing before (a finding)
    missing_after: int = 0  # … and after

    @property
    def kind(self) -> str:
        """"report", "correction" (a later report), "verification" or "found"."""
        if self.found is not None:
            return "found"
        if self.verified:
            return "verification"
        return "report" if self.old is None else "correction"

    @property
    def after_all_clear(self) -> bool:
        return self.stage is not Stage.DRILL


def history_items(entries: Sequence[HeadcountEntry], resolutions: Sequence[Resolution],
                  names: Mapping[int, str] | None = None) -> list[HistoryItem]:
    """Every entry and finding, in the order they were typed, with what each replaced.

    ``entries`` and ``resolutions`` are each in stored order; a finding stored before
    its typing time was kept counts as typed when the student was found.
    """
    names = names or {}
    timeline: list[tuple[datetime, int, HeadcountEntry | Resolution]] = [
        (e.recorded_at, 0, e) for e in entries]
    timeline += [(r.recorded_at or r.found_at, 1, r) for r in resolutions]
    timeline.sort(key=lambda item: (item[0], item[1]))  # stable: stored order kept
    current: dict[int, Figures] = {}
    found: dict[int, int] = {}
    items: list[HistoryItem] = []
    for recorded_at, _kind, item in timeline:
        name = names.get(item.class_id, "")
        if isinstance(item, Resolution):
            figures = current.get(item.class_id)
            missing = figures.missing if figures else 0
            before = max(missing - found.get(item.class_id, 0), 0)
            found[item.class_id] = found.get(item.class_id, 0) + item.count
            items.append(HistoryItem(
                recorded_at, item.found_at, item.recorded_by or item.found_by, None, None,
                False, item.reason, item.stage, item.class_id, name, item,
                before, max(before - item.count, 0)))
            continue
        items.append(HistoryItem(recorded_at, item.reported_at, item.recorded_by,
                                 current.get(item.class_id), item.figures, item.verified,
                                 item.reason, item.stage, item.class_id, name))
        if item.figures is not None:
            current[item.class_id] = item.figures
    return items
