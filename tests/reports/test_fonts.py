"""Finding a Chinese font reportlab can embed, and saying what to install when there is
none (never falling back to the unembedded STSong-Light)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from drillplanner import i18n
from drillplanner.reports import fonts
from drillplanner.reports.fonts import ReportFontError, find_font, fontconfig_candidates

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def needs(path: str) -> None:
    if not Path(path).exists():
        pytest.skip(f"{path} is not installed")


def test_the_known_place_is_used_without_asking_fontconfig() -> None:
    needs(WQY)
    asked: list[bool] = []

    def fontconfig() -> list[str]:
        asked.append(True)
        return []

    assert find_font([WQY], fontconfig).face.filename == WQY
    assert not asked


def test_a_font_without_chinese_is_passed_over(tmp_path: Path) -> None:
    needs(WQY)
    needs(DEJAVU)
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"not a font at all")
    found = find_font([str(tmp_path / "missing.ttc"), str(not_a_font), DEJAVU], lambda: [WQY])
    assert found.face.filename == WQY


def test_fontconfig_answers_are_read_as_file_names() -> None:
    answers = {"fc-match": "/fonts/wqy-microhei.ttc",
               "fc-list": "/fonts/a.ttf: \n/fonts/wqy-microhei.ttc: \n\n/fonts/b.ttc:\n"}

    def run(command: Iterable[str]) -> str:
        return answers[next(iter(command))]

    assert fontconfig_candidates(run) == ["/fonts/wqy-microhei.ttc", "/fonts/a.ttf",
                                          "/fonts/b.ttc"]


def test_without_a_usable_font_the_error_says_what_to_install() -> None:
    with pytest.raises(ReportFontError, match="fonts-wqy-microhei"):
        find_font([DEJAVU], lambda: [DEJAVU])
    i18n.set_language("zh_CN")
    with pytest.raises(ReportFontError, match="文泉驿微米黑"):
        find_font([], list)


def test_building_a_report_without_a_font_fails_clearly(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setattr(fonts, "_registered", None)
    monkeypatch.setattr(fonts, "KNOWN_PATHS", ())
    monkeypatch.setattr(fonts, "fontconfig_candidates", list)
    with pytest.raises(ReportFontError):
        fonts.report_font()
