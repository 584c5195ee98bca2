"""The missing-student alert: a red bar on top of the console until every student is found."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from drillplanner.domain.headcount import MissingAlert
from drillplanner.i18n import _, ngettext
from drillplanner.ui.drill_style import ALERT_BACKGROUND, ALERT_TEXT
from drillplanner.ui.signals import emit


def alert_text(alert: MissingAlert) -> str:
    """"一年级2班: 1 missing — 张三 (reported 10:02:13)"."""
    text = ngettext("{name}: {n} missing", "{name}: {n} missing", alert.still_missing).format(
        name=alert.class_name, n=alert.still_missing)
    if alert.names:
        text += _(" — {names}").format(names=_(", ").join(alert.names))
    found = sum(r.count for r in alert.found)
    if found:
        text += ngettext(" ({n} already found)", " ({n} already found)", found).format(n=found)
    if alert.reported_at is not None:
        text += _(" (reported {time})").format(time=alert.reported_at.strftime("%H:%M:%S"))
    return text


class MissingAlertBar(QFrame):
    """One line per class with students still missing, each with a "Found…" button."""

    #: The user pressed "Found…" for the class with this id.
    found_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("missingAlert")
        self.setAccessibleName(_("Missing students"))
        self.setStyleSheet(f"#missingAlert {{ background: {ALERT_BACKGROUND}; "
                           f"border-radius: 4px; }} #missingAlert QLabel {{ color: "
                           f"{ALERT_TEXT}; }}")
        self.heading = QLabel(self)
        self.heading.setAccessibleName(_("Missing students alert"))
        self._points = max(self.font().pointSizeF(), 6.0)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.heading)
        layout.addLayout(self._grid)
        self._alerts: tuple[MissingAlert, ...] = ()
        self.lines: list[QLabel] = []
        self.buttons: dict[int, QPushButton] = {}
        self.hide()

    def set_alerts(self, alerts: Sequence[MissingAlert]) -> None:
        """Show the open alerts (hidden when there is none)."""
        open_alerts = tuple(a for a in alerts if not a.resolved)
        if open_alerts == self._alerts:
            return
        self._alerts = open_alerts
        for widget in (*self.lines, *self.buttons.values()):
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self.lines, self.buttons = [], {}
        total = sum(a.still_missing for a in open_alerts)
        self.heading.setText(ngettext("MISSING: {n} student not accounted for",
                                      "MISSING: {n} students not accounted for",
                                      total).format(n=total))
        for row, alert in enumerate(open_alerts):
            line = QLabel(alert_text(alert), self)
            line.setWordWrap(True)
            line.setAccessibleName(_("Missing in {name}").format(name=alert.class_name))
            button = QPushButton(_("Found…"), self)
            button.setAccessibleName(_("Found students of {name}").format(
                name=alert.class_name))
            button.setToolTip(_("Record where and by whom the students of {name} were "
                                "found").format(name=alert.class_name))
            button.clicked.connect(
                lambda _c=False, cid=alert.class_id: emit(self.found_requested, cid))
            self._grid.addWidget(line, row, 0)
            self._grid.addWidget(button, row, 1)
            self.lines.append(line)
            self.buttons[alert.class_id] = button
        self._apply_fonts()
        self.setVisible(bool(open_alerts))

    def set_base_points(self, points: float) -> None:
        """The type size the bar's text is scaled from (larger in projector mode)."""
        self._points = points
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        heading = QFont(self.font())
        heading.setBold(True)
        heading.setPointSizeF(self._points * 1.4)
        self.heading.setFont(heading)
        line_font = QFont(self.font())
        line_font.setPointSizeF(self._points * 1.15)
        for widget in (*self.lines, *self.buttons.values()):
            widget.setFont(line_font)

    def alerts(self) -> tuple[MissingAlert, ...]:
        return self._alerts

    def texts(self) -> list[str]:
        return [line.text() for line in self.lines]
