"""Names and texts refuse control characters and text-direction overrides, naming the field,
and drop zero-width characters, so a look-alike name is the same name (issue 10, item 5)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from drillplanner.domain import validation as v
from drillplanner.domain.errors import ValidationError

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"]


@pytest.mark.parametrize("char", BIDI)
@pytest.mark.parametrize("check", [v.name, v.text])
def test_bidi_controls_are_refused_naming_the_field(check: object, char: str) -> None:
    with pytest.raises(ValidationError) as refused:
        check("title", f"消防演练{char}gpj.exe")  # type: ignore[operator]
    assert refused.value.field == "title"
    assert refused.value.message.startswith("Title ")
    assert f"U+{ord(char):04X}" in refused.value.message


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\n", "\t"])
def test_control_characters_are_refused_in_names(char: str) -> None:
    with pytest.raises(ValidationError) as refused:
        v.name("name", f"郑家镇{char}东小学")
    assert refused.value.field == "name" and refused.value.message.startswith("Name ")
    assert f"U+{ord(char):04X}" in refused.value.message


def test_free_text_keeps_line_breaks_but_not_other_controls() -> None:
    assert v.text("description", "第一行\r\n第二行\t完") == "第一行\r\n第二行\t完"
    with pytest.raises(ValidationError, match=r"U\+001B"):
        v.text("description", "red \x1b[31m")


@pytest.mark.parametrize("char", ZERO_WIDTH)
def test_zero_width_characters_are_dropped(char: str) -> None:
    assert v.name("name", f"郑家镇东小学{char}") == "郑家镇东小学"
    assert v.name("name", f" {char}郑家{char}镇东小学 ") == "郑家镇东小学"
    assert v.text("address", f"{char}") == ""
    with pytest.raises(ValidationError, match="must not be empty"):
        v.name("name", char * 3)


@pytest.mark.parametrize("value", [date(1, 1, 1), datetime(1899, 12, 31, 23, 0),
                                   date(2201, 1, 1), datetime(9999, 12, 31, 23, 59)])
def test_dates_outside_the_planning_years_are_refused(value: date) -> None:
    with pytest.raises(ValidationError) as refused:
        v.in_years("start", value)
    assert refused.value.field == "start" and "1900" in refused.value.message


def test_dates_inside_the_planning_years_pass() -> None:
    v.in_years("start", date(1900, 1, 1))
    v.in_years("start", datetime(2200, 12, 31, 23, 59))
