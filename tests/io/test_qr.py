"""QR codes of phone links: the matrix is segno's, the standard's shape at level M, and a
real decoder (zbarimg, when installed) reads the link back from a rendered image."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import segno
from PIL import Image

from drillplanner.domain.qr_matrix import QUIET_ZONE, QrMatrix
from drillplanner.io.qr import qr_matrix

URL = "http://192.168.100.200:8765/p/Zk3_x9QpLm2VbN8cRt0aYw/"

#: A finder pattern: 7×7, dark ring, light ring, dark 3×3 centre.
FINDER = tuple(tuple(max(abs(x - 3), abs(y - 3)) != 2 for x in range(7)) for y in range(7))

#: The 2-bit error correction level in a QR code's format information.
LEVEL_BITS = {"L": 1, "M": 0, "Q": 3, "H": 2}


def _format_bits(matrix: QrMatrix) -> int:
    """The 15 format bits beside the top-left finder (bit 0 in column 8, row 0)."""
    places = [(8, i) for i in range(6)] + [(8, 7), (8, 8), (7, 8)] + [
        (14 - i, 8) for i in range(9, 15)]
    return sum(matrix.dark(x, y) << bit for bit, (x, y) in enumerate(places))


def _format_word(level: str, mask: int) -> int:
    """ISO/IEC 18004's format word: level and mask, BCH(15, 5), XOR 0x5412."""
    data = LEVEL_BITS[level] << 3 | mask
    remainder = data
    for _ in range(10):
        remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537)
    return (data << 10 | remainder) ^ 0x5412


def _block(matrix: QrMatrix, left: int, top: int) -> tuple[tuple[bool, ...], ...]:
    return tuple(row[left:left + 7] for row in matrix.rows[top:top + 7])


def test_the_matrix_is_segnos_at_level_m() -> None:
    made = qr_matrix(URL)
    code = segno.make(URL, error="m", boost_error=False, micro=False)
    assert made.rows == tuple(tuple(bool(m) for m in row) for row in code.matrix)
    assert code.error == "M"


def test_a_lan_link_is_a_version_4_code_of_33_modules() -> None:
    made = qr_matrix(URL)
    assert made.size == 33 == 17 + 4 * 4
    assert all(len(row) == 33 for row in made.rows)


@pytest.mark.parametrize("text", ["http://x/", URL, URL + "?" + "a" * 200])
def test_finder_patterns_timing_and_format_level_m(text: str) -> None:
    made = qr_matrix(text)
    n = made.size
    assert (n - 17) % 4 == 0 and n >= 21
    for left, top in ((0, 0), (n - 7, 0), (0, n - 7)):
        assert _block(made, left, top) == FINDER
    # Timing patterns alternate between the finders (row 6 and column 6).
    assert [made.dark(x, 6) for x in range(8, n - 8)] == [x % 2 == 0 for x in range(8, n - 8)]
    assert [made.dark(6, y) for y in range(8, n - 8)] == [y % 2 == 0 for y in range(8, n - 8)]
    # The dark module beside the bottom-left finder is always there.
    assert made.dark(8, n - 8)
    bits = _format_bits(made)
    assert bits in {_format_word("M", mask) for mask in range(8)}
    assert bits not in {_format_word(level, mask) for level in "LQH" for mask in range(8)}


def test_quiet_zone_and_runs_describe_the_same_code() -> None:
    made = qr_matrix(URL)
    padded = made.with_quiet_zone()
    assert len(padded) == made.size + 2 * QUIET_ZONE
    assert not any(padded[0]) and not any(padded[-1])
    assert not any(row[0] or row[-1] for row in padded)
    assert tuple(row[QUIET_ZONE:-QUIET_ZONE] for row in padded[QUIET_ZONE:-QUIET_ZONE]) \
        == made.rows
    rebuilt = [[False] * made.size for _ in range(made.size)]
    for y, start, length in made.dark_runs():
        assert length > 0
        for x in range(start, start + length):
            assert not rebuilt[y][x]
            rebuilt[y][x] = True
    assert tuple(tuple(row) for row in rebuilt) == made.rows


def test_the_value_refuses_a_matrix_that_is_not_square() -> None:
    with pytest.raises(ValueError, match="2×2"):
        QrMatrix(2, ((True, False), (True,)))


@pytest.mark.parametrize("text", ["", "x" * 3000])
def test_an_empty_or_overlong_text_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="QR code"):
        qr_matrix(text)


def render(matrix: QrMatrix, path: Path, scale: int = 6) -> Path:
    """The code as a black-on-white PNG with its quiet zone, ``scale`` pixels a module."""
    padded = matrix.with_quiet_zone()
    side = len(padded)
    image = Image.new("1", (side, side), 1)
    image.putdata([0 if dark else 1 for row in padded for dark in row])
    image.resize((side * scale, side * scale), Image.Resampling.NEAREST).save(path)
    return path


def decode(path: Path) -> str:
    """What zbarimg reads from the image at ``path``."""
    result = subprocess.run(["zbarimg", "--raw", "--quiet", "-Sdisable", "-Sqrcode.enable",
                             str(path)], capture_output=True, text=True, timeout=30,
                            check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.rstrip("\n")


needs_zbarimg = pytest.mark.skipif(shutil.which("zbarimg") is None,
                                   reason="zbarimg (Debian zbar-tools) is not installed")


@needs_zbarimg
@pytest.mark.parametrize("text", [URL, "http://10.0.0.2:8765/p/AAAAAAAAAAAAAAAAAAAAAA/",
                                  "http://127.0.0.1:8765/p/-_-_-_-_-_-_-_-_-_-_-_/"])
def test_a_decoder_reads_the_link_back(text: str, tmp_path: Path) -> None:
    assert decode(render(qr_matrix(text), tmp_path / "code.png")) == text


def _from_terminal(text: str, light_on_dark: bool) -> list[list[bool]]:
    """Module rows (True: dark) read back from half-block text."""
    halves = {" ": (False, False), "▀": (True, False), "▄": (False, True), "█": (True, True)}
    rows: list[list[bool]] = []
    for line in text.split("\n"):
        pairs = [halves[char] for char in line]
        rows.append([upper != light_on_dark for upper, _lower in pairs])
        rows.append([lower != light_on_dark for _upper, lower in pairs])
    return rows


@pytest.mark.parametrize("light_on_dark", [True, False])
def test_terminal_text_holds_every_module_and_the_quiet_zone(light_on_dark: bool) -> None:
    made = qr_matrix(URL)  # 33 modules + 8 of quiet zone: an odd height, one row added
    text = made.terminal_text(light_on_dark=light_on_dark)
    lines = text.split("\n")
    assert len(lines) == (made.size + 2 * QUIET_ZONE + 1) // 2
    assert {len(line) for line in lines} == {made.size + 2 * QUIET_ZONE}
    rows = _from_terminal(text, light_on_dark)
    assert tuple(tuple(row) for row in rows[:-1]) == made.with_quiet_zone()
    assert not any(rows[-1])
