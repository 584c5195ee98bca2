"""What the phone page shows, as JSON: the run's classes with their figures, the grades'
and the school's totals, and what the person holding the phone may do with each class."""

from __future__ import annotations

from typing import Any

from drillplanner.domain.drill_runs import DrillRun, RunStatus
from drillplanner.domain.headcount import (
    ClassStatus,
    ReportState,
    Rollup,
    Totals,
    report_state_label,
)
from drillplanner.domain.permissions import Actor, Op, Target, refusal
from drillplanner.i18n import format_datetime


def may(actor: Actor | None, op: Op, status: ClassStatus, school_id: int,
        running: bool) -> bool:
    """Whether ``actor`` (None: a school without accounts) may do ``op`` on the class;
    decided by the permission table from facts the roll-up already holds, so the page's
    poll costs no query per class."""
    if actor is None:
        return True
    target = Target(school_id=school_id, class_id=status.info.class_id,
                    grade_id=status.info.grade_id, running=running)
    return refusal(actor, op, target) is None


def class_json(status: ClassStatus, *, can_record: bool, can_verify: bool) -> dict[str, Any]:
    figures = status.figures
    return {
        "name": status.info.name,
        "grade": status.info.grade_name,
        "enrolled": status.info.enrolled,
        "state": status.state.value,
        "state_label": report_state_label(status.state),
        "present": figures.present if figures else None,
        "absent": figures.absent if figures else None,
        "missing": figures.missing if figures else None,
        "injured": figures.injured if figures else None,
        "missing_names": list(figures.missing_names) if figures else [],
        "still_missing": status.still_missing,
        "reported_at": status.reported_at.strftime("%H:%M:%S") if status.reported_at else None,
        "reported_by": status.reported_by,
        "verified_by": status.verified_by,
        "can_record": can_record,
        "can_verify": can_verify and figures is not None,
    }


def totals_json(totals: Totals) -> dict[str, int]:
    return {"classes": totals.classes, "reported": totals.reported,
            "enrolled": totals.enrolled, "absent": totals.absent, "present": totals.present,
            "missing": totals.missing, "still_missing": totals.still_missing,
            "injured": totals.injured}


def drill_title(run: DrillRun) -> str:
    when = format_datetime(run.alarm_at, "short") if run.alarm_at else ""
    return f"{run.title} · {when}" if when else run.title


def state_json(run: DrillRun, rollup: Rollup, actor: Actor | None, *, school_name: str,
               only_class: int | None, link: str, needs_sign_in: bool) -> dict[str, Any]:
    """The page's picture of the drill; a class link sees its own class only."""
    running = run.status is RunStatus.IN_PROGRESS
    classes = []
    grades = []
    for grade in rollup.grades:
        shown = [c for c in grade.classes
                 if only_class is None or c.info.class_id == only_class]
        if not shown:
            continue
        for status in shown:
            classes.append(class_json(
                status,
                can_record=not needs_sign_in and may(actor, Op.RECORD_HEADCOUNT, status,
                                                     run.school_id, running),
                can_verify=(only_class is None and not needs_sign_in
                            and may(actor, Op.VERIFY_HEADCOUNT, status, run.school_id,
                                    running))))
        if only_class is None:
            grades.append({"name": grade.grade_name, **totals_json(grade.totals),
                           "verified": sum(1 for c in grade.classes
                                           if c.state is ReportState.VERIFIED)})
    user = None
    if actor is not None and actor.user_id:
        user = {"name": actor.name or actor.login, "login": actor.login}
    return {
        "school": school_name,
        "drill": drill_title(run),
        "status": run.status.value,
        "link": link,
        "user": user,
        "needs_sign_in": needs_sign_in,
        "can_verify_any": any(c["can_verify"] for c in classes),
        "classes": [] if needs_sign_in else classes,
        "grades": [] if needs_sign_in else grades,
        "totals": totals_json(rollup.totals) if only_class is None and not needs_sign_in
        else None,
    }
