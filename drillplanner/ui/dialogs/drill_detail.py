"""One drill run in detail: the written record (editable), headcounts per grade with each
class's history, posts, and corrective actions; signing off a completed drill.

Writes go through ``ops.write`` (a refusal shows in the dialog's message bar). After the all
clear, changing what was recorded is a correction, and after sign-off any change is an
amendment: the reason typed in the dialog's reason field goes with each such write. The
dialog follows the change notifications of its run made elsewhere in the app (the console's
headcounts, its all clear): the summary, headcounts, posts and actions are read again, and
the record's fields too unless the user has edited them.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drillplanner.domain.changes import Changes, Done, Kind
from drillplanner.domain.drill_runs import (
    DrillRun,
    Notification,
    RecordStage,
    RunDetails,
    notification_label,
)
from drillplanner.domain.errors import DrillplannerError, StaleEditError
from drillplanner.domain.fields import label
from drillplanner.i18n import _
from drillplanner.services import drills, headcounts
from drillplanner.services.database import Database
from drillplanner.ui import ops, state
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages, stale_edit
from drillplanner.ui.dialogs.headcount_dialog import ClassHistoryDialog
from drillplanner.ui.dialogs.sign_off import SignOffDialog, principal_of
from drillplanner.ui.drill_style import bold_font
from drillplanner.ui.models.drill_runs import ActionsModel, PostsModel, run_summary
from drillplanner.ui.models.headcount_tables import CLASS_ID_ROLE, RollupTableModel
from drillplanner.ui.permissions import Guard
from drillplanner.ui.views.audit_page import drill_changes_view
from drillplanner.ui.widgets.message_bar import MessageBar

#: RunDetails fields written in a several-line box (the others are one line).
_LONG_FIELDS = ("staff_on_duty", "conditions", "observers", "problems", "notes")


def _table(parent: QWidget, name: str) -> QTableView:
    view = QTableView(parent)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setAccessibleName(_("Column headers"))
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class DrillDetailDialog(QDialog):
    """Tabs: Record, Headcounts, Posts, Corrective actions, Changes (the audit log's)."""

    def __init__(self, ctx: AppContext, run_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.run_id = run_id
        self.run = drills.get_run(ctx.db, run_id)
        self.rollup = headcounts.rollup(ctx.db, run_id)
        #: The record as the fields were filled from or last saved (edits are measured
        #: against it, not against a newer record read for the summary).
        self.shown_details = self.run.details
        self.setWindowTitle(_("Drill: {title}").format(title=self.run.title))
        self.setAccessibleName(self.windowTitle())
        self.summary = QLabel(run_summary(self.run, self.rollup), self)
        self.summary.setAccessibleName(_("Drill summary"))
        self.summary.setWordWrap(True)
        self.summary.setFont(bold_font())
        self.message = MessageBar(self)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setAccessibleName(_("Reason for the change"))
        self.reason_label = QLabel(_("R&eason for the change:"), self)
        self.reason_label.setBuddy(self.reason_edit)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(_("Drill details"))
        self.tabs.addTab(self._build_record(), _("&Record"))
        self.tabs.addTab(self._build_headcounts(), _("&Headcounts"))
        self.tabs.addTab(self._build_posts(), _("&Posts"))
        self.tabs.addTab(self._build_actions(), _("Corrective &Actions"))
        # Every change of the run from the audit log, with the hash its report prints.
        self.changes_view = drill_changes_view(ctx, run_id, self)
        self.tabs.addTab(self.changes_view, _("Chan&ges"))
        buttons = self._build_buttons()
        reason_row = QHBoxLayout()
        reason_row.addWidget(self.reason_label)
        reason_row.addWidget(self.reason_edit, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addLayout(reason_row)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        geometry = state.load_bytes(state.DRILL_DETAIL_GEOMETRY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(980, 640)
        self.guard = Guard(ctx, self, lambda: {"run_id": run_id})
        self._show_stage()
        self.conducted_edit.setFocus()  # the record first, the reason when it is needed
        ctx.changed.connect(self._on_changed)
        self._following = True

    def _build_buttons(self) -> QDialogButtonBox:
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        close.setAccessibleName(_("Close"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        self.report_button = buttons.addButton(_("Open &Report"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.report_button.setAccessibleName(_("Open the drill report on the Reports page"))
        self.report_button.setAutoDefault(False)
        self.report_button.clicked.connect(self.open_report)
        self.report_button.setVisible(hasattr(self.ctx.window, "open_drill_report"))
        self.sign_button = buttons.addButton(_("Sign O&ff…"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.sign_button.setAccessibleName(_("Sign off the drill's record"))
        self.sign_button.setAutoDefault(False)
        self.sign_button.clicked.connect(self.sign_off)
        return buttons

    # Where the record stands -------------------------------------------------------------

    def _show_stage(self) -> None:
        """The reason field once changes need one; Sign Off for a completed, unsigned run."""
        stage = self.run.stage
        needs_reason = stage in (RecordStage.COMPLETED, RecordStage.SIGNED,
                                 RecordStage.CANCELLED)
        self.reason_label.setText(_("R&eason for the amendment:") if stage is
                                  RecordStage.SIGNED else _("R&eason for the change:"))
        self.reason_edit.setPlaceholderText(
            _("Required for any change of the signed record") if stage is RecordStage.SIGNED
            else _("Required to change what was recorded after the all clear"))
        self.reason_label.setVisible(needs_reason)
        self.reason_edit.setVisible(needs_reason)
        self.sign_button.setVisible(stage is RecordStage.COMPLETED)

    def reason(self) -> str:
        return self.reason_edit.text().strip() if self.reason_edit.isVisibleTo(self) else ""

    def _refused(self, message: str) -> None:
        self.message.show_error(message)
        if self.reason_edit.isVisibleTo(self) and not self.reason():
            self.reason_edit.setFocus()

    def _saved(self, run: DrillRun | None = None) -> None:
        """After a write: the reason was used up; the run as it now stands."""
        self.reason_edit.clear()
        if run is not None:
            self.run = run
            self.summary.setText(run_summary(self.run, self.rollup))
            self._show_stage()

    def sign_off(self) -> bool:
        """Ask who signs (the principal by default) and sign the record off."""
        name = SignOffDialog.ask(self, principal_of(self.ctx, self.run.school_id))
        if name is None:
            return False
        done = ops.write(self.ctx, self, lambda db: drills.sign_drill(db, self.run_id, name),
                         on_error=self.message.show_error)
        if done is None:
            return False
        self._saved(done.value)
        self.message.show_info(_("The record was signed off by {name}.").format(name=name))
        return True

    # Record -----------------------------------------------------------------------------

    def _build_record(self) -> QWidget:
        page = QWidget(self)
        self.conducted_edit = QLineEdit(page)
        self.conducted_edit.setAccessibleName(_("Conducted by"))
        self.notification_combo = QComboBox(page)
        self.notification_combo.setAccessibleName(_("How occupants were notified"))
        self.notification_combo.addItem(_("(not recorded)"), "")
        for method in Notification:
            self.notification_combo.addItem(notification_label(method), method.value)
        self.weather_edit = QLineEdit(page)
        self.weather_edit.setAccessibleName(_("Weather"))
        names = {"staff_on_duty": _("Staff on duty"),
                 "conditions": _("Conditions simulated"),
                 "observers": _("Observers"), "problems": _("Problems found"),
                 "notes": _("Notes")}
        self.text_edits: dict[str, QPlainTextEdit] = {}
        for field in _LONG_FIELDS:
            edit = QPlainTextEdit(page)
            edit.setAccessibleName(names[field])
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(self.fontMetrics().height() * 3 + 12)
            self.text_edits[field] = edit
        self.save_button = QPushButton(_("&Save Record"), page)
        self.save_button.setAccessibleName(_("Save the record"))
        self.save_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save_details)
        form = QFormLayout(page)
        form.addRow(_("&Conducted by:"), self.conducted_edit)
        form.addRow(_("&Notification:"), self.notification_combo)
        form.addRow(_("&Weather:"), self.weather_edit)
        labels = {"staff_on_duty": _("&Staff on duty:"),
                  "conditions": _("Con&ditions simulated:"),
                  "observers": _("O&bservers:"), "problems": _("&Problems found:"),
                  "notes": _("N&otes:")}
        for field in _LONG_FIELDS:
            form.addRow(labels[field], self.text_edits[field])
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.save_button)
        form.addRow(row)
        self.fill_record(self.run.details)
        return page

    def fill_record(self, details: RunDetails) -> None:
        """Put ``details`` in the fields; they are what edits are measured against."""
        self.conducted_edit.setText(details.conducted_by)
        self.notification_combo.setCurrentIndex(self.notification_combo.findData(
            details.notification.value if details.notification else ""))
        self.weather_edit.setText(details.weather)
        for field, edit in self.text_edits.items():
            edit.setPlainText(getattr(details, field))
        self.shown_details = details

    def is_edited(self) -> bool:
        """Whether the record's fields differ from the record they were filled from."""
        return self.details() != self.shown_details

    def details(self) -> RunDetails:
        return RunDetails(
            conducted_by=self.conducted_edit.text(),
            notification=Notification(self.notification_combo.currentData())
            if self.notification_combo.currentData() else None,
            weather=self.weather_edit.text(),
            **{field: edit.toPlainText() for field, edit in self.text_edits.items()})

    def save_details(self) -> bool:
        details, reason, version = self.details(), self.reason(), self.run.version
        stale: list[StaleEditError] = []

        def save(db: Database) -> Done[DrillRun]:
            try:
                return drills.update_details(db, self.run_id, details, reason=reason,
                                             expected_version=version)
            except StaleEditError as error:
                stale.append(error)
                raise

        done = ops.write(self.ctx, self, save, on_error=self._refused)
        if done is None:
            return bool(stale) and self._overtaken(stale[0])
        self.shown_details = done.value.details
        self._saved(done.value)
        self.message.show_info(_("The record was saved."))
        return True

    def _overtaken(self, error: StaleEditError) -> bool:
        """Someone saved the record while it was being edited here."""
        theirs = error.current
        assert isinstance(theirs, DrillRun)
        if theirs.details == self.shown_details:
            # Only the run moved on (all clear, sign-off): nobody touched these fields.
            self.run = theirs
            return self.save_details()
        shown = [f"{label(name)}: {value[:40]}" for name, value in (
            ("conducted_by", theirs.details.conducted_by), ("weather", theirs.details.weather),
            *((field, getattr(theirs.details, field)) for field in _LONG_FIELDS)) if value]
        choice = stale_edit.ask(self, str(error), "; ".join(shown) or "-")
        self._saved(theirs)
        if choice is stale_edit.Choice.MINE:
            return self.save_details()  # now from their version: mine over theirs
        self.fill_record(theirs.details)
        return False

    # Headcounts -------------------------------------------------------------------------

    def _build_headcounts(self) -> QWidget:
        page = QWidget(self)
        self.rollup_model = RollupTableModel(page)
        self.rollup_model.set_rollup(self.rollup)
        self.rollup_view = _table(page, _("Headcounts per class and grade"))
        self.rollup_view.setModel(self.rollup_model)
        self.rollup_view.activated.connect(lambda _index: self.show_class_history())
        self.history_button = QPushButton(_("Report &History of the Class…"), page)
        self.history_button.setAccessibleName(_("Report history of the selected class"))
        self.history_button.setAutoDefault(False)
        self.history_button.clicked.connect(self.show_class_history)
        layout = QVBoxLayout(page)
        layout.addWidget(self.rollup_view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.history_button)
        layout.addLayout(row)
        return page

    def show_class_history(self) -> None:
        class_id = self.rollup_view.currentIndex().data(CLASS_ID_ROLE)
        info = next((s.info for s in self.rollup.classes if s.info.class_id == class_id), None)
        if info is not None:
            ClassHistoryDialog.show_for(self.ctx, self.run_id, info, self)

    # Posts ------------------------------------------------------------------------------

    def _build_posts(self) -> QWidget:
        page = QWidget(self)
        self.posts_model = PostsModel(page, self.ctx, reason=self.reason)
        self.posts_model.set_rows(drills.list_posts(self.ctx.db, self.run_id))
        self.posts_view = _table(page, _("Floor and stairwell posts"))
        self.posts_view.setModel(self.posts_model)
        self.posts_view.setToolTip(_("Double-click (or F2 on) a Staff cell to assign the "
                                     "post."))
        self.post_edit = QLineEdit(page)
        self.post_edit.setAccessibleName(_("New post"))
        self.post_edit.setPlaceholderText(_("e.g. east stairwell, floor 2"))
        self.post_staff_edit = QLineEdit(page)
        self.post_staff_edit.setAccessibleName(_("Staff at the new post"))
        self.post_staff_edit.setPlaceholderText(_("Staff"))
        self.add_post_button = QPushButton(_("Add &Post"), page)
        self.add_post_button.setAccessibleName(_("Add the post"))
        self.add_post_button.setAutoDefault(False)
        self.add_post_button.clicked.connect(self.add_post)
        self.post_edit.returnPressed.connect(self.add_post)
        row = QHBoxLayout()
        row.addWidget(self.post_edit, 2)
        row.addWidget(self.post_staff_edit, 1)
        row.addWidget(self.add_post_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.posts_view, 1)
        layout.addLayout(row)
        return page

    def add_post(self) -> bool:
        post, staff_name, reason = (self.post_edit.text(), self.post_staff_edit.text(),
                                    self.reason())
        if ops.write(self.ctx, self, lambda db: drills.add_post(db, self.run_id, post,
                                                                staff_name, reason=reason),
                     on_error=self._refused) is None:
            return False
        self._saved()
        self.posts_model.set_rows(drills.list_posts(self.ctx.db, self.run_id))
        self.post_edit.clear()
        self.post_staff_edit.clear()
        self.message.hide()
        self.post_edit.setFocus()
        return True

    # Corrective actions -----------------------------------------------------------------

    def _build_actions(self) -> QWidget:
        page = QWidget(self)
        self.actions_model = ActionsModel(self.ctx, page)
        self.actions_model.set_rows(drills.list_actions(self.ctx.db, self.run_id))
        self.actions_view = _table(page, _("Corrective actions"))
        self.actions_view.setModel(self.actions_model)
        self.action_edit = QLineEdit(page)
        self.action_edit.setAccessibleName(_("New corrective action"))
        self.action_edit.setPlaceholderText(_("What must be put right"))
        self.owner_edit = QLineEdit(page)
        self.owner_edit.setAccessibleName(_("Owner"))
        self.owner_edit.setPlaceholderText(_("Owner"))
        self.due_check = QCheckBox(_("D&ue"), page)
        self.due_check.setAccessibleName(_("Has a due date"))
        today = date.today()
        self.due_edit = QDateEdit(QDate(today.year, today.month, today.day), page)
        self.due_edit.setAccessibleName(_("Due date"))
        self.due_edit.setCalendarPopup(True)
        self.due_edit.setDisplayFormat("yyyy-MM-dd")
        self.due_edit.setEnabled(False)
        self.due_check.toggled.connect(self.due_edit.setEnabled)
        self.add_action_button = QPushButton(_("A&dd Action"), page)
        self.add_action_button.setAccessibleName(_("Add the corrective action"))
        self.add_action_button.setAutoDefault(False)
        self.add_action_button.clicked.connect(self.add_action)
        self.action_edit.returnPressed.connect(self.add_action)
        row = QHBoxLayout()
        row.addWidget(self.action_edit, 3)
        row.addWidget(self.owner_edit, 1)
        row.addWidget(self.due_check)
        row.addWidget(self.due_edit)
        row.addWidget(self.add_action_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.actions_view, 1)
        layout.addLayout(row)
        return page

    def add_action(self) -> bool:
        due = None
        if self.due_check.isChecked():
            value = self.due_edit.date()
            due = date(value.year(), value.month(), value.day())
        description, owner, reason = (self.action_edit.text(), self.owner_edit.text(),
                                      self.reason())
        if ops.write(self.ctx, self,
                     lambda db: drills.add_action(db, self.run_id, description, owner, due,
                                                  reason=reason),
                     on_error=self._refused) is None:
            return False
        self._saved()
        self.actions_model.set_rows(drills.list_actions(self.ctx.db, self.run_id))
        self.action_edit.clear()
        self.owner_edit.clear()
        self.message.hide()
        self.action_edit.setFocus()
        return True

    # Following changes ------------------------------------------------------------------

    def shows(self, changes: Changes) -> bool:
        """Whether ``changes`` touch this run (its record, headcounts, or its school's
        evacuation target)."""
        return changes.touches_record(Kind.DRILL, self.run_id) or \
            changes.touches_record(Kind.HEADCOUNT, self.run_id) or \
            changes.touches_record(Kind.SCHOOL, self.run.school_id)

    def _on_changed(self, changes: Changes, source: object) -> None:
        # What this dialog and its tables write, they already show.
        if source in (self, self.posts_model, self.actions_model) or not self.shows(changes):
            return
        try:
            self.refresh(changes)
        except DrillplannerError as error:  # e.g. the run was deleted meanwhile
            self.message.show_error(str(error))

    def refresh(self, changes: Changes) -> None:
        """Read again what ``changes`` touched: the run (summary, posts, actions, and the
        record's fields unless edited) and the headcounts."""
        if changes.touches_record(Kind.DRILL, self.run_id):
            self.run = drills.get_run(self.ctx.db, self.run_id)
            self._show_stage()
            if not self.is_edited():
                self.fill_record(self.run.details)
            self.posts_model.set_rows(drills.list_posts(self.ctx.db, self.run_id))
            self.actions_model.set_rows(drills.list_actions(self.ctx.db, self.run_id))
        # Every change shown here moves the roll-up: entries, the alarm time, the target.
        self.rollup = headcounts.rollup(self.ctx.db, self.run_id)
        self.rollup_model.set_rollup(self.rollup)
        self.summary.setText(run_summary(self.run, self.rollup))

    def _stop_following(self) -> None:
        if self._following:
            self._following = False
            self.ctx.changed.disconnect(self._on_changed)
            self.changes_view.detach()

    # Showing ----------------------------------------------------------------------------

    def done(self, result: int) -> None:
        # Edits to the record are kept on closing; one that cannot be saved keeps it open.
        # (Only what the user may save: a viewer's typing is not kept.)
        if self.is_edited() and self.guard.allows(self.save_button) and \
                not self.save_details():
            self.tabs.setCurrentIndex(0)
            return
        self._stop_following()
        state.save_bytes(state.DRILL_DETAIL_GEOMETRY, self.saveGeometry())
        super().done(result)

    def open_report(self) -> None:
        """Close (keeping record edits) and show this drill's report on the Reports page."""
        opener = getattr(self.ctx.window, "open_drill_report", None)
        self.accept()
        if opener is not None and self.result() == QDialog.DialogCode.Accepted:
            opener(self.run_id)

    @classmethod
    def show_for(cls, ctx: AppContext, run_id: int, parent: QWidget | None = None) -> None:
        try:
            dialog = cls(ctx, run_id, parent)
        except DrillplannerError as error:
            messages.show_error(parent, str(error))
            return
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
