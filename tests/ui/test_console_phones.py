"""Phones from the drill console: the real phone server on a loopback port, its dialog, a
phone's entry reaching the console at once, Stop Phones, the all clear, a port in use,
closing the console and quitting, and the projector's code."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator

import httpx
import pytest
from accounts_sample import add_accounts
from drill_sample import start_fire_drill
from pytestqt.qtbot import QtBot
from ui_sample import Sample, unnamed_controls

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel

from drillplanner.domain.changes import Changes, Kind
from drillplanner.domain.drill_runs import DrillRun
from drillplanner.io.qr import qr_matrix
from drillplanner.services import drills
from drillplanner.ui.context import AppContext
from drillplanner.ui.dialogs import messages
from drillplanner.ui.dialogs.phones import PhonesDialog
from drillplanner.ui.signals import emit
from drillplanner.ui.views import console_phones
from drillplanner.ui.views.drill_console import DrillConsole
from drillplanner.web import server

# Typing a class shows the completion list; offscreen Qt cannot raise it or grab keys.
pytestmark = pytest.mark.qt_log_ignore("does not support raise", "does not support grabbing")


@pytest.fixture(autouse=True)
def _loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Serve on a free loopback port, never on the school's network."""
    monkeypatch.setattr(console_phones, "HOST", "127.0.0.1")
    monkeypatch.setattr(console_phones, "PORT", 0)
    monkeypatch.setattr(server, "CLOSING_GRACE", 0.5)


@pytest.fixture
def run(ctx: AppContext, sample: Sample) -> DrillRun:
    return start_fire_drill(ctx.db, sample.school.id)


@pytest.fixture
def console(ctx: AppContext, run: DrillRun, qtbot: QtBot) -> Iterator[DrillConsole]:
    widget = DrillConsole(ctx, run.id)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.stop()  # as the Drill page does when the console goes: phones off


def open_phones(console: DrillConsole, qtbot: QtBot) -> PhonesDialog:
    console.phones.button.click()
    dialog = console.phones.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def report(url: str, name: str, present: int) -> httpx.Response:
    return httpx.post(url + "headcounts", timeout=10, json={
        "class": name, "present": present, "absent": 0, "missing": 0,
        "entry_id": str(uuid.uuid4())})


def test_phones_button_serves_the_page_and_shows_its_code(console: DrillConsole,
                                                           qtbot: QtBot) -> None:
    button = console.phones.button
    assert button.text() == "Ph&ones…"
    assert button.isEnabled() and button.toolTip()
    dialog = open_phones(console, qtbot)
    server = console.phones.server
    assert server is not None and server.running
    url = server.url
    assert url.startswith("http://127.0.0.1:") and url.endswith("/")
    assert button.text() == "Ph&ones (on)…"
    assert dialog.message.text() == "Phones are on."
    assert dialog.url_edit.text() == url and dialog.url_edit.isReadOnly()
    assert dialog.drill_code.code.matrix() == qr_matrix(url)
    assert dialog.drill_box.isVisible() and dialog.stop_button.isVisible()
    assert not dialog.start_button.isVisible()
    assert unnamed_controls(dialog) == []
    # The page answers at the link the code holds.
    state = httpx.get(url + "state", timeout=10)
    assert state.status_code == 200 and state.json()["link"] == "drill"

    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == url
    assert dialog.copied_label.text() == "Copied."

    # Each class has its own link and code.
    names = [dialog.class_list.item(i).text() for i in range(dialog.class_list.count())]
    assert names == ["一年级1班", "一年级2班", "二年级1班"]
    dialog.class_list.setCurrentRow(1)
    class_id = next(c.class_id for c in console.classes if c.name == "一年级2班")
    class_url = server.class_urls()[class_id]
    assert dialog.class_code.url() == class_url != url
    assert dialog.class_code.code.matrix() == qr_matrix(class_url)
    assert "roll-call sheet" in dialog.class_note.text()
    assert httpx.get(class_url + "state", timeout=10).json()["link"] == "class"

    # Phones… again shows the same dialog and server: one per run.
    assert open_phones(console, qtbot) is dialog
    assert console.phones.server is server and server.url == url


def test_a_phone_entry_shows_in_the_console_at_once(console: DrillConsole, ctx: AppContext,
                                                    run: DrillRun, qtbot: QtBot) -> None:
    open_phones(console, qtbot)
    console.poll_timer.stop()  # what follows comes through the notification, not the poll
    received: list[tuple[Changes, bool]] = []
    ctx.changed.connect(lambda changes, _source: received.append(
        (changes, threading.current_thread() is threading.main_thread())))
    with qtbot.waitSignal(ctx.changed, timeout=5000):
        answer = report(console.phones.url(), "一年级2班", 44)
        assert answer.status_code == 200, answer.text
    qtbot.waitUntil(lambda: console.rollup is not None and console.rollup.totals.present == 44,
                    timeout=3000)
    changes, on_gui_thread = received[0]
    assert changes.touches_record(Kind.HEADCOUNT, run.id)
    assert on_gui_thread
    assert console.total_labels["present"].text() == "44"


def test_stop_phones_closes_the_page_and_start_serves_the_same_links(
        console: DrillConsole, qtbot: QtBot) -> None:
    dialog = open_phones(console, qtbot)
    url = console.phones.url()
    dialog.stop_button.click()
    assert not console.phones.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "state", timeout=5)
    assert console.phones.button.text() == "Ph&ones…"
    assert dialog.message.text() == "Phones are off."
    assert not dialog.drill_box.isVisible()
    assert dialog.start_button.isVisible() and dialog.start_button.isEnabled()
    dialog.start_button.click()
    assert console.phones.running
    # Port 0 picks another port; the token (what the printed class codes carry) stays.
    assert console.phones.url().rsplit("/p/", 1)[1] == url.rsplit("/p/", 1)[1]


def test_the_all_clear_closes_the_page_and_greys_phones(
        console: DrillConsole, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_phones(console, qtbot)
    url = console.phones.url()
    monkeypatch.setattr(messages, "confirm", lambda *args: True)
    console.all_clear()
    assert not console.phones.button.isEnabled()
    qtbot.waitUntil(lambda: not console.phones.running, timeout=5000)
    qtbot.waitUntil(lambda: console.phones.button.text() == "Ph&ones…", timeout=3000)
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + "state", timeout=5)
    assert dialog.message.text() == "Phones are off: the drill is over."
    assert not dialog.start_button.isEnabled()


def test_a_drill_ended_elsewhere_closes_the_page(console: DrillConsole, ctx: AppContext,
                                                 run: DrillRun, qtbot: QtBot) -> None:
    open_phones(console, qtbot)
    drills.cancel_drill(ctx.db, run.id, "停电")  # on another computer: nobody tells us
    with qtbot.waitSignal(ctx.status, timeout=5000,
                          check_params_cb=lambda text: text == "Phones are off."):
        pass
    assert not console.phones.running


def test_a_port_in_use_is_said_instead_of_a_code(console: DrillConsole, qtbot: QtBot,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        monkeypatch.setattr(console_phones, "PORT", taken.getsockname()[1])
        dialog = open_phones(console, qtbot)
    assert not console.phones.running
    assert "in use" in dialog.message.text()
    assert dialog.message.text() == console.phones.error
    assert not dialog.drill_box.isVisible()
    assert dialog.drill_code.code.matrix() is None
    assert console.phones.button.text() == "Ph&ones…"
    # Once the port is free, Start Phones serves.
    monkeypatch.setattr(console_phones, "PORT", 0)
    dialog.start_button.click()
    assert console.phones.running and dialog.drill_box.isVisible()
    assert console.phones.error == ""


def test_closing_the_console_or_quitting_stops_phones(ctx: AppContext, run: DrillRun,
                                                      qtbot: QtBot) -> None:
    console = DrillConsole(ctx, run.id)
    qtbot.addWidget(console)
    console.phones.start()
    server = console.phones.server
    assert server is not None and server.running
    emit(QCoreApplication.instance().aboutToQuit)
    assert not server.running
    console.phones.start()
    assert server.running
    console.stop()
    assert not server.running


def test_projector_mode_shows_the_code_in_a_corner_while_phones_are_on(
        console: DrillConsole, qtbot: QtBot) -> None:
    corner = console.phones.corner
    console.resize(1920, 1080)
    console.set_projector(True)
    assert not corner.isVisible()  # phones off: no code
    console.phones.start()
    assert corner.isVisible()
    url = console.phones.url()
    assert corner.url() == url
    assert corner.url_label.text().replace("\u200b", "") == url
    qtbot.waitUntil(lambda: corner.code.module_pixels() >= 8)
    # Bottom right of the console.
    place = corner.mapTo(console, corner.rect().bottomRight())
    assert place.x() > console.width() * 0.7 and place.y() > console.height() * 0.7
    console.set_projector(False)
    assert not corner.isVisible()
    console.set_projector(True)
    console.phones.stop()
    assert not corner.isVisible()


def test_phones_key_is_its_own(console: DrillConsole) -> None:
    widgets = [*console.findChildren(QAbstractButton), *console.findChildren(QLabel)]
    texts = [w.text() for w in widgets if w.isVisible()]
    assert "Ph&ones…" in texts
    keys = [t.split("&", 1)[1][0].lower() for t in texts if "&" in t.replace("&&", "")]
    assert keys.count("o") == 1


def test_a_stale_callback_after_the_console_went_is_harmless(ctx: AppContext, run: DrillRun,
                                                           qtbot: QtBot) -> None:
    console = DrillConsole(ctx, run.id)
    phones = console.phones
    console.deleteLater()
    qtbot.wait(10)
    QCoreApplication.sendPostedEvents()
    # The server thread's last word after the console and its relay were deleted.
    phones._from_stop()
    phones._from_entry(Changes.of(Kind.HEADCOUNT, run.id))


def test_only_who_runs_the_drill_may_turn_phones_on(console: DrillConsole, ctx: AppContext,
                                                     sample: Sample) -> None:
    accounts = add_accounts(ctx.db, sample)
    ctx.set_user(accounts.teacher)
    button = console.phones.button
    assert not button.isEnabled()
    assert "Start, run, stop and write up a drill" in button.toolTip()
    assert not console.phones.can_start
    ctx.set_user(accounts.principal)
    assert button.isEnabled()
    assert "Wi-Fi" in button.toolTip()
