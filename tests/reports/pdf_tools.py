"""Reading a PDF back the way a person or another program would: text (pdftotext and
pypdf), fonts (pdffonts), rendered pages (pdftoppm) and their colours."""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image
from pypdf import PdfReader


def text(pdf: bytes, *, layout: bool = True, page: int | None = None) -> str:
    """The document's text as pdftotext reads it (one page with ``page``, from 1)."""
    command = ["pdftotext", "-enc", "UTF-8"]
    if layout:
        command.append("-layout")
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    result = subprocess.run([*command, "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text as pypdf extracts it."""
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    """(width, height) of every page in whole points."""
    return {(round(float(p.mediabox.width)), round(float(p.mediabox.height)))
            for p in PdfReader(io.BytesIO(pdf)).pages}


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool


def fonts(pdf: bytes, tmp_path: Path) -> list[FontRow]:
    """pdffonts' table of the fonts the document uses."""
    path = tmp_path / "fonts-check.pdf"
    path.write_bytes(pdf)
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                            check=True).stdout.splitlines()
    rows = []
    for line in output[2:]:
        # name, type (may hold spaces), encoding, emb, sub, uni, object id
        match = re.match(r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$",
                         line)
        assert match, line
        rows.append(FontRow(match.group(1), match.group(2), match.group(4) == "yes"))
    return rows


@dataclass(frozen=True)
class Rendered:
    pages: list[Path]
    stderr: str


def render(pdf: bytes, folder: Path, dpi: int = 40) -> Rendered:
    """Every page rendered to PNG by pdftoppm; what it complained about in ``stderr``."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "document.pdf"
    source.write_bytes(pdf)
    result = subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(source),
                             str(folder / "page")], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return Rendered(sorted(folder.glob("page*.png")), result.stderr)


def has_colour(png: Path, hex_colour: str, tolerance: int = 3, minimum: int = 20) -> bool:
    """Whether at least ``minimum`` pixels of the page are ``hex_colour`` (± tolerance)."""
    wanted = tuple(int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    with Image.open(png) as image:
        counts = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    found = sum(count for count, pixel in counts
                if all(abs(a - b) <= tolerance for a, b in zip(pixel, wanted, strict=True)))
    return found >= minimum


@dataclass(frozen=True)
class Word:
    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float
    page: int


def words(pdf: bytes) -> list[Word]:
    """Every word with its box (points from the top left), from ``pdftotext -bbox``."""
    result = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", "-", "-"], input=pdf,
                            capture_output=True, check=True).stdout.decode("utf-8")
    found, page = [], 0
    for line in result.splitlines():
        if "<page " in line:
            page += 1
        match = re.search(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">'
                          r"(.*)</word>", line)
        if match:
            x0, y0, x1, y1 = (float(match.group(i)) for i in range(1, 5))
            found.append(Word(_unescape(match.group(5)), x0, y0, x1, y1, page))
    return found


def _unescape(value: str) -> str:
    return (value.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
            .replace("&amp;", "&"))


def squeeze(value: str) -> str:
    """Text without any whitespace, for finding words that wrapped across lines."""
    return re.sub(r"\s+", "", value)
