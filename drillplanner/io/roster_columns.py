"""Roster columns: which header names mean which field, and the headers we write.

Schools keep rosters in spreadsheets they made themselves, so a header is matched ignoring
case, spaces, underscores and full-width forms, against a list of names people actually use in
English and Chinese. Anything else is reported as unknown rather than guessed.
"""

from __future__ import annotations

import unicodedata

# Field keys in the order files are written; the keys match domain.fields labels.
COLUMNS: tuple[str, ...] = (
    "grade", "class", "homeroom_teacher", "enrolled", "room", "floor", "building",
    "assembly_area",
)
REQUIRED: tuple[str, ...] = ("grade", "class", "enrolled")

SYNONYMS: dict[str, tuple[str, ...]] = {
    "grade": ("grade", "grade name", "year", "年级", "年级名称", "年级名"),
    "class": ("class", "class name", "form", "班级", "班名", "班级名称", "班级名", "班"),
    "homeroom_teacher": ("homeroom teacher", "homeroom", "class teacher", "form teacher",
                         "teacher", "班主任", "班主任姓名", "班主任老师"),
    "enrolled": ("enrolled", "enrollment", "enrolment", "students", "number of students",
                 "student count", "人数", "学生人数", "在籍人数", "班级人数",
                 "学生数", "应到人数"),
    "room": ("room", "classroom", "room number", "教室", "教室号", "所在教室", "房间"),
    "floor": ("floor", "storey", "楼层", "所在楼层", "层"),
    "building": ("building", "building name", "楼栋", "教学楼", "所在楼栋", "楼宇", "楼"),
    "assembly_area": ("assembly area", "assembly point", "muster point", "集合区域",
                      "集合点", "安全集合区域", "集合地点", "疏散集合点"),
}

# Headers as we write them; the reader accepts both languages whatever the current one is.
HEADERS_EN: dict[str, str] = {
    "grade": "Grade", "class": "Class", "homeroom_teacher": "Homeroom teacher",
    "enrolled": "Enrolled", "room": "Room", "floor": "Floor", "building": "Building",
    "assembly_area": "Assembly area",
}
HEADERS_ZH: dict[str, str] = {
    "grade": "年级", "class": "班级", "homeroom_teacher": "班主任", "enrolled": "人数",
    "room": "教室", "floor": "楼层", "building": "楼栋", "assembly_area": "集合区域",
}

_IGNORED = str.maketrans("", "", " \t\r\n_-*:：")


def normalize_header(text: str) -> str:
    """Fold a header cell for matching: "Homeroom_Teacher " and "ＨＯＭＥＲＯＯＭ teacher" agree."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded.translate(_IGNORED)


_LOOKUP: dict[str, str] = {
    normalize_header(name): key for key, names in SYNONYMS.items() for name in names
}


def column_for(header: str) -> str | None:
    """The field key a header names, or None when it is not a roster column we know."""
    return _LOOKUP.get(normalize_header(header))


def header_names(language: str) -> list[str]:
    """The header row we write: Chinese for zh_CN, English otherwise."""
    headers = HEADERS_ZH if language == "zh_CN" else HEADERS_EN
    return [headers[key] for key in COLUMNS]


def accepted_names(key: str) -> str:
    """The names a column may carry, for messages ("enrolled, 人数, ...")."""
    return ", ".join(SYNONYMS[key])
