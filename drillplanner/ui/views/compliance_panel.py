"""The compliance panel: for the school and a day, each requirement's periods as met /
planned / open / missed, the profile the school follows, and what is still needed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.compliance import ComplianceReport, Status, status_label
from drillplanner.domain.errors import DrillplannerError, ValidationError
from drillplanner.i18n import _, ngettext
from drillplanner.services import compliance, schools
from drillplanner.ui import calendar_style as style
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.compliance import ComplianceModel
from drillplanner.ui.permissions import Guard
from drillplanner.ui.signals import emit


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class CompliancePanel(QWidget):
    """Reads through services.compliance; changing the profile saves it for the school."""

    #: The user wants to set up school years and terms.
    calendar_requested = Signal()

    def __init__(self, ctx: AppContext, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("compliancePanel")
        self.setAccessibleName(_("Compliance"))
        # The splitter may squeeze the panel; its table scrolls.
        self.setMinimumWidth(170)
        title = QLabel(_("Compliance"), self)
        title.setStyleSheet("font-weight: bold; font-size: 120%;")
        self.entries_button = QPushButton(_("School Calen&dar…"), self)
        self.entries_button.setAccessibleName(_("School calendar: years, terms, holidays"))
        self.entries_button.setToolTip(_("School years, terms, holidays and make-up days "
                                         "(Ctrl+Shift+K)"))
        self.entries_button.clicked.connect(lambda: emit(self.calendar_requested))
        heading = QHBoxLayout()
        heading.addWidget(title, 1)
        heading.addWidget(self.entries_button)
        self.profile_combo = QComboBox(self)
        self.profile_combo.setAccessibleName(_("Compliance profile"))
        self.profile_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.profile_combo.setMinimumContentsLength(8)
        self.as_of_edit = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.as_of_edit.setAccessibleName(_("As of"))
        self.as_of_edit.setCalendarPopup(True)
        self.as_of_edit.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow(_("P&rofile:"), self.profile_combo)
        form.addRow(_("&As of:"), self.as_of_edit)
        self.overall_label = QLabel(self)
        self.overall_label.setWordWrap(True)
        self.overall_label.setAccessibleName(_("Overall status"))
        self.model = ComplianceModel(self)
        self.tree = self._build_tree()
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Compliance message"))
        self.calendar_button = QPushButton(_("Set Up the School &Calendar…"), self)
        self.calendar_button.setAccessibleName(_("Set up the school calendar"))
        self.calendar_button.clicked.connect(lambda: emit(self.calendar_requested))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addLayout(heading)
        layout.addLayout(form)
        layout.addWidget(self.overall_label)
        layout.addWidget(self.message)
        layout.addWidget(self.calendar_button)
        layout.addWidget(self.tree, 1)
        self.profile_combo.currentIndexChanged.connect(self._on_profile_chosen)
        self.guard = Guard(ctx, self)
        self.as_of_edit.dateChanged.connect(lambda _d: self.reload())

    def _build_tree(self) -> QTreeView:
        tree = QTreeView(self)
        tree.setAccessibleName(_("Requirements and periods"))
        tree.setModel(self.model)
        tree.setUniformRowHeights(True)
        tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        tree.setWordWrap(False)
        header = tree.header()
        header.setAccessibleName(_("Column headers"))
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        return tree

    def as_of(self) -> date:
        return _pydate(self.as_of_edit.date())

    def set_as_of(self, day: date) -> None:
        self.as_of_edit.setDate(QDate(day.year, day.month, day.day))

    def report(self) -> ComplianceReport | None:
        return self.model.report

    def reload(self) -> None:
        """Evaluate again (after any change to events, the calendar or the profile)."""
        school_id = self.ctx.school_id
        self.calendar_button.hide()
        self.entries_button.setVisible(school_id is not None)
        if school_id is None:
            self._fill_profiles(None)
            self._show_message(_("Choose or add a school first."))
            return
        try:
            self._fill_profiles(school_id)
            report = compliance.evaluate_school(self.ctx.db, school_id, self.as_of())
        except ValidationError as error:
            if error.field == "as_of":
                self.calendar_button.show()
                self.entries_button.hide()
            self._show_message(error.message)
            return
        except DrillplannerError as error:
            self._show_message(str(error))
            return
        self.message.hide()
        self.tree.show()
        self.model.set_report(report)
        for row in range(self.model.rowCount()):
            self.tree.setFirstColumnSpanned(row, self.tree.rootIndex(), True)
        self.tree.expandAll()
        self.tree.resizeColumnToContents(0)
        self.tree.resizeColumnToContents(1)
        self._show_overall(report)

    def _show_message(self, text: str) -> None:
        self.model.set_report(None)
        self.tree.hide()
        self.overall_label.setText("")
        self.message.setText(text)
        self.message.show()

    def _show_overall(self, report: ComplianceReport) -> None:
        overall = report.overall
        pending = sum(result.to_schedule for result in report.periods)
        text = _("Overall: {status}").format(status=status_label(overall))
        if pending:
            text += _(" — ") + ngettext("{n} drill still to schedule",
                                        "{n} drills still to schedule", pending).format(n=pending)
        elif overall is Status.PLANNED:
            text += _(" — every open period has drills planned")
        self.overall_label.setText(text)
        self.overall_label.setStyleSheet(
            f"background: {style.STATUS_COLOURS[overall]}; color: #000000; padding: 4px; "
            f"border-left: 6px solid {style.STATUS_MARKS[overall]};")

    def _fill_profiles(self, school_id: int | None) -> None:
        self.profile_combo.blockSignals(True)
        try:
            self.profile_combo.clear()
            if school_id is None:
                self.guard.set_enabled(self.profile_combo, False)
                return
            current = schools.get_school(self.ctx.db, school_id).compliance_profile
            for profile in compliance.list_profiles(self.ctx.db):
                self.profile_combo.addItem(profile.name(), profile.code)
                self.profile_combo.setItemData(self.profile_combo.count() - 1,
                                               profile.description(),
                                               Qt.ItemDataRole.ToolTipRole)
            self.profile_combo.setCurrentIndex(self.profile_combo.findData(current))
            self.guard.set_enabled(self.profile_combo, True)
        finally:
            self.profile_combo.blockSignals(False)

    def _on_profile_chosen(self, index: int) -> None:
        school_id = self.ctx.school_id
        code = self.profile_combo.itemData(index)
        if school_id is None or not code:
            return
        # The School page shows the profile too: it hears of the change from ops.write.
        if ops.write(self.ctx, self, lambda db: compliance.set_school_profile(
                db, school_id, str(code)), on_error=self._show_message) is None:
            return
        emit(self.ctx.status, _("The school now follows “{profile}”.").format(
            profile=self.profile_combo.itemText(index)))
        self.reload()
