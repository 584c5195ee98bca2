"""The About box: version, where the data and the log are."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QMessageBox, QWidget

import drillplanner
from drillplanner.i18n import _
from drillplanner.ui.context import AppContext


def about_text(ctx: AppContext) -> str:
    """The About box's text (HTML), also shown to tests."""
    rows = [
        (_("Version"), drillplanner.__version__),
        (_("Database"), ctx.db.display_name),
        (_("Log file"), ctx.log_file or _("(not written)")),
    ]
    table = "".join(f"<tr><td><b>{html.escape(k)}</b></td><td>{html.escape(v)}</td></tr>"
                    for k, v in rows)
    intro = html.escape(_("Plan and run school safety drills: evacuation, headcount, "
                          "compliance and reports."))
    return f"<h3>drillplanner</h3><p>{intro}</p><table cellspacing='6'>{table}</table>"


def show_about(parent: QWidget | None, ctx: AppContext) -> None:
    QMessageBox.about(parent, _("About drillplanner"), about_text(ctx))
