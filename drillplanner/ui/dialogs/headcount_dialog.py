"""The full headcount report of one class (names, injured, with us, note), the grade leader's
name for verifying, and a class's report history.

The report is recorded through ``ops.write``: a refusal shows in the dialog's error label
(the dialog stays open, nothing is announced), a stored report announces the run's
headcounts to every page. For a completed drill the same dialog is the correction: it asks
why the record is changed, and the class keeps its report time during the drill. The
history offers "Correct…" for a completed drill.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.headcount import MAX_COUNT, ClassInfo, ClassStatus, HeadcountEntry
from drillplanner.i18n import _
from drillplanner.services import drills, headcounts
from drillplanner.ui import ops
from drillplanner.ui.context import AppContext
from drillplanner.ui.models.headcount_tables import HistoryModel
from drillplanner.ui.permissions import Guard
from drillplanner.ui.widgets.recurrence_editor import error_label, show_error


class HeadcountDialog(QDialog):
    """Every figure of a class's report; OK records it and closes only once it is stored."""

    def __init__(self, ctx: AppContext, run_id: int, classes: Sequence[ClassInfo],
                 class_id: int | None = None, current: ClassStatus | None = None,
                 recorded_by: str = "", parent: QWidget | None = None, *,
                 correction: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_id = run_id
        self.classes = list(classes)
        self.correction = correction
        self.saved: HeadcountEntry | None = None
        self.setWindowTitle(_("Correct Headcount") if correction else _("Headcount Report"))
        self.setAccessibleName(self.windowTitle())
        self.intro = QLabel(_(
            "This drill is completed: the change is kept as a correction with its reason, "
            "beside the original report, and the class keeps its report time during the "
            "drill."), self)
        self.intro.setWordWrap(True)
        self.intro.setVisible(correction)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setAccessibleName(_("Reason for the correction"))
        self.reason_edit.setPlaceholderText(_("e.g. the class teacher's paper list shows 33"))
        self.reason_edit.setVisible(correction)

        self.class_combo = QComboBox(self)
        self.class_combo.setAccessibleName(_("Class"))
        for info in self.classes:
            self.class_combo.addItem(info.name, info.class_id)
        if class_id is not None:
            self.class_combo.setCurrentIndex(max(self.class_combo.findData(class_id), 0))
        self.enrolled_spin = self._spin(_("Enrolled"))
        self.absent_spin = self._spin(_("Absent before the drill"))
        self.absent_names = self._names(_("Names of absent students"))
        self.present_spin = self._spin(_("Present"))
        self.missing_spin = self._spin(_("Missing"))
        self.missing_names = self._names(_("Names of missing students"))
        self.injured_spin = self._spin(_("Injured"))
        self.with_us_spin = self._spin(_("Students of other classes with them"))
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setAccessibleName(_("Note"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.fontMetrics().height() * 4)
        self.by_edit = QLineEdit(recorded_by, self)
        self.by_edit.setAccessibleName(_("Reported by"))
        self.sum_label = QLabel(self)
        self.sum_label.setAccessibleName(_("Arithmetic"))
        self.error = error_label(self, _("Error"))
        self._build_layout()
        self.class_combo.currentIndexChanged.connect(self._class_chosen)
        for spin in (self.enrolled_spin, self.absent_spin, self.present_spin,
                     self.missing_spin):
            spin.valueChanged.connect(self._update_sum)
        self._class_chosen()
        if current is not None and current.figures is not None:
            self.fill(current)
        self.present_spin.setFocus()
        self.present_spin.selectAll()

    def _build_layout(self) -> None:
        form = QFormLayout()
        form.addRow(_("&Class:"), self.class_combo)
        form.addRow(_("&Enrolled:"), self.enrolled_spin)
        form.addRow(_("&Absent before the drill:"), self.absent_spin)
        form.addRow(_("Absent &names:"), self.absent_names)
        form.addRow(_("&Present at the assembly area:"), self.present_spin)
        form.addRow(_("&Missing:"), self.missing_spin)
        form.addRow(_("Missing n&ames:"), self.missing_names)
        form.addRow(_("&Injured:"), self.injured_spin)
        form.addRow(_("&With us from other classes:"), self.with_us_spin)
        form.addRow(_("N&ote:"), self.note_edit)
        if self.correction:
            form.addRow(_("Corrected &by:"), self.by_edit)
            form.addRow(_("Reaso&n:"), self.reason_edit)
        else:
            form.addRow(_("Reported &by:"), self.by_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("&Correct") if self.correction else _("&Record"))
        ok.setAccessibleName(_("Correct") if self.correction else _("Record"))
        cancel = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.sum_label)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def _spin(self, name: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setAccessibleName(name)
        spin.setRange(0, MAX_COUNT)
        return spin

    def _names(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(_("separate names with commas"))
        return edit

    def info(self) -> ClassInfo | None:
        class_id = self.class_combo.currentData()
        return next((c for c in self.classes if c.class_id == class_id), None)

    def _class_chosen(self) -> None:
        info = self.info()
        if info is not None:
            self.enrolled_spin.setValue(info.enrolled)
        self._update_sum()

    def fill(self, status: ClassStatus) -> None:
        """Start from the class's current report (a correction)."""
        figures = status.figures
        if figures is None:
            return
        self.enrolled_spin.setValue(figures.enrolled)
        self.absent_spin.setValue(figures.absent)
        self.absent_names.setText(_(", ").join(figures.absent_names))
        self.present_spin.setValue(figures.present)
        self.missing_spin.setValue(figures.missing)
        self.missing_names.setText(_(", ").join(figures.missing_names))
        self.injured_spin.setValue(figures.injured)
        self.with_us_spin.setValue(figures.with_us)
        self.note_edit.setPlainText(figures.note)

    def _update_sum(self) -> None:
        expected = self.enrolled_spin.value() - self.absent_spin.value()
        counted = self.present_spin.value() + self.missing_spin.value()
        mark = "✓" if counted == expected else "≠"
        self.sum_label.setText(_("Expected {expected} (enrolled − absent); present + missing "
                                 "= {counted} {mark}").format(expected=expected,
                                                              counted=counted, mark=mark))

    def save(self) -> None:
        info = self.info()
        if info is None:
            show_error(self.error, _("Choose a class."))
            return
        class_id = info.class_id
        present, absent = self.present_spin.value(), self.absent_spin.value()
        missing, injured = self.missing_spin.value(), self.injured_spin.value()
        with_us, enrolled = self.with_us_spin.value(), self.enrolled_spin.value()
        absent_names, missing_names = self.absent_names.text(), self.missing_names.text()
        note, by = self.note_edit.toPlainText(), self.by_edit.text()
        reason = self.reason_edit.text() if self.correction else ""
        if self.correction and not reason.strip():
            show_error(self.error, _("Say why the record is corrected."))
            self.reason_edit.setFocus()
            return
        done = ops.write(
            self.ctx, self, lambda db: headcounts.record_headcount(
                db, self.run_id, class_id, present, absent=absent, missing=missing,
                injured=injured, with_us=with_us, absent_names=absent_names,
                missing_names=missing_names, note=note, enrolled=enrolled, by=by,
                reason=reason),
            on_error=lambda message: show_error(self.error, message))
        if done is None:
            return
        self.saved = done.value
        self.accept()

    @classmethod
    def ask(cls, ctx: AppContext, run_id: int, classes: Sequence[ClassInfo],
            class_id: int | None = None, current: ClassStatus | None = None,
            recorded_by: str = "", parent: QWidget | None = None, *,
            correction: bool = False) -> HeadcountEntry | None:
        """The stored entry, or None when cancelled. ``correction``: the drill is completed,
        so the entry is a correction and the dialog asks for its reason."""
        dialog = cls(ctx, run_id, classes, class_id, current, recorded_by, parent,
                     correction=correction)
        try:
            dialog.exec()
            return dialog.saved
        finally:
            dialog.deleteLater()


class LeaderNameDialog:
    """Who is verifying: asked once, then remembered for the session."""

    @classmethod
    def ask(cls, parent: QWidget | None = None, current: str = "") -> str | None:
        name, ok = QInputDialog.getText(
            parent, _("Grade Leader"),
            _("Your name (recorded with each class you verify):"), QLineEdit.EchoMode.Normal,
            current)
        return name.strip() if ok and name.strip() else None


class ClassHistoryDialog(QDialog):
    """Every entry of one class's report: who, when, old → new, and for a completed drill
    its corrections with their reasons, and "Correct…"."""

    def __init__(self, ctx: AppContext, run_id: int, info: ClassInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_id = run_id
        self.info = info
        self.setWindowTitle(_("History of {name}").format(name=info.name))
        self.setAccessibleName(self.windowTitle())
        self.model = HistoryModel(self)
        self.reload()
        self.view = QTableView(self)
        self.view.setAccessibleName(_("Report history"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(True)
        self.view.horizontalHeader().setAccessibleName(_("Column headers"))
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.
                                                          ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        buttons.rejected.connect(self.reject)
        self.correct_button = buttons.addButton(_("C&orrect…"),
                                                QDialogButtonBox.ButtonRole.ActionRole)
        self.correct_button.setAccessibleName(_("Correct the class's figures"))
        self.correct_button.clicked.connect(self.correct)
        self.correct_button.setVisible(self._completed())
        self.guard = Guard(ctx, self, lambda: {"run_id": run_id, "class_id": info.class_id})
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)
        self.resize(960, 320)

    def _completed(self) -> bool:
        try:
            return drills.get_run(self.ctx.db, self.run_id).status is RunStatus.COMPLETED
        except DrillplannerError:
            return False

    def reload(self) -> None:
        self.model.set_rows(headcounts.history(self.ctx.db, self.run_id, self.info.class_id))

    def correct(self) -> HeadcountEntry | None:
        """The class's figures corrected (with a reason); the history shows it at once."""
        current = next((s for s in headcounts.rollup(self.ctx.db, self.run_id).classes
                        if s.info.class_id == self.info.class_id), None)
        entry = HeadcountDialog.ask(self.ctx, self.run_id, [self.info], self.info.class_id,
                                    current, "", self, correction=True)
        if entry is not None:
            self.reload()
        return entry

    @classmethod
    def show_for(cls, ctx: AppContext, run_id: int, info: ClassInfo,
                 parent: QWidget | None = None) -> None:
        dialog = cls(ctx, run_id, info, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
