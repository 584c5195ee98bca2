"""Roll-call sheets: one page per class for the homeroom teacher to fill in at the assembly
area, so a school without computers there still records what the app needs (the same
figures a headcount entry takes, and the names of the missing).
"""

from __future__ import annotations

from typing import Any, BinaryIO

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, PageBreak, Spacer, Table, TableStyle

from drillplanner.domain.report_data import ReportOptions, RollcallData, RollcallSheet
from drillplanner.i18n import _
from drillplanner.reports.formats import DASH
from drillplanner.reports.page import build_pdf, frame_height, frame_width, report_language
from drillplanner.reports.qr_code import QrCode
from drillplanner.reports.styles import (
    INK,
    MUTED,
    RULE,
    TOTAL_FILL,
    Styles,
    grid,
    make_styles,
    para,
)

BOX_ROW = 8.5 * mm
#: The phone code with its quiet zone: 0.8 mm a module for a LAN link (version 4), which
#: a phone reads from a hand's length away.
CODE_SIDE = 33 * mm
#: The share of the frame's width the phone code's column takes beside the boxes.
CODE_COLUMN = 0.3
WRITING_LINE = 6.5 * mm


def rollcall_title() -> str:
    return _("Roll-call sheets")


def build_rollcall_sheets(data: RollcallData, out: BinaryIO,
                          options: ReportOptions | None = None) -> int:
    """Write one roll-call sheet per class as PDF; returns the page count."""
    options = options or ReportOptions()
    with report_language(options):
        styles = make_styles()
        width = frame_width(options)
        story: list[Flowable] = []
        # A sheet that would not fit the page (Letter is shorter than A4) is shrunk: one
        # class, one page.
        height = frame_height(options)
        for sheet in data.sheets:
            if story:
                story.append(PageBreak())
            story.append(KeepInFrame(width, height, _sheet(sheet, styles, width),
                                     mode="shrink"))
        if not story:
            story.append(para(_("There are no classes to print."), styles.body))
        title = rollcall_title()
        if data.grade_name:
            title = _("{title}: {grade}").format(title=title, grade=data.grade_name)
        return build_pdf(out, story, options, school=data.school_name, title=title)


def _sheet(sheet: RollcallSheet, styles: Styles, width: float) -> list[Flowable]:
    cls = sheet.school_class
    info = [
        (_("Homeroom teacher"), cls.homeroom_teacher_name or DASH),
        (_("Report to (grade leader)"), sheet.grade_leader or DASH),
        (_("Room"), cls.room or DASH),
        (_("Assembly area"), cls.assembly_area_name or DASH),
        (_("Evacuation route"), cls.route_name or DASH),
        (_("Students on roll"), str(cls.enrolled)),
    ]
    rows: list[list[Any]] = []
    for i in range(0, len(info), 2):
        row: list[Any] = []
        for label, value in info[i:i + 2]:
            row += [label, value]
        rows.append(row)
    label_w = width * 0.2
    details = grid(rows, [label_w, width / 2 - label_w] * 2, styles, header_rows=0,
                   commands=[("BACKGROUND", (0, 0), (0, -1), TOTAL_FILL),
                             ("BACKGROUND", (2, 0), (2, -1), TOTAL_FILL)])
    return [
        para(_("Roll-call sheet"), styles.heading),
        para(cls.full_name, styles.big),
        Spacer(1, 2 * mm),
        details,
        Spacer(1, 3 * mm),
        para(_("Count your class at the assembly area. Present + missing must equal on roll "
               "− absent. Injured students are counted among the present; students of other "
               "classes standing with you are counted apart."), styles.small),
        Spacer(1, 2 * mm),
        _boxes_and_code(sheet, styles, width),
        Spacer(1, 4 * mm),
        *_lines(_("Names of the missing students"), 5, styles, width),
        *_lines(_("Names of the injured students"), 3, styles, width),
        *_lines(_("Absent before the drill (names)"), 2, styles, width),
        Spacer(1, 4 * mm),
        _signature(styles, width),
    ]


def _boxes_and_code(sheet: RollcallSheet, styles: Styles, width: float) -> Flowable:
    """The figures' boxes, with the class's phone code beside them where the hints leave
    room (so the sheet grows no taller and stays one page on Letter)."""
    enrolled = sheet.school_class.enrolled
    if sheet.phone_code is None:
        return _boxes(enrolled, styles, width)
    left = width * (1 - CODE_COLUMN)
    centred = styles.small.clone("code_note", alignment=TA_CENTER)
    note = centred.clone("code_line", textColor=INK, fontSize=8, leading=10)
    block = [QrCode(sheet.phone_code, CODE_SIDE),
             Spacer(1, 1.5 * mm),
             para(_("Scan to report this class from a phone during the drill"), note),
             para(sheet.phone_url, centred)]
    table = Table([[_boxes(enrolled, styles, left, hints=0.26), block]],
                  colWidths=[left, width - left])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.font, 9),  # else reportlab names Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (1, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (0, 0), 0),
        ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def _boxes(enrolled: int, styles: Styles, width: float, hints: float = 0.38) -> Table:
    """Label, box to write in, and a hint, for each figure of a headcount (``hints``: the
    hint column's share of ``width``)."""
    items = [
        (_("On roll"), str(enrolled), ""),
        (_("Absent (known before the drill)"), "", ""),
        (_("Expected"), "", _("= on roll − absent")),
        (_("Present at the assembly area"), "", ""),
        (_("Missing"), "", _("= expected − present")),
        (_("Injured"), "", _("among the present")),
        (_("Students of other classes with us"), "", ""),
        (_("Reported at (time)"), "", _("hh:mm")),
    ]
    number = styles.big.clone("box", fontSize=14, leading=16)
    rows = [[para(label, styles.body), para(value, number), para(hint, styles.small)]
            for label, value, hint in items]
    box = width * 0.2 * (1 - hints) / 0.62
    table = Table(rows, colWidths=[width - box - width * hints, box, width * hints],
                  rowHeights=[BOX_ROW] * len(rows))
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.font, 9),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BOX", (1, 0), (1, -1), 1.2, INK),
        ("INNERGRID", (1, 0), (1, -1), 0.8, INK),
        ("LINEBELOW", (0, 0), (0, -1), 0.3, RULE),
        ("BACKGROUND", (1, 0), (1, 0), TOTAL_FILL),
        ("LEFTPADDING", (2, 0), (2, -1), 6),
    ]))
    return table


def _lines(label: str, count: int, styles: Styles, width: float) -> list[Flowable]:
    table = Table([[""]] * count, colWidths=[width], rowHeights=[WRITING_LINE] * count)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), styles.font, 9),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.5, MUTED)]))
    return [para(label, styles.body), table, Spacer(1, 2 * mm)]


def _signature(styles: Styles, width: float) -> Table:
    rows = [[para(_("Homeroom teacher's signature"), styles.body), "",
             para(_("Checked by the grade leader"), styles.body), ""],
            [para(_("Date of the drill"), styles.body), "", "", ""]]
    table = Table(rows, colWidths=[width * 0.27, width * 0.23, width * 0.27, width * 0.23],
                  rowHeights=[12 * mm, 10 * mm])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), styles.font, 9),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (1, 0), (1, -1), 0.6, MUTED),
        ("LINEBELOW", (3, 0), (3, 0), 0.6, MUTED),
    ]))
    return table
