"""The QR code widget paints whole pixels per module, black on white with the quiet zone,
at whatever size it is given, and a decoder reads what it painted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtGui import QColor, QImage

from drillplanner.domain.qr_matrix import QUIET_ZONE
from drillplanner.io.qr import qr_matrix
from drillplanner.ui.widgets.qr_code import (
    PREFERRED_MODULE,
    QrCodePanel,
    QrCodeView,
    breakable,
)

URL = "http://192.168.1.5:8765/p/Zk3_x9QpLm2VbN8cRt0aYw/"
BLACK = QColor("#000000")
WHITE = QColor("#ffffff")


@pytest.fixture
def view(qtbot: QtBot) -> QrCodeView:
    widget = QrCodeView()
    qtbot.addWidget(widget)
    widget.set_code(qr_matrix(URL), URL)
    return widget


def painted(widget: QrCodeView, width: int, height: int) -> QImage:
    widget.resize(width, height)
    image = widget.grab().toImage()
    assert image.width() == width and image.devicePixelRatio() == 1
    return image


def decode(image: QImage, path: Path) -> str:
    image.save(str(path))
    result = subprocess.run(["zbarimg", "--raw", "--quiet", str(path)], capture_output=True,
                            text=True, timeout=30, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.rstrip("\n")


@pytest.mark.parametrize(("width", "height"), [(300, 300), (410, 260), (123, 500)])
def test_every_module_is_whole_pixels_black_or_white(view: QrCodeView, width: int,
                                                      height: int) -> None:
    image = painted(view, width, height)
    matrix = view.matrix()
    assert matrix is not None
    modules = matrix.size + 2 * QUIET_ZONE
    module = min(width, height) // modules
    assert view.module_pixels() == module >= 2
    area = view.code_rect()
    assert area.width() == area.height() == module * modules
    # Centred: the spare pixels split evenly (to one) on either side.
    assert abs(area.left() - (width - area.right() - 1)) <= 1
    assert abs(area.top() - (height - area.bottom() - 1)) <= 1
    padded = matrix.with_quiet_zone()
    for y, row in enumerate(padded):
        for x, dark in enumerate(row):
            # Every pixel of the module, corners included: no blur at the edges.
            for dx, dy in ((0, 0), (module - 1, 0), (0, module - 1), (module - 1, module - 1)):
                pixel = image.pixelColor(area.left() + x * module + dx,
                                         area.top() + y * module + dy)
                assert pixel == (BLACK if dark else WHITE), (x, y)


def test_size_hint_follows_the_preferred_module(view: QrCodeView) -> None:
    side = (33 + 2 * QUIET_ZONE) * PREFERRED_MODULE
    assert view.sizeHint().width() == view.sizeHint().height() == side
    assert view.minimumSizeHint().width() == (33 + 2 * QUIET_ZONE) * 2
    view.set_preferred_module(10)
    assert view.sizeHint().width() == 410


def test_named_for_screen_readers(view: QrCodeView) -> None:
    assert view.accessibleName() == "QR code"
    assert URL in view.accessibleDescription()
    assert view.toolTip() == URL
    view.set_code(None)
    assert view.accessibleDescription() == ""
    assert view.text() == ""


def test_no_code_paints_nothing(view: QrCodeView) -> None:
    view.set_code(None)
    image = painted(view, 120, 120)
    colours = {image.pixelColor(x, y).name() for x in range(0, 120, 7) for y in range(0, 120, 7)}
    assert "#000000" not in colours


@pytest.mark.skipif(shutil.which("zbarimg") is None, reason="zbarimg is not installed")
@pytest.mark.parametrize("side", [123, 300])
def test_a_decoder_reads_the_painted_code(view: QrCodeView, side: int, tmp_path: Path) -> None:
    assert decode(painted(view, side, side), tmp_path / "code.png") == URL


def test_the_panel_writes_the_link_under_the_code(qtbot: QtBot) -> None:
    panel = QrCodePanel()
    qtbot.addWidget(panel)
    panel.set_link(URL, "Report from a phone:")
    assert panel.url() == URL
    assert panel.code.matrix() == qr_matrix(URL)
    # Wraps after a slash where the column is narrow; read aloud without the breaks.
    assert panel.url_label.text() == breakable(URL)
    assert panel.url_label.text().replace("\u200b", "") == URL
    assert panel.url_label.accessibleDescription() == URL
    assert panel.caption.text() == "Report from a phone:"
    panel.set_link("")
    assert panel.code.matrix() is None and panel.url_label.text() == ""
