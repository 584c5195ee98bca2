"""The phone page in a school with accounts: sign in, own classes only, the grade leader's
check, class links, and who may open the page at all."""

from __future__ import annotations

import uuid
from contextlib import closing

import httpx
import pytest
from phone_sample import PASSWORD, PhoneSite, add_accounts, school_with_drill

from drillplanner.domain.drill_runs import RunStatus
from drillplanner.domain.permissions import PermissionDenied
from drillplanner.services import authorization, drills, headcounts, users
from drillplanner.services.database import Database
from drillplanner.web.server import PhoneServer, PortInUse


def report(name: str, present: int) -> dict[str, object]:
    return {"class": name, "present": present, "entry_id": str(uuid.uuid4())}


def signed_in(site: PhoneSite, login: str) -> httpx.Client:
    client = httpx.Client(base_url=site.url, timeout=10)
    answer = client.post("signin", json={"login": login, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client


def test_nobody_reports_before_signing_in(phone_site_with_accounts: PhoneSite) -> None:
    site = phone_site_with_accounts
    state = httpx.get(site.url + "state", timeout=10).json()
    assert state["needs_sign_in"] is True
    assert state["classes"] == []
    answer = httpx.post(site.url + "headcounts", json=report("一年级1班", 40), timeout=10)
    assert answer.status_code == 401
    assert answer.json()["sign_in"] is True
    wrong = httpx.post(site.url + "signin", json={"login": "zhang", "password": "nope"},
                       timeout=10)
    assert wrong.status_code == 401
    assert site.entries("一年级1班") == 0


def test_a_teacher_reports_their_own_class_only(phone_site_with_accounts: PhoneSite) -> None:
    site = phone_site_with_accounts
    with closing(signed_in(site, "zhang")) as phone:
        state = phone.get("state").json()
        assert state["user"]["name"] == "张老师"
        assert {c["name"]: c["can_record"] for c in state["classes"]} == {
            "一年级1班": True, "一年级2班": False, "二年级1班": False}
        assert phone.post("headcounts", json=report("一年级1班", 40)).status_code == 200
        other = phone.post("headcounts", json=report("一年级2班", 38))
        assert other.status_code == 403
        assert "张老师" in other.json()["error"]
        assert phone.post("verify", json={"class": "一年级1班"}).status_code == 403
    items = headcounts.history(site.db, site.run_id, site.class_ids["一年级1班"])
    assert [i.recorded_by for i in items] == ["张老师"]
    assert site.entries("一年级2班") == 0


def test_the_grade_leader_verifies_their_grade(phone_site_with_accounts: PhoneSite) -> None:
    site = phone_site_with_accounts
    with closing(signed_in(site, "zhang")) as teacher:
        teacher.post("headcounts", json=report("一年级1班", 40))
    with closing(signed_in(site, "li")) as leader:
        state = leader.get("state").json()
        assert {c["name"]: c["can_verify"] for c in state["classes"]} == {
            "一年级1班": True, "一年级2班": False, "二年级1班": False}
        answer = leader.post("verify", json={"class": "一年级1班"})
        assert answer.status_code == 200, answer.text
        assert answer.json()["class"]["state"] == "verified"
        assert answer.json()["class"]["verified_by"] == "李组长"
        assert leader.post("verify", json={"class": "二年级1班"}).status_code == 403
        assert leader.post("signout", json={}).status_code == 200
        assert leader.get("state").json()["needs_sign_in"] is True


def test_a_class_link_needs_no_sign_in(phone_site_with_accounts: PhoneSite) -> None:
    site = phone_site_with_accounts
    url = site.class_url("一年级2班")
    answer = httpx.post(url + "headcounts", json={**report("一年级2班", 38), "by": "周老师"},
                        timeout=10)
    assert answer.status_code == 200, answer.text
    items = headcounts.history(site.db, site.run_id, site.class_ids["一年级2班"])
    assert [i.recorded_by for i in items] == ["周老师"]
    assert httpx.post(url + "headcounts", json=report("一年级1班", 40),
                      timeout=10).status_code == 403


def test_a_teacher_cannot_open_the_page(db: Database) -> None:
    school_id, run_id, ids = school_with_drill(db)
    add_accounts(db, school_id, ids)
    with authorization.acting_as(users.actor_of(db, "zhang")), pytest.raises(
            PermissionDenied):
        PhoneServer(db, run_id, host="127.0.0.1", port=0).start()


def test_the_page_opens_only_while_the_drill_runs(db: Database) -> None:
    _school_id, run_id, _ids = school_with_drill(db)
    drills.finish_drill(db, run_id)
    assert drills.get_run(db, run_id).status is RunStatus.COMPLETED
    with pytest.raises(Exception, match="only while the drill runs"):
        PhoneServer(db, run_id, host="127.0.0.1", port=0).start()


def test_a_taken_port_is_said_so(db: Database) -> None:
    _school_id, run_id, _ids = school_with_drill(db)
    first = PhoneServer(db, run_id, host="127.0.0.1", port=0)
    first.start()
    try:
        second = PhoneServer(db, run_id, host="127.0.0.1", port=first.port)
        with pytest.raises(PortInUse, match=str(first.port)):
            second.start()
    finally:
        first.stop()
