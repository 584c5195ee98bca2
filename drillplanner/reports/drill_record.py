"""The drill report's honesty about where the record stands: a mark on every page of a
draft (drill in progress or not held yet) or of a cancelled drill, the all clear given with
classes or students still open, the changes after the all clear (corrections) and after
sign-off (amendments), and the signature lines or, once signed, who signed and when with the
hash of the drill's latest audit row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from drillplanner.domain.drill_runs import (
    Notification,
    RecordStage,
    notification_label,
    open_at_all_clear,
    run_status_label,
)
from drillplanner.domain.headcount import Figures
from drillplanner.domain.headcount_history import HistoryItem
from drillplanner.domain.report_data import (
    Change,
    DrillReportData,
    RecordField,
)
from drillplanner.i18n import N_, _
from drillplanner.reports.formats import DASH, clock_time, day_and_time
from drillplanner.reports.page import PageMark
from drillplanner.reports.styles import BAD_INK, MUTED, Styles, grid, para

SECTION_ROOM = 40 * mm  # a heading needs this much page below it, or it starts a new page
DRAFT_INK = colors.HexColor("#8A5300")
DRAFT_FILL = colors.HexColor("#FFF1C7")
CANCELLED_FILL = colors.HexColor("#FDE3E0")
OPEN_FILL = colors.HexColor("#FDE3E0")


def heading(text: str, styles: Styles) -> list[Flowable]:
    return [CondPageBreak(SECTION_ROOM), para(text, styles.heading)]


def is_draft(data: DrillReportData) -> bool:
    """A drill in progress, or not held yet: its figures may still change."""
    return data.run.stage in (RecordStage.RUNNING, RecordStage.PLANNED)


def page_mark(data: DrillReportData) -> PageMark | None:
    """DRAFT on every page of a drill not completed yet, CANCELLED on a cancelled one's."""
    run = data.run
    if run.stage is RecordStage.CANCELLED:
        band = _("CANCELLED – this drill was not held")
        if run.status_reason:
            band = _("CANCELLED – this drill was not held: {reason}").format(
                reason=run.status_reason)
        return PageMark(_("CANCELLED"), band, BAD_INK, CANCELLED_FILL)
    if run.stage is RecordStage.RUNNING:
        return PageMark(_("DRAFT"), _("DRAFT – the drill is still in progress; figures may "
                                      "change. Not for signature."), DRAFT_INK, DRAFT_FILL)
    if run.stage is RecordStage.PLANNED:
        return PageMark(_("DRAFT"), _("DRAFT – the drill has not been held yet ({status}). "
                                      "Not for signature.").format(
            status=run_status_label(run.status).lower()), DRAFT_INK, DRAFT_FILL)
    return None


def _box(text: str, styles: Styles, width: float, ink: colors.Color,
         fill: colors.Color) -> Table:
    """A sentence in a ruled, shaded box across the page."""
    style = styles.body.clone("box", textColor=ink, fontSize=10, leading=13.5, spaceAfter=0)
    table = Table([[para(text, style)]], colWidths=[width])
    table.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 1, ink),
                               ("BACKGROUND", (0, 0), (-1, -1), fill),
                               ("TOPPADDING", (0, 0), (-1, -1), 5),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                               ("LEFTPADDING", (0, 0), (-1, -1), 6)]))
    return table


def open_items(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    """The all clear given before everyone was accounted for, in a red box; nothing when
    everyone was."""
    run = data.run
    if not run.open_at_all_clear:
        return []
    text = _("The all clear ({at}) was given before everyone was accounted for: {what}."
             ).format(at=clock_time(run.all_clear_at), what=open_at_all_clear(run))
    return [Spacer(1, 3 * mm), _box(text, styles, width, BAD_INK, OPEN_FILL)]


def not_held(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    """What a cancelled drill's report says instead of headcounts."""
    run = data.run
    text = _("This drill was cancelled and not held: no headcounts, totals or times "
             "are reported.")
    if run.status_reason:
        text = _("This drill was cancelled and not held ({reason}): no headcounts, totals "
                 "or times are reported.").format(reason=run.status_reason)
    return [Spacer(1, 3 * mm), _box(text, styles, width, BAD_INK, CANCELLED_FILL)]


# Corrections and amendments ------------------------------------------------------------------

_FIELD_LABELS: dict[RecordField, str] = {
    RecordField.CONDUCTED_BY: N_("Conducted by"),
    RecordField.NOTIFICATION: N_("Notification"),
    RecordField.STAFF_ON_DUTY: N_("Staff on duty"),
    RecordField.CONDITIONS: N_("Conditions simulated"),
    RecordField.WEATHER: N_("Weather"),
    RecordField.OBSERVERS: N_("Observers"),
    RecordField.PROBLEMS: N_("Problems encountered"),
    RecordField.NOTES: N_("Notes"),
    RecordField.POST_ADDED: N_("Post added"),
    RecordField.POST_STAFF: N_("Staff at post"),
    RecordField.POST_CLEARED_AT: N_("Floor cleared at"),
    RecordField.POST_CLEARED_BY: N_("Floor cleared, confirmed by"),
    RecordField.ACTION_ADDED: N_("Corrective action added"),
}


def _value_text(value: object) -> str:
    if value is None or value == "":
        return _("(blank)")
    if isinstance(value, Notification):
        return notification_label(value)
    if isinstance(value, datetime):
        return clock_time(value)
    return str(value)


def _figures_text(figures: Figures | None, other: Figures | None) -> str:
    """The counts of ``figures`` that differ from ``other`` (all when there is none)."""
    if figures is None:
        return _("(not reported)")
    pairs = [(_("On roll"), figures.enrolled, other.enrolled if other else None),
             (_("Absent"), figures.absent, other.absent if other else None),
             (_("Present"), figures.present, other.present if other else None),
             (_("Missing"), figures.missing, other.missing if other else None),
             (_("Injured"), figures.injured, other.injured if other else None),
             (_("From other classes"), figures.with_us, other.with_us if other else None)]
    shown = [_("{label} {n}").format(label=label, n=n) for label, n, before in pairs
             if n != before and (other is not None or n)]
    names = _(", ").join(figures.missing_names)
    if names and (other is None or figures.missing_names != other.missing_names):
        shown.append(_("missing: {names}").format(names=names))
    return _(", ").join(shown) or _("(same figures)")


def _count_change(item: HistoryItem) -> str:
    """A class's change: its figures old → new, a verification, or students found."""
    if item.found is not None:
        found = item.found
        return _("{n} found at {where}, {at} (still missing {before} → {after})").format(
            n=found.count, where=found.found_where, at=clock_time(found.found_at),
            before=item.missing_before, after=item.missing_after)
    if item.verified:
        return _("verified")
    return _("{old} → {new}").format(old=_figures_text(item.old, item.new),
                                     new=_figures_text(item.new, item.old))


def _change_row(change: Change) -> list[Any]:
    if isinstance(change, HistoryItem):
        what, old_new = change.class_name, _count_change(change)
    else:
        what = _(_FIELD_LABELS[change.field])
        if change.field in (RecordField.POST_ADDED, RecordField.ACTION_ADDED):
            old_new = change.subject
        else:
            if change.subject:
                what = _("{subject}: {field}").format(subject=change.subject, field=what)
            old_new = _("{old} → {new}").format(old=_value_text(change.old),
                                                new=_value_text(change.new))
    return [day_and_time(change.recorded_at), change.recorded_by or DASH, what, old_new,
            change.reason or DASH]


def _change_table(changes: tuple[Change, ...], styles: Styles, width: float) -> Table:
    rows: list[list[Any]] = [[_("When"), _("Changed by"), _("Class or field"), _("Old → new"),
                              _("Reason")]]
    rows += [_change_row(change) for change in changes]
    widths = [0.16, 0.11, 0.17, 0.34, 0.22]
    return grid(rows, [w * width for w in widths], styles)


def corrections(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    """Changes after the all clear and before sign-off (none listed for a draft)."""
    if data.run.stage not in (RecordStage.COMPLETED, RecordStage.SIGNED):
        return []
    flowables = heading(_("Corrections after the all clear"), styles)
    if not data.corrections:
        return [*flowables, para(_("None."), styles.body)]
    return [*flowables, para(_("Changes made after the all clear, with who made them, when "
                               "and why; the figures above are the corrected ones."),
                             styles.small),
            _change_table(data.corrections, styles, width)]


def amendments(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    """Changes after sign-off (only on a signed drill's report)."""
    if data.run.stage is not RecordStage.SIGNED:
        return []
    flowables = heading(_("Amendments after sign-off"), styles)
    if not data.amendments:
        return [*flowables, para(_("None."), styles.body)]
    return [*flowables, para(_("Changes made after the record was signed off; the record "
                               "above includes them."), styles.small),
            _change_table(data.amendments, styles, width)]


# Signatures -------------------------------------------------------------------------------


def sign_off(data: DrillReportData, styles: Styles, width: float) -> list[Flowable]:
    """Blank signature lines on a completed drill's report; who signed and when, and the
    audit hash, on a signed one's; nothing on a draft or a cancelled drill's."""
    stage = data.run.stage
    if stage is RecordStage.COMPLETED:
        return [_signature_lines(data, styles, width)]
    if stage is RecordStage.SIGNED:
        return [_signed(data, styles, width)]
    return []


def _signature_lines(data: DrillReportData, styles: Styles, width: float) -> Flowable:
    """Role, printed name, signature and date, each on its own line, for the person who
    conducted the drill and the principal."""
    def block(role: str, name: str) -> list[Any]:
        return [para(role, styles.cell), para(name, styles.cell), "", "", "", ""]

    rows = [
        [para(t, styles.small) for t in ("", _("Full name"), "", _("Signature"), "",
                                         _("Date"))],
        block(_("Drill conducted by"), data.run.details.conducted_by),
        block(_("Principal"), data.principal),
    ]
    gap = 0.03
    widths = [0.2, 0.24, gap, 0.27, gap, 0.23]
    table = Table(rows, colWidths=[w * width for w in widths], rowHeights=[12, 30, 30])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.font, 9),
        ("VALIGN", (0, 1), (-1, -1), "BOTTOM"),
        *[("LINEBELOW", (column, 1), (column, -1), 0.6, MUTED) for column in (1, 3, 5)],
    ]))
    return KeepTogether([*heading(_("Signatures"), styles), Spacer(1, 2 * mm), table])


def _signed(data: DrillReportData, styles: Styles, width: float) -> Flowable:
    run = data.run
    rows = [
        [_("Drill conducted by"), run.details.conducted_by or DASH],
        [_("Signed off by"), run.signed_by],
        [_("Signed off at"), day_and_time(run.signed_at)],
        [_("Audit hash"), para(data.audit_hash or DASH, styles.cell)],
    ]
    table = grid(rows, [width * 0.22, width * 0.78], styles, header_rows=0)
    note = para(_("The hash of the latest audit-log entry of this drill when this report was "
                  "made; drillplanner audit verify --hash HASH checks that the database's log "
                  "still holds it (a later amendment adds newer entries)."), styles.small)
    return KeepTogether([*heading(_("Sign-off"), styles), table, Spacer(1, 1 * mm), note])
