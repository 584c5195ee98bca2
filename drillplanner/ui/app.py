"""Starting the GUI: language, fonts, logging, the database, signing in (a database with
user accounts), the first-start offer."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from drillplanner import applog, config
from drillplanner.domain.credentials import mask_credentials
from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.permissions import Op
from drillplanner.i18n import _
from drillplanner.services import authorization
from drillplanner.services.database import Database, StorageError, open_database
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs.sign_in import SignInDialog
from drillplanner.ui.dialogs.startup import DatabaseErrorDialog, DemoOfferDialog
from drillplanner.ui.fonts import install_cjk_fallback
from drillplanner.ui.language import apply_language
from drillplanner.ui.live_refresh import LiveRefresh

log = logging.getLogger("drillplanner.ui")

DEMO_DATABASE_NAME = "demo.sqlite3"
QUIT_WHEN_SHOWN_VAR = "DRILLPLANNER_QUIT_WHEN_SHOWN"


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists), named so QSettings has a home."""
    QCoreApplication.setOrganizationName("drillplanner")
    QCoreApplication.setApplicationName("drillplanner")
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationDisplayName("drillplanner")
    app.setDesktopFileName("drillplanner")
    return app


def choose_language(cli_value: str | None) -> str:
    """--lang, else the saved preference, else the system locale; returns what was applied."""
    return apply_language(cli_value or config.load_preferences().language or None)


def install_excepthook(log_file: Path | None) -> None:
    """Unexpected errors: the traceback goes to the log, the user sees a short message."""
    showing = False

    def hook(kind: type[BaseException], error: BaseException,
             tb: TracebackType | None) -> None:
        nonlocal showing
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, error, tb)))
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        if showing or QApplication.instance() is None:
            return
        showing = True
        try:
            where = str(log_file) if log_file else _("(no log file could be written)")
            QMessageBox.critical(None, _("Unexpected error"), _(
                "Something went wrong: {error}\n\nYour data is safe up to the last saved "
                "change. Details are in the log file:\n{log}").format(
                    error=mask_credentials(str(error)) or kind.__name__, log=where))
        finally:
            showing = False

    sys.excepthook = hook


def open_with_recovery(target: str) -> Database | None:
    """Open ``target``; on a known storage error let the user pick another file or quit."""
    while True:
        try:
            return open_database(target)
        except StorageError as error:
            log.warning("cannot open %s: %s", target, error)
            chosen = DatabaseErrorDialog.ask(str(error))
            if chosen is None:
                return None
            target = str(chosen)


def initial_school(db: Database) -> int | None:
    """The school to show first: the last one used, else the first."""
    from drillplanner.services import schools

    found = schools.list_schools(db)
    remembered = config.load_preferences().last_school_id
    if any(s.id == remembered for s in found):
        return remembered
    return found[0].id if found else None


def sign_in_at_start(ctx: AppContext) -> bool:
    """A database with user accounts asks who is there before the window opens; one
    without has its local admin, named in the audit log by the computer's login. False
    when the user chose Quit."""
    from drillplanner.services import audit

    if not authorization.has_users(ctx.db):
        audit.set_actor(audit.os_login())  # who the audit log names (no accounts here)
        return True
    audit.set_actor(None)  # the signed-in user names every write, also in worker threads
    actor = SignInDialog.ask(ctx)
    if actor is None:
        log.info("no sign-in: quitting")
        return False
    ctx.set_user(actor)
    log.info("signed in as %s", actor.login)
    return True


def offer_demo(db: Database, demo: bool) -> None:
    """Fill an empty database with the demo schools (--demo always, otherwise if asked)."""
    from drillplanner.services import schools

    if db.read_only or schools.list_schools(db):
        return  # a read-only database cannot take them
    try:
        if authorization.refusal_for(db, Op.SET_UP_SCHOOL) is not None:
            return  # only someone who may set up schools is offered them
    except DrillplannerError:  # nobody signed in to a database with accounts
        return
    if not demo and not DemoOfferDialog.ask():
        return
    from drillplanner.services.demo import load_demo

    try:
        added = load_demo(db).value
    except DrillplannerError as error:
        log.warning("cannot load the demo schools: %s", error)
        QMessageBox.warning(None, _("Demo schools"), _(
            "The demo schools could not be loaded: {error}").format(error=error))
        return
    log.info("loaded %d demo schools", len(added))


def run_gui(db: str | None, language: str | None, demo: bool) -> int:
    """Open the main window on the chosen database; returns the exit code."""
    log_file = applog.setup_logging()
    app = create_application()
    install_excepthook(log_file)
    choose_language(language)
    family = install_cjk_fallback(app)

    target = str(config.data_dir() / DEMO_DATABASE_NAME) if demo else \
        config.database_target(db)
    database = open_with_recovery(target)
    if database is None:
        return 1
    live: LiveRefresh | None = None
    try:
        ctx = AppContext(database, str(log_file or applog.log_path()))
        if not sign_in_at_start(ctx):
            return 0
        offer_demo(database, demo)
        from drillplanner.ui.mainwindow import MainWindow

        if family is None:
            ctx.font_warning = _("No Chinese font installed: Chinese shows as boxes.")
        ctx.set_school(initial_school(database))
        window = MainWindow(ctx)
        ctx.window = window
        # Other computers' changes show as they are made; it outlives a rebuilt window.
        live = LiveRefresh(ctx)
        live.start()
        if os.environ.get(QUIT_WHEN_SHOWN_VAR):
            # benchmarks/startup.py times process start to the first shown window: quit on
            # the first turn of the event loop, before the work deferred to it.
            QTimer.singleShot(0, app.quit)
        window.show()
        return app.exec()
    finally:
        if live is not None:
            live.stop()
        database.close()
