"""The drill report is honest about where the record stands, read back from the PDF: a
draft on every page while the drill runs, cancelled with its reason and no headcount
tables, signature lines once completed, the signer and the audit hash once signed, the
corrections and amendments with who, when and why, and an all clear given with a student
still missing."""

from __future__ import annotations

import dataclasses
import io
from datetime import datetime, timedelta
from pathlib import Path

import pdf_tools
import pytest
from school_builder import Report, SchoolIds, make_school, run_drill
from test_drill_report import synthetic_report

from drillplanner.domain.drill_runs import Notification, RunDetails, RunStatus
from drillplanner.domain.events import EventKind
from drillplanner.domain.report_data import DrillReportData, ReportOptions
from drillplanner.reports.drill import build_drill_report
from drillplanner.services import audit, drills, headcounts, report_data
from drillplanner.storage.database import Database

ALARM = datetime(2026, 11, 9, 10, 0)
CLASSES = {"一年级": [("1班", 30), ("2班", 32)], "二年级": [("1班", 28)]}


def build(data: DrillReportData, language: str = "en") -> bytes:
    out = io.BytesIO()
    build_drill_report(data, out, ReportOptions(language=language))
    return out.getvalue()


def pages(data: DrillReportData, language: str = "en") -> list[str]:
    return pdf_tools.page_texts(build(data, language))


@pytest.fixture
def school(db: Database) -> SchoolIds:
    return make_school(db, "测试小学", CLASSES, principal="陆秀兰")


def reports(ids: SchoolIds, missing: str = "") -> dict[str, Report]:
    """Everyone present (``missing`` reports one student missing, 张小明)."""
    return {name: Report(present=ids.enrolled[name] - (name == missing),
                         missing=int(name == missing), after=timedelta(seconds=80 + 10 * n),
                         missing_names=("张小明",) if name == missing else ())
            for n, name in enumerate(ids.classes)}


#: Words of the signature lines (the draft's band says "not for signature", 不可签字).
SIGNATURE_WORDS = {"en": ("Signatures", "Full name", "Signature"),
                   "zh_CN": ("签名", "演练组织人")}


def test_a_running_drill_is_a_draft_on_every_page_without_signature_lines() -> None:
    finished = synthetic_report(60, posts=20)
    running = dataclasses.replace(finished, run=dataclasses.replace(
        finished.run, status=RunStatus.IN_PROGRESS, all_clear_at=None))
    for language, mark in (("en", "DRAFT"), ("zh_CN", "草稿")):
        texts = pages(running, language)
        assert len(texts) >= 3
        for number, text in enumerate(texts, start=1):
            assert mark in text, (language, number)
        whole = "".join(texts)
        assert not any(word in whole for word in SIGNATURE_WORDS[language]), language
        # The same data completed prints signature lines and no mark.
        done = "".join(pages(finished, language))
        assert mark not in done
        assert all(word in done for word in SIGNATURE_WORDS[language]), language


def test_a_running_drill_from_the_database_is_a_draft(db: Database, school: SchoolIds) -> None:
    run_id = run_drill(db, school, ALARM, reports(school), all_clear_after=None)
    text = pdf_tools.text(build(report_data.drill_data(db, run_id)))
    assert "DRAFT – the drill is still in progress" in text
    assert "Full accountability not reached yet" not in text  # every class has reported
    assert "Signatures" not in text and "Corrections after the all clear" not in text


def test_a_cancelled_drill_prints_as_cancelled_without_headcount_tables(
        db: Database, school: SchoolIds) -> None:
    run = drills.start_drill(db, school.school_id, kind=EventKind.EARTHQUAKE, at=ALARM).value
    drills.cancel_drill(db, run.id, "暴雨，改期")
    data = report_data.drill_data(db, run.id)
    for language, words in (
            ("en", ("CANCELLED", "Cancelled: 暴雨，改期", "not held")),
            ("zh_CN", ("已取消", "暴雨，改期", "未举行"))):
        texts = pages(data, language)
        for text in texts:
            assert words[0] in text and "暴雨，改期" in text, language
        whole = pdf_tools.squeeze("".join(texts))
        assert all(pdf_tools.squeeze(w) in whole for w in words), language
    text = pdf_tools.text(build(data))
    # No headcount, totals, accountability or signature that would contradict "not held":
    # no "on roll 81, expected 0, present 0".
    for absent in ("On roll", "Expected", "Present", "School total", "Accountability",
                   "Headcounts by class", "Signatures", "Floors cleared"):
        assert absent not in text, absent
    zh = pdf_tools.text(build(data, "zh_CN"))
    for absent in ("在册", "应到", "实到", "全校合计", "签字"):
        assert absent not in zh, absent


def test_a_blank_notification_prints_a_line_to_fill_in(db: Database,
                                                       school: SchoolIds) -> None:
    run_id = run_drill(db, school, ALARM, reports(school),
                       details=RunDetails(conducted_by="李主任", weather="晴"))
    data = report_data.drill_data(db, run_id)
    assert data.run.details.notification is None
    text = pdf_tools.squeeze(pdf_tools.text(build(data)))
    assert pdf_tools.squeeze("not recorded – write in: Bell, Whistle, Public address") in text
    assert "Bell" not in text.replace("Bell,Whistle", "")  # not made up as the method
    zh = pdf_tools.squeeze(pdf_tools.text(build(data, "zh_CN")))
    assert "未记录" in zh and "电铃、口哨" in zh
    drills.update_details(db, run_id, RunDetails(conducted_by="李主任", weather="晴",
                                                 notification=Notification.SIREN))
    recorded = pdf_tools.text(build(report_data.drill_data(db, run_id)))
    assert "Siren" in recorded and "write in" not in recorded


def test_an_all_clear_with_a_student_missing_is_printed(db: Database,
                                                        school: SchoolIds) -> None:
    run_id = run_drill(db, school, ALARM, reports(school, missing="一年级2班"))
    data = report_data.drill_data(db, run_id)
    assert data.run.missing_at_all_clear == 1
    text = pdf_tools.squeeze(pdf_tools.text(build(data)))
    assert pdf_tools.squeeze("The all clear (10:08:00) was given before everyone was "
                             "accounted for: 1 student was still missing.") in text
    zh = pdf_tools.squeeze(pdf_tools.text(build(data, "zh_CN")))
    assert "1名学生仍下落不明" in zh


def test_the_reporter_and_the_verifier_are_both_on_the_record(db: Database,
                                                              school: SchoolIds) -> None:
    run_id = run_drill(db, school, ALARM, reports(school), all_clear_after=None)
    headcounts.verify_headcount(db, run_id, school.classes["一年级1班"], "李组长",
                                at=ALARM + timedelta(minutes=3))
    drills.finish_drill(db, run_id, at=ALARM + timedelta(minutes=8))
    text = pdf_tools.text(build(report_data.drill_data(db, run_id)))
    line = next(line for line in text.splitlines() if "一年级1班" in line)
    assert "班主任" in line and "李组长" in line
    assert "Reported" in text and "Verified" in text


def signed_and_amended(db: Database, ids: SchoolIds) -> int:
    """A drill with a missing student found after the all clear, a corrected class, a
    corrected record, signed off and then amended."""
    run_id = run_drill(db, ids, ALARM, reports(ids, missing="一年级2班"),
                       details=RunDetails(conducted_by="李主任", weather="晴"))
    two = ids.classes["一年级2班"]
    headcounts.resolve_missing(db, run_id, two, "卫生间", found_by="值周教师",
                               at=ALARM + timedelta(minutes=9), reason="解除警报后找到")
    headcounts.record_headcount(db, run_id, ids.classes["二年级1班"], 27, absent=1,
                                by="年级组长", reason="一人病假，漏报缺席")
    drills.update_details(db, run_id, RunDetails(conducted_by="王主任", weather="晴"),
                          reason="组织人记错")
    drills.sign_drill(db, run_id, "陆秀兰")
    drills.update_details(db, run_id, RunDetails(conducted_by="王主任", weather="晴",
                                                 notification=Notification.BELL),
                          reason="补记通知方式")
    drills.add_action(db, run_id, "二楼楼梯口增派引导教师", owner="王老师",
                      reason="校务会决定")
    return run_id


def test_a_signed_drill_prints_who_signed_the_hash_and_its_amendments(
        db: Database, school: SchoolIds, tmp_path: Path) -> None:
    run_id = signed_and_amended(db, school)
    data = report_data.drill_data(db, run_id)
    digest = audit.latest_hash(db, run_id)
    assert digest is not None and data.audit_hash == digest
    text = pdf_tools.text(build(data))
    flat = pdf_tools.squeeze(text)
    assert "Signed off by" in text and "陆秀兰" in text
    assert data.run.signed_at is not None
    assert data.run.signed_at.strftime("%H:%M") in text
    assert digest in flat
    # Who signed instead of blank lines.
    assert "Full name" not in text and "Signature" not in text.replace("Signed", "")
    corrections = text[text.index("Corrections after the all clear"):text.index("Sign-off")]
    for words in ("组织人记错", "李主任 → 王主任", "一人病假，漏报缺席", "解除警报后找到",
                  "卫生间", "年级组长"):
        assert pdf_tools.squeeze(words) in pdf_tools.squeeze(corrections), words
    amendments = text[text.index("Amendments after sign-off"):]
    for words in ("补记通知方式", "(blank) → Bell", "校务会决定", "二楼楼梯口增派引导教师"):
        assert pdf_tools.squeeze(words) in pdf_tools.squeeze(amendments), words
    assert "组织人记错" not in amendments
    # The class row says its figures were corrected (the note wraps).
    row = text[text.index("二年级1班"):text.index("Total 二年级")]
    assert "correctedaftertheallclear" in pdf_tools.squeeze(row)
    # The found student counts as accounted for: the totals add up.
    assert "Accounted for: 89 of 89 expected (present 88, found later 1); still missing 0." \
        in text
    zh = pdf_tools.squeeze(pdf_tools.text(build(data, "zh_CN")))
    for words in ("签署人", "陆秀兰", digest, "签署后的修订", "解除警报后的更正", "补记通知方式"):
        assert words in zh, words
    rendered = pdf_tools.render(build(data, "zh_CN"), tmp_path / "zh")
    assert rendered.stderr == ""
