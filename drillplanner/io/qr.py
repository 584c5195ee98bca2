"""Texts (a phone page's link) as QR codes, through segno: a plain matrix of dark modules
that the GUI paints and the reports draw, so neither needs to know QR encoding."""

from __future__ import annotations

import segno

from drillplanner.domain.qr_matrix import QUIET_ZONE, QrMatrix

__all__ = ["ERROR_LEVEL", "QUIET_ZONE", "QrMatrix", "qr_matrix"]

#: Error correction M (about 15 % of the code may be unreadable): a link stays small
#: enough (version 4 for a LAN address) to scan from a projector or a creased sheet.
ERROR_LEVEL = "M"


def qr_matrix(text: str) -> QrMatrix:
    """The QR code of ``text``, the smallest version that holds it at level M.

    Raises:
        ValueError: ``text`` is empty or too long for any QR code.
    """
    if not text:
        raise ValueError("a QR code needs a text")
    try:
        # boost_error=False: the level is the one asked for, whatever room is left over,
        # so a code's size and look depend only on the text's length.
        code = segno.make(text, error=ERROR_LEVEL, micro=False, boost_error=False)
    except segno.DataOverflowError as error:
        raise ValueError(f"too long for a QR code: {len(text)} characters") from error
    rows = tuple(tuple(bool(module) for module in row) for row in code.matrix)
    return QrMatrix(size=len(rows), rows=rows)
