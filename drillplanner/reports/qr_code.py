"""A QR code on a PDF page, drawn as vector shapes from ``domain.qr_matrix``: sharp at
any zoom or printer resolution, and no image to embed."""

from __future__ import annotations

from reportlab.lib.colors import black, white
from reportlab.platypus import Flowable

from drillplanner.domain.qr_matrix import QUIET_ZONE, QrMatrix


class QrCode(Flowable):
    """The code with its quiet zone, ``side`` points square."""

    def __init__(self, matrix: QrMatrix, side: float) -> None:
        super().__init__()
        self.matrix = matrix
        self.side = side

    @property
    def module(self) -> float:
        return self.side / (self.matrix.size + 2 * QUIET_ZONE)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return self.side, self.side

    def draw(self) -> None:
        canvas = self.canv
        module = self.module
        top = self.side - QUIET_ZONE * module
        canvas.saveState()
        # The quiet zone is white even on a tinted table cell.
        canvas.setFillColor(white)
        canvas.rect(0, 0, self.side, self.side, stroke=0, fill=1)
        # One path for every dark run: viewers fill it as one shape, so no hairline seams
        # show between neighbouring modules.
        path = canvas.beginPath()
        for y, start, length in self.matrix.dark_runs():
            path.rect((QUIET_ZONE + start) * module, top - (y + 1) * module,
                      length * module, module)
        canvas.setFillColor(black)
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
