"""A QR code painted crisply at any size: whole device pixels per module, black on white
with the quiet zone scanners need, centred in whatever room the layout gives; and a panel
of a code with its link written under it."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from drillplanner.domain.qr_matrix import QUIET_ZONE, QrMatrix
from drillplanner.i18n import _
from drillplanner.io.qr import qr_matrix

#: Pixels per module the widget asks for: a version-4 code of a LAN link is then 246 px.
PREFERRED_MODULE = 6
#: Below this a phone camera at arm's length struggles; the layout may still squeeze it.
MINIMUM_MODULE = 2
DARK = QColor("#000000")
LIGHT = QColor("#ffffff")


class QrCodeView(QWidget):
    """Shows one QR code (or nothing); the text it holds is its accessible description."""

    def __init__(self, parent: QWidget | None = None,
                 preferred_module: int = PREFERRED_MODULE) -> None:
        super().__init__(parent)
        self.setObjectName("qrCode")
        self.setAccessibleName(_("QR code"))
        self._matrix: QrMatrix | None = None
        self._text = ""
        self._preferred = preferred_module
        # No height-for-width: a box layout would then size it by the column's whole
        # width, not by the code's. It paints square and centred in whatever it gets.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    # The code -------------------------------------------------------------------------

    def set_code(self, matrix: QrMatrix | None, text: str = "") -> None:
        """Show ``matrix`` (the code of ``text``), or nothing when None."""
        self._matrix = matrix
        self._text = text if matrix is not None else ""
        described = _("QR code of {text}").format(text=self._text) if self._text else ""
        self.setAccessibleDescription(described)
        self.setToolTip(self._text)
        self.updateGeometry()
        self.update()

    def matrix(self) -> QrMatrix | None:
        return self._matrix

    def text(self) -> str:
        return self._text

    def set_preferred_module(self, pixels: int) -> None:
        """How many pixels a module should have when there is room (projector: more)."""
        self._preferred = max(pixels, MINIMUM_MODULE)
        self.updateGeometry()

    # Geometry -------------------------------------------------------------------------

    def _modules(self) -> int:
        """Modules across, quiet zone included."""
        size = self._matrix.size if self._matrix is not None else 25
        return size + 2 * QUIET_ZONE

    def sizeHint(self) -> QSize:
        side = self._modules() * self._preferred
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        side = self._modules() * MINIMUM_MODULE
        return QSize(side, side)

    def module_pixels(self) -> int:
        """Device pixels per module at the widget's size (at least 1)."""
        ratio = self.devicePixelRatioF()
        room = int(min(self.width(), self.height()) * ratio)
        return max(room // self._modules(), 1)

    def code_rect(self) -> QRect:
        """Where the code and its quiet zone are painted, in device pixels."""
        ratio = self.devicePixelRatioF()
        side = self.module_pixels() * self._modules()
        left = (int(self.width() * ratio) - side) // 2
        top = (int(self.height() * ratio) - side) // 2
        return QRect(left, top, side, side)

    # Painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        matrix = self._matrix
        if matrix is None:
            return
        painter = QPainter(self)
        # Work in device pixels so every module edge falls on a pixel edge (HiDPI too).
        ratio = self.devicePixelRatioF()
        painter.scale(1 / ratio, 1 / ratio)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        area = self.code_rect()
        painter.fillRect(area, LIGHT)
        module = self.module_pixels()
        left = area.left() + QUIET_ZONE * module
        top = area.top() + QUIET_ZONE * module
        for y, start, length in matrix.dark_runs():
            painter.fillRect(left + start * module, top + y * module, length * module, module,
                             DARK)
        painter.end()


def breakable(url: str) -> str:
    """``url`` with a zero-width space after each "/", where a label may wrap it.

    Only for text that is read, never copied: the spaces would come along.
    """
    return url.replace("/", "/\u200b")


class QrCodePanel(QWidget):
    """A QR code with its link written under it, for reading off a screen from afar."""

    def __init__(self, parent: QWidget | None = None,
                 preferred_module: int = PREFERRED_MODULE) -> None:
        super().__init__(parent)
        self.setObjectName("qrCodePanel")
        self.code = QrCodeView(self, preferred_module)
        self.caption = QLabel(self)
        self.caption.setObjectName("qrCaption")
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.url_label = QLabel(self)
        self.url_label.setObjectName("qrUrl")
        self.url_label.setAccessibleName(_("Link"))
        self.url_label.setTextFormat(Qt.TextFormat.PlainText)
        self.url_label.setWordWrap(True)
        self.url_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.code, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.url_label)

    def set_link(self, url: str, caption: str = "") -> None:
        """Show the code of ``url`` ("" shows nothing) with ``caption`` above it."""
        self.code.set_code(qr_matrix(url) if url else None, url)
        self.url_label.setText(breakable(url))
        self.url_label.setAccessibleDescription(url)
        self.caption.setText(caption)
        self.caption.setVisible(bool(caption))

    def url(self) -> str:
        return self.code.text()
