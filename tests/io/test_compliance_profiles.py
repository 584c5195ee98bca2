"""Compliance profiles as JSON: the shipped ones, round trips and malformed files."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from drillplanner import i18n
from drillplanner.domain.compliance import PeriodKind, Profile, ProfileFormatError, Requirement
from drillplanner.domain.events import EventKind
from drillplanner.io.compliance_profiles import (
    builtin_profile,
    load_builtin_profiles,
    profile_from_json,
    profile_to_json,
    read_profile_file,
)

VALID: dict[str, Any] = {
    "schema": 1,
    "code": "district_7",
    "name": {"en": "District 7", "zh": "第七学区"},
    "description": {"en": "Local rule.", "zh": "本地规定。"},
    "requirements": [
        {"code": "monthly", "label": {"en": "Monthly drill", "zh": "每月演练"},
         "kinds": ["fire", "earthquake"], "count": 1, "period": "month"},
        {"code": "first", "label": {"en": "Two in the first 20 days", "zh": "开学20天内2次"},
         "kinds": ["fire"], "count": 2, "period": "first_days", "days": 20},
        {"code": "autumn", "label": {"en": "Three by 30 November"},
         "kinds": ["lockdown"], "count": 3, "period": "before_date", "before": "11-30"},
    ],
}


def test_the_four_built_in_profiles() -> None:
    profiles = load_builtin_profiles()
    assert [p.code for p in profiles] == [
        "cn_moe_2014", "nfpa_101_educational", "us_ca_elementary", "us_ny"]
    for profile in profiles:
        assert profile.builtin
        assert profile.name_en and profile.name_zh
        assert "Source" in profile.description_en and "依据" in profile.description_zh
        for requirement in profile.requirements:
            assert requirement.label_en and requirement.label_zh
            assert all(kind.is_drill for kind in requirement.kinds)
    assert builtin_profile("us_ny") == profiles[3]
    with pytest.raises(KeyError):
        builtin_profile("nowhere")


def test_built_in_requirements_as_the_descriptions_say() -> None:
    nfpa = builtin_profile("nfpa_101_educational")
    first = nfpa.requirement("first_30_days")
    assert (first.period, first.days, first.count) == (PeriodKind.FIRST_DAYS, 30, 2)
    assert nfpa.requirement("monthly_egress").kinds == {EventKind.FIRE, EventKind.DRILL_OTHER}
    ny = builtin_profile("us_ny")
    assert [(r.code, r.count) for r in ny.requirements] == [
        ("evacuation", 8), ("lockdown", 4), ("by_december_31", 8)]
    assert ny.requirement("by_december_31").before == (12, 31)
    assert builtin_profile("cn_moe_2014").requirement("monthly_evacuation").kinds == {
        EventKind.FIRE, EventKind.EARTHQUAKE, EventKind.DRILL_OTHER}
    assert builtin_profile("us_ca_elementary").requirement(
        "quarterly_earthquake").period is PeriodKind.QUARTER


@pytest.mark.parametrize("code", ["cn_moe_2014", "nfpa_101_educational", "us_ca_elementary",
                                  "us_ny"])
def test_built_in_profiles_round_trip(code: str) -> None:
    profile = builtin_profile(code)
    text = profile_to_json(profile)
    assert profile_from_json(text, "copy.json", builtin=True) == profile
    assert profile_from_json(text, "copy.json").builtin is False


def test_a_custom_profile_with_every_period_kind_round_trips() -> None:
    requirements = tuple(
        Requirement(f"r{i}", f"Rule {i}", "" if i % 2 else f"规则{i}",
                    frozenset({EventKind.SHELTER, EventKind.LOCKDOWN}), i + 1, kind,
                    days=10 if kind is PeriodKind.FIRST_DAYS else None,
                    before=(2, 29) if kind is PeriodKind.BEFORE_DATE else None,
                    in_session_only=bool(i % 2))
        for i, kind in enumerate(PeriodKind))
    profile = Profile("mine", "", "我的方案", "", "自定义", requirements)
    text = profile_to_json(profile)
    assert profile_from_json(text, "mine.json") == profile
    assert json.loads(text)["requirements"][4]["before"] == "02-29"


def test_a_valid_document_reads() -> None:
    profile = profile_from_json(json.dumps(VALID), "district.json")
    assert profile.code == "district_7"
    assert profile.requirement("autumn").label_zh == ""
    assert profile.requirement("autumn").before == (11, 30)
    assert profile.requirement("monthly").in_session_only is True
    i18n.set_language("zh_CN")
    assert profile.requirement("autumn").label() == "Three by 30 November"


def _set(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


def _drop(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return change


@pytest.mark.parametrize(("change", "field", "problem"), [
    (_set(("requirements", 0, "kinds"), ["fire", "flood"]), "requirements[0].kinds[1]",
     "unknown drill kind \"flood\""),
    (_set(("requirements", 0, "kinds"), ["training"]), "requirements[0].kinds",
     "“Training” is not a drill"),
    (_set(("requirements", 0, "kinds"), []), "requirements[0].kinds", "at least one"),
    (_set(("requirements", 0, "kinds"), "fire"), "requirements[0].kinds", "must be a list"),
    (_set(("requirements", 0, "count"), 0), "requirements[0].count", "at least 1, not 0"),
    (_set(("requirements", 0, "count"), -2), "requirements[0].count", "at least 1, not -2"),
    (_set(("requirements", 0, "count"), "1"), "requirements[0].count", "whole number"),
    (_set(("requirements", 0, "count"), 1.5), "requirements[0].count", "whole number"),
    (_drop(("requirements", 1, "days")), "requirements[1].days", "needs a number of days"),
    (_set(("requirements", 1, "days"), 0), "requirements[1].days", "from 1 to 366"),
    (_set(("requirements", 0, "days"), 30), "requirements[0].days", "Only “First days"),
    (_set(("requirements", 2, "before"), "02-30"), "requirements[2].before",
     "2-30 is not a date"),
    (_set(("requirements", 2, "before"), "12/31"), "requirements[2].before", "MM-DD"),
    (_set(("requirements", 2, "before"), "13-01"), "requirements[2].before",
     "13-1 is not a date"),
    (_drop(("requirements", 2, "before")), "requirements[2].before", "needs a month"),
    (_set(("requirements", 0, "period"), "week"), "requirements[0].period",
     "unknown period \"week\""),
    (_drop(("requirements", 0, "period")), "requirements[0].period", "is missing"),
    (_set(("requirements", 0, "cout"), 1), "requirements[0].cout", "not a field"),
    (_set(("requirements", 0, "in_session_only"), "yes"), "requirements[0].in_session_only",
     "true or false"),
    (_set(("requirements", 0, "label"), {"en": "", "zh": " "}), "requirements[0].label",
     "English or the Chinese"),
    (_set(("requirements", 0, "label"), {"fr": "x"}), "requirements[0].label.fr",
     "only “en” and “zh”"),
    (_set(("requirements", 0, "code"), "no spaces please"), "requirements[0].code",
     "without spaces"),
    (_set(("requirements", 2, "code"), "monthly"), "requirements[2].code",
     "already has the code “monthly”"),
    (_set(("requirements", 0), "monthly"), "requirements[0]", "must be an object"),
    (_set(("requirements",), {}), "requirements", "must be a list"),
    (_drop(("name",)), "name", "is missing"),
    (_set(("name",), "District 7"), "name", "must be an object"),
    (_set(("code",), ""), "code", "one word"),
    (_set(("schema",), 2), "schema", "newer drillplanner"),
    (_set(("schema",), 0), "schema", "at least 1"),
    (_drop(("schema",)), "schema", "is missing"),
])
def test_malformed_profiles_name_source_and_field(
        change: Callable[[dict[str, Any]], None], field: str, problem: str) -> None:
    document = copy.deepcopy(VALID)
    change(document)
    with pytest.raises(ProfileFormatError) as caught:
        profile_from_json(json.dumps(document, ensure_ascii=False), "district.json")
    error = caught.value
    assert (error.source, error.field) == ("district.json", field)
    assert problem in error.problem
    assert str(error).startswith(f"district.json: {field}: ")


def test_text_that_is_not_json_names_the_line() -> None:
    with pytest.raises(ProfileFormatError, match=r"^broken\.json: line 3, column \d+: not "
                                                 r"valid JSON") as caught:
        profile_from_json('{\n  "schema": 1,\n  "code" "x"\n}', "broken.json")
    assert caught.value.source == "broken.json"
    with pytest.raises(ProfileFormatError, match="must be an object") as caught:
        profile_from_json("[1, 2]", "list.json")
    assert caught.value.field == ""


def test_messages_in_chinese() -> None:
    i18n.set_language("zh_CN")
    document = copy.deepcopy(VALID)
    document["requirements"][0]["count"] = 0
    with pytest.raises(ProfileFormatError) as caught:
        profile_from_json(json.dumps(document), "district.json")
    assert str(caught.value).startswith("district.json：requirements[0].count：")
    assert "不小于1" in caught.value.problem


def test_reading_profile_files(tmp_path: Path) -> None:
    path = tmp_path / "district.json"
    path.write_text(json.dumps(VALID, ensure_ascii=False), encoding="utf-8-sig")
    assert read_profile_file(path).name_zh == "第七学区"
    with pytest.raises(ProfileFormatError, match="cannot be read") as caught:
        read_profile_file(tmp_path / "missing.json")
    assert caught.value.source == "missing.json"
    latin = tmp_path / "latin.json"
    latin.write_bytes(json.dumps(VALID, ensure_ascii=False).encode("gb18030"))
    with pytest.raises(ProfileFormatError, match="not UTF-8") as caught:
        read_profile_file(latin)
    assert caught.value.source == "latin.json"
