"""A PDF shown inside the app (QtPdf), which can be printed page by page or saved as it is.

The PDF is held in memory (a QBuffer; no temporary files to clean up). Printing draws the
pages QPdfDocument renders, so the sheets match the preview; saving writes the previewed
bytes atomically. ``ask_printer`` and ``choose_pdf_to_save`` are the dialogs,
module functions so that tests can replace them.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QVBoxLayout, QWidget

from drillplanner.domain.errors import DrillplannerError
from drillplanner.domain.report_data import Paper
from drillplanner.i18n import _
from drillplanner.services.database import Database
from drillplanner.services.output_files import OutputKind, write_output
from drillplanner.ui import state

#: The highest resolution pages are drawn at for a printer (dots per inch).
PRINT_DPI = 300


def choose_pdf_to_save(parent: QWidget | None, suggested: str) -> Path | None:
    """Ask where to save a PDF; None when cancelled."""
    folder = state.load_text(state.LAST_ROSTER_FOLDER, str(Path.home()))
    name, _filter = QFileDialog.getSaveFileName(
        parent, _("Save Report"), str(Path(folder) / suggested), _("PDF files (*.pdf)"))
    if not name:
        return None
    path = Path(name)
    state.save_text(state.LAST_ROSTER_FOLDER, str(path.parent))
    return path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")


def ask_printer(parent: QWidget | None, printer: QPrinter) -> bool:
    """Let the user choose and set up ``printer``; False when cancelled."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print Report"))
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()


def file_name(*parts: str) -> str:
    """A PDF file name from ``parts`` without the characters file systems refuse."""
    text = " ".join(p for p in parts if p)
    return re.sub(r'[\\/:*?"<>|]+', "-", text).strip() + ".pdf"


class PdfPreview(QWidget):
    """A caption line over a scrolling view of every page."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = QPdfDocument(self)
        #: The shown PDF ("" until one is loaded) and the buffer QPdfDocument reads.
        self.data = b""
        self._buffer: QBuffer | None = None
        self.caption = QLabel(self)
        self.caption.setAccessibleName(_("What the preview shows"))
        self.caption.setWordWrap(True)
        self.view = QPdfView(self)
        self.view.setAccessibleName(_("Report preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # QPdfView keeps pages it rendered before a scroll bar appeared and draws them
        # squeezed (letters lose a column of pixels): keep the bar, so the width never
        # changes under a loaded document.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def load(self, data: bytes, caption: str) -> str:
        """Show the PDF ``data``; returns "" or why it cannot be shown."""
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        # The document reads its buffer while it is shown; the old one goes after the swap.
        self.document.load(buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            error = self.document.error()
            self.document.close()
            buffer.deleteLater()
            self._drop_buffer()
            self.data = b""
            return _("The report was built but cannot be shown ({error}).").format(
                error=error.name)
        self._drop_buffer()
        self._buffer, self.data = buffer, data
        self.caption.setText(caption)
        return ""

    def _drop_buffer(self) -> None:
        if self._buffer is not None:
            self._buffer.deleteLater()
            self._buffer = None

    def close_document(self) -> None:
        self.document.close()
        self._drop_buffer()
        self.data = b""

    # Printing ---------------------------------------------------------------------------

    def print_with_dialog(self, paper: Paper, title: str) -> str | None:
        """Ask for a printer, then print; None when cancelled, else "" or the problem."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter if paper is Paper.LETTER
                                      else QPageSize.PageSizeId.A4))
        printer.setDocName(title)
        if not ask_printer(self, printer):
            return None
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> str:
        """Draw every page on its own sheet of ``printer``; returns "" or the problem."""
        count = self.page_count
        if count == 0:
            return _("Preview a report first.")
        printer.setFullPage(True)
        self._orient(printer, 0)
        painter = QPainter()
        if not painter.begin(printer):
            return _("The printer could not be started.")
        try:
            dpi = min(printer.resolution(), PRINT_DPI)
            for page in range(count):
                if page > 0:
                    self._orient(printer, page)
                    printer.newPage()
                points = self.document.pagePointSize(page)
                image = self.document.render(page, QSize(round(points.width() * dpi / 72),
                                                         round(points.height() * dpi / 72)))
                area = painter.viewport()
                scaled = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(area.topLeft(), scaled), image)
        finally:
            painter.end()
        return ""

    def _orient(self, printer: QPrinter, page: int) -> None:
        # A landscape page (the schedule's month grids) goes on a landscape sheet.
        size = self.document.pagePointSize(page)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape
                                   if size.width() > size.height()
                                   else QPageLayout.Orientation.Portrait)

    # Saving -----------------------------------------------------------------------------

    def save_to(self, path: Path, db: Database | None = None) -> str:
        """Write the shown PDF to ``path`` whole (or leave it as it was); "" or the problem.

        ``path`` is checked as every output is (``output_files.check_output``): never the
        open database ``db``, a folder, a device or an existing file that is not a PDF.
        """
        if not self.data:
            return _("Preview a report first.")
        try:
            write_output(db, path, OutputKind.PDF, bytes(self.data))
        except DrillplannerError as error:
            return str(error)
        return ""
