"""A QR code as plain data: which modules are dark.

The value lives in the domain so that report data can carry a code to the PDF builder and
the GUI can paint one, while only ``io.qr`` knows how a text becomes a code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

#: Two rows of modules in one character cell: (upper drawn, lower drawn) → character.
_HALF_BLOCKS = {(False, False): " ", (True, False): "\u2580", (False, True): "\u2584",
                (True, True): "\u2588"}

#: The light margin, in modules, that the standard requires around a QR code: scanners
#: find the code by its finder patterns against that margin.
QUIET_ZONE = 4


@dataclass(frozen=True, slots=True)
class QrMatrix:
    """A square QR code: ``rows[y][x]`` is True for a dark module, without quiet zone."""

    size: int
    rows: tuple[tuple[bool, ...], ...]

    def __post_init__(self) -> None:
        if self.size <= 0 or len(self.rows) != self.size or any(
                len(row) != self.size for row in self.rows):
            raise ValueError(f"a QR matrix must be {self.size}×{self.size} modules")

    def dark(self, x: int, y: int) -> bool:
        """Whether the module in column ``x`` of row ``y`` is dark."""
        return self.rows[y][x]

    def with_quiet_zone(self, border: int = QUIET_ZONE) -> tuple[tuple[bool, ...], ...]:
        """The rows with ``border`` light modules on every side."""
        blank = (False,) * (self.size + 2 * border)
        margin = (False,) * border
        return ((blank,) * border
                + tuple(margin + row + margin for row in self.rows)
                + (blank,) * border)

    def dark_runs(self) -> Iterator[tuple[int, int, int]]:
        """Each horizontal run of dark modules as (row, first column, length).

        Painting a run as one rectangle leaves no hairline seams between neighbouring
        modules (antialiased screens, PDF viewers) and draws far fewer shapes.
        """
        for y, row in enumerate(self.rows):
            x = 0
            while x < self.size:
                if row[x]:
                    start = x
                    while x < self.size and row[x]:
                        x += 1
                    yield y, start, x - start
                else:
                    x += 1

    def terminal_text(self, *, light_on_dark: bool = True, border: int = QUIET_ZONE) -> str:
        """The code as lines of Unicode half blocks (two rows of modules a line), with
        its quiet zone.

        Terminals mostly draw light text on a dark background, so by default the light
        modules are the ones drawn (as ``qrencode -t UTF8`` does); ``light_on_dark=False``
        draws the dark ones, for a light background or paper.
        """
        rows = self.with_quiet_zone(border)
        if len(rows) % 2:
            rows += ((False,) * len(rows[0]),)  # one more light row: still quiet zone
        lines = []
        for upper, lower in zip(rows[0::2], rows[1::2], strict=True):
            lines.append("".join(_HALF_BLOCKS[(a != light_on_dark, b != light_on_dark)]
                                 for a, b in zip(upper, lower, strict=True)))
        return "\n".join(lines)
