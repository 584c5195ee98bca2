"""What the drill-day commands print about a run: records for JSON and CSV (stable English
keys), and the sentences and tables a person reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from drillplanner.cli.drill_times import clock, iso, local_text, seconds_of
from drillplanner.cli.output import Column, emit, render
from drillplanner.domain.drill_runs import (
    CorrectiveAction,
    DrillRun,
    PostAssignment,
    RecordStage,
    notification_label,
    open_at_all_clear,
    run_status_label,
)
from drillplanner.domain.events import kind_label
from drillplanner.domain.headcount import Figures, MissingAlert, Rollup, Totals
from drillplanner.domain.structure import School
from drillplanner.i18n import _, ngettext

DETAIL_FIELDS = ("conducted_by", "notification", "staff_on_duty", "conditions", "weather",
                 "observers", "problems", "notes")


def detail_labels() -> dict[str, str]:
    """The written record's fields as a person reads them."""
    return {
        "conducted_by": _("Conducted by"), "notification": _("Notification"),
        "staff_on_duty": _("Staff on duty"), "conditions": _("Conditions simulated"),
        "weather": _("Weather"), "observers": _("Observers"), "problems": _("Problems found"),
        "notes": _("Notes"),
    }


def totals_record(totals: Totals) -> dict[str, int]:
    return {
        "classes": totals.classes, "reported": totals.reported, "still_out": totals.still_out,
        "enrolled": totals.enrolled, "absent": totals.absent, "expected": totals.expected,
        "present": totals.present, "missing": totals.missing,
        "still_missing": totals.still_missing, "injured": totals.injured,
        "with_us": totals.with_us,
    }


def figures_record(figures: Figures | None) -> dict[str, object] | None:
    if figures is None:
        return None
    return {
        "enrolled": figures.enrolled, "absent": figures.absent, "expected": figures.expected,
        "present": figures.present, "missing": figures.missing, "injured": figures.injured,
        "with_us": figures.with_us, "absent_names": list(figures.absent_names),
        "missing_names": list(figures.missing_names), "note": figures.note,
    }


def alert_record(alert: MissingAlert, run: DrillRun) -> dict[str, object]:
    return {
        "class": alert.class_name, "class_id": alert.class_id, "missing": alert.missing,
        "still_missing": alert.still_missing, "names": list(alert.names),
        "reported_at": iso(alert.reported_at),
        "reported_after_seconds": seconds_of(alert.reported_at - run.alarm_at)
        if alert.reported_at and run.alarm_at else None,
        "found": [{"where": r.found_where, "at": iso(r.found_at), "by": r.found_by,
                   "count": r.count} for r in alert.found],
    }


def accountability_record(rollup: Rollup) -> dict[str, object]:
    return {
        "accounted_at": iso(rollup.accounted_at),
        "time_to_accountability_seconds": seconds_of(rollup.time_to_accountability),
        "target_seconds": seconds_of(rollup.target),
        "met_target": rollup.met_target,
    }


# Sentences ---------------------------------------------------------------------------------


def names_text(names: Sequence[str]) -> str:
    return _(", ").join(names)


def figures_text(figures: Figures) -> str:
    """"present 38, missing 1 (张三), …; expected 39 = enrolled 40 − absent 1"."""
    missing = _("missing {n}").format(n=figures.missing)
    if figures.missing_names:
        missing += _(" ({names})").format(names=names_text(figures.missing_names))
    absent = _("absent {n}").format(n=figures.absent)
    if figures.absent_names:
        absent += _(" ({names})").format(names=names_text(figures.absent_names))
    parts = [_("present {n}").format(n=figures.present), missing]
    if figures.injured:
        parts.append(_("injured {n}").format(n=figures.injured))
    if figures.with_us:
        parts.append(_("from other classes {n}").format(n=figures.with_us))
    text = _("; ").join([_(", ").join(parts), _("expected {expected} = enrolled {enrolled} − "
                                                "{absent}").format(
        expected=figures.expected, enrolled=figures.enrolled, absent=absent)])
    if figures.note:
        text += _("; note: {note}").format(note=figures.note)
    return text


def totals_text(totals: Totals) -> str:
    """The running school totals in one line."""
    reported = ngettext("{reported} of {n} class reported", "{reported} of {n} classes reported",
                        totals.classes).format(reported=totals.reported, n=totals.classes)
    out = ngettext("{n} still out", "{n} still out", totals.still_out).format(n=totals.still_out)
    return _("{reported} ({out}); expected {expected}: present {present}, found later "
             "{found}, still missing {missing}; injured {injured}, from other classes "
             "{with_us}.").format(
        reported=reported, out=out, expected=totals.expected, present=totals.present,
        found=totals.found, missing=totals.still_missing, injured=totals.injured,
        with_us=totals.with_us)


def accountability_text(rollup: Rollup) -> str:
    """Time to full accountability compared with the school's target, as a sentence."""
    totals = rollup.totals
    if rollup.time_to_accountability is None:
        if totals.classes == 0:
            return _("No classes take part: there is nobody to account for.")
        parts = []
        if totals.still_out:
            parts.append(ngettext("{n} class has not reported", "{n} classes have not reported",
                                  totals.still_out).format(n=totals.still_out))
        if totals.still_missing:
            parts.append(ngettext("{n} student is still missing",
                                  "{n} students are still missing",
                                  totals.still_missing).format(n=totals.still_missing))
        if not parts:
            return _("Everyone is accounted for (at {at}).").format(
                at=local_text(rollup.accounted_at))
        return _("Not everyone is accounted for yet: {what}.").format(what=_(", ").join(parts))
    elapsed = clock(rollup.time_to_accountability)
    at = local_text(rollup.accounted_at, with_date=False)
    if rollup.target is None:
        return _("Everyone accounted for {elapsed} after the alarm (at {at}).").format(
            elapsed=elapsed, at=at)
    verdict = (_("target {target} met") if rollup.met_target
               else _("target {target} missed")).format(target=clock(rollup.target))
    return _("Everyone accounted for {elapsed} after the alarm (at {at}): {verdict}.").format(
        elapsed=elapsed, at=at, verdict=verdict)


def alert_lines(rollup: Rollup, run: DrillRun) -> list[str]:
    """The open missing-student alerts, meant to be printed before anything else."""
    alerts = rollup.open_alerts
    if not alerts:
        return []
    count = sum(a.still_missing for a in alerts)
    lines = ["!!! " + ngettext("{n} STUDENT MISSING", "{n} STUDENTS MISSING", count).format(
        n=count) + " !!!"]
    for alert in alerts:
        names = _(" ({names})").format(names=names_text(alert.names)) if alert.names else ""
        lines.append("!!! " + _("{name}: {n} still missing{names}, reported {when}").format(
            name=alert.class_name, n=alert.still_missing, names=names,
            when=after_alarm(alert.reported_at, run)))
    return lines


def after_alarm(moment: datetime | None, run: DrillRun) -> str:
    """"10:02:15 (2:15 after the alarm)"; the bare time when the run has no alarm."""
    if moment is None:
        return ""
    at = local_text(moment, with_date=False)
    if run.alarm_at is None:
        return at
    return _("{at} ({after} after the alarm)").format(at=at, after=clock(moment - run.alarm_at))


def cleared_text(post: PostAssignment, run: DrillRun) -> str:
    return after_alarm(post.cleared_at, run)


def posts_table(run: DrillRun, posts: Sequence[PostAssignment]) -> str:
    """The posts with their staff and when each floor was cleared, as a table."""
    return render("table", [
        Column("id", _("No."), numeric=True), Column("post", _("Post")),
        Column("staff", _("Staff")), Column("cleared", _("Floor cleared")),
        Column("by", _("By"))],
        [{"id": p.id, "post": p.post, "staff": p.staff_name, "cleared": cleared_text(p, run),
          "by": p.cleared_by} for p in posts])


def signed_text(run: DrillRun) -> str:
    """"Signed off by 陆秀兰 at 2026-11-09 16:02"; "Not signed off" for a completed drill."""
    if run.signed_at is None:
        return _("Not signed off yet.")
    return _("Signed off by {name} at {at}.").format(name=run.signed_by,
                                                      at=local_text(run.signed_at))


def open_at_all_clear_text(run: DrillRun) -> str:
    """What was still open when the all clear was given; "" when nothing was."""
    if not run.open_at_all_clear:
        return ""
    return _("All clear given before everyone was accounted for: {what}.").format(
        what=open_at_all_clear(run))


def run_heading(run: DrillRun, school: School) -> str:
    return _("Drill #{id} “{title}” ({kind}) at {school}: {status}").format(
        id=run.id, title=run.title, kind=kind_label(run.kind), school=school.name,
        status=run_status_label(run.status))


# drill show ----------------------------------------------------------------------------------


def run_record(run: DrillRun, school: School, rollup: Rollup, posts: Sequence[PostAssignment],
               actions: Sequence[CorrectiveAction]) -> dict[str, object]:
    """Everything known about a run, for ``drill show --format json``."""
    details = run.details
    return {
        "id": run.id, "school_id": run.school_id, "school": school.name,
        "kind": run.kind.value, "title": run.title, "status": run.status.value,
        "status_reason": run.status_reason or None, "event_id": run.event_id,
        "occurrence_start": run.occurrence_start.isoformat(timespec="minutes")
        if run.occurrence_start else None,
        "announced": run.announced, "alarm_at": iso(run.alarm_at),
        "all_clear_at": iso(run.all_clear_at), "duration_seconds": seconds_of(run.duration),
        "details": {name: (details.notification.value if details.notification else None)
                    if name == "notification" else getattr(details, name)
                    for name in DETAIL_FIELDS},
        "stage": run.stage.value,
        "signed_by": run.signed_by or None, "signed_at": iso(run.signed_at),
        "unreported_at_all_clear": run.unreported_at_all_clear,
        "missing_at_all_clear": run.missing_at_all_clear,
        "totals": totals_record(rollup.totals),
        "grades": [{"grade": g.grade_name, "grade_id": g.grade_id,
                    "totals": totals_record(g.totals)} for g in rollup.grades],
        **accountability_record(rollup),
        "alerts": [alert_record(a, run) for a in rollup.alerts],
        "posts": [{"id": p.id, "post": p.post, "staff": p.staff_name or None,
                   "cleared_at": iso(p.cleared_at), "cleared_by": p.cleared_by or None}
                  for p in posts],
        "actions": [{"id": a.id, "description": a.description, "owner": a.owner or None,
                     "due": a.due.isoformat() if a.due else None, "done": a.done}
                    for a in actions],
    }


def print_run(run: DrillRun, school: School, rollup: Rollup, posts: Sequence[PostAssignment],
              actions: Sequence[CorrectiveAction]) -> None:
    """``drill show`` for a person: alerts first, then the record, totals, posts, actions."""
    for line in alert_lines(rollup, run):
        print(line)
    print(run_heading(run, school))
    details = run.details
    labels = detail_labels()
    lines = [
        (_("Reason"), run.status_reason),
        (_("Scheduled"), _("event #{id}, {start}").format(
            id=run.event_id, start=run.occurrence_start.strftime("%Y-%m-%d %H:%M"))
         if run.event_id and run.occurrence_start else ""),
        (_("Announced"), _("yes") if run.announced else _("no (unannounced drill)")),
        (_("Alarm"), local_text(run.alarm_at)),
        (_("All clear"), local_text(run.all_clear_at)),
        (_("Duration"), clock(run.duration)),
        *((labels[name], notification_label(details.notification) if name == "notification"
           else getattr(details, name)) for name in DETAIL_FIELDS),
    ]
    if run.stage in (RecordStage.COMPLETED, RecordStage.SIGNED):
        lines.append((_("Sign-off"), signed_text(run)))
    for name, value in lines:
        if value:
            print(f"  {name}: {value}")
    if run.open_at_all_clear:
        print("!!! " + open_at_all_clear_text(run))
    print(_("Headcount: {totals}").format(totals=totals_text(rollup.totals)))
    print(accountability_text(rollup))
    resolved = [a for a in rollup.alerts if a.found]
    for alert in resolved:
        for found in alert.found:
            print("  " + _("{name}: {n} found at {where}, {at}{by}").format(
                name=alert.class_name, n=found.count, where=found.found_where,
                at=local_text(found.found_at, with_date=False),
                by=_(", by {name}").format(name=found.found_by) if found.found_by else ""))
    if posts:
        print(_("Posts:"))
        emit(posts_table(run, posts))
    if actions:
        print(_("Corrective actions:"))
        emit(render("table", [
            Column("id", _("No."), numeric=True), Column("description", _("Action")),
            Column("owner", _("Owner")), Column("due", _("Due")), Column("done", _("Done"))], [
            {"id": a.id, "description": a.description, "owner": a.owner,
             "due": a.due.isoformat() if a.due else "", "done": a.done} for a in actions]))
