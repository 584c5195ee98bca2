"""The phone page's HTTP API against the running server: tokens, refusals, validation,
resends, languages."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest
from phone_sample import PhoneSite

from drillplanner.services import drills, headcounts


def post(url: str, path: str, body: object, **headers: str) -> httpx.Response:
    return httpx.post(url + path, json=body, headers=headers, timeout=10)


def report(name: str, present: int, absent: int = 0, missing: int = 0, **more: object
           ) -> dict[str, object]:
    return {"class": name, "present": present, "absent": absent, "missing": missing,
            "entry_id": str(uuid.uuid4()), **more}


def test_a_report_is_recorded_and_answered_with_the_class_figures(phone_site: PhoneSite
                                                                   ) -> None:
    answer = post(phone_site.url, "headcounts",
                  report("一年级1班", 37, absent=1, missing=2, missing_names="王小明\n李华"),
                  **{"X-Language": "en"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["duplicate"] is False
    assert body["class"]["name"] == "一年级1班"
    assert body["class"]["state"] == "reported"
    assert (body["class"]["present"], body["class"]["absent"], body["class"]["missing"]) == (
        37, 1, 2)
    assert body["class"]["missing_names"] == ["王小明", "李华"]
    assert "37 present" in body["message"]
    rollup = headcounts.rollup(phone_site.db, phone_site.run_id)
    assert rollup.totals.present == 37
    assert rollup.totals.missing == 2
    assert [a.class_name for a in rollup.open_alerts] == ["一年级1班"]
    assert phone_site.changes, "the console was not told"


def test_a_resend_with_the_same_id_is_recorded_once(phone_site: PhoneSite) -> None:
    body = report("一年级2班", 38)
    first = post(phone_site.url, "headcounts", body)
    second = post(phone_site.url, "headcounts", body)
    assert first.status_code == second.status_code == 200
    assert first.json()["duplicate"] is False
    assert second.json()["duplicate"] is True
    assert second.json()["class"]["present"] == 38
    assert phone_site.entries("一年级2班") == 1
    assert len(phone_site.changes) == 1


def test_simultaneous_double_taps_are_recorded_once(phone_site: PhoneSite) -> None:
    body = report("二年级1班", 42)
    answers: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda: answers.append(
        post(phone_site.url, "headcounts", body))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [200] * 8
    assert sum(1 for a in answers if not a.json()["duplicate"]) == 1
    assert phone_site.entries("二年级1班") == 1


def test_figures_that_do_not_add_up_are_refused_with_the_arithmetic(phone_site: PhoneSite
                                                                     ) -> None:
    answer = post(phone_site.url, "headcounts", report("一年级1班", 30, missing=1))
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert "40" in error and "30" in error and "1" in error
    assert answer.json()["field"]
    assert phone_site.entries("一年级1班") == 0


def test_messages_come_in_the_language_the_page_asks_for(phone_site: PhoneSite) -> None:
    answer = post(phone_site.url, "headcounts", report("一年级1班", 30), **{
        "X-Language": "zh_CN"})
    assert answer.status_code == 422
    assert any("\u4e00" <= ch <= "\u9fff" for ch in answer.json()["error"])
    english = post(phone_site.url, "headcounts", report("一年级1班", 30), **{
        "X-Language": "en"})
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.json()["error"]
                   .replace("一年级1班", ""))
    # Without a choice the page speaks the school's language.
    default = post(phone_site.url, "headcounts", report("一年级1班", 30))
    assert default.json()["error"] == answer.json()["error"]


def test_an_unknown_class_is_named_in_the_refusal(phone_site: PhoneSite) -> None:
    answer = post(phone_site.url, "headcounts", report("九年级9班", 30))
    assert answer.status_code == 422
    assert "九年级9班" in answer.json()["error"]
    assert answer.json()["field"] == "class"


def test_the_page_and_its_state(phone_site: PhoneSite) -> None:
    page = httpx.get(phone_site.url, timeout=10)
    assert page.status_code == 200
    assert 'id="boot"' in page.text
    assert "page.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["cache-control"] == "no-store"
    for asset in ("page.js", "page.css"):
        assert httpx.get(phone_site.url + asset, timeout=10).status_code == 200
    state = httpx.get(phone_site.url + "state", timeout=10).json()
    assert state["school"] == "聊城市实验小学"
    assert state["link"] == "drill"
    assert [c["name"] for c in state["classes"]] == ["一年级1班", "一年级2班", "二年级1班"]
    assert all(c["can_record"] and c["state"] == "not_reported" for c in state["classes"])
    assert [g["name"] for g in state["grades"]] == ["一年级", "二年级"]
    assert state["totals"]["enrolled"] == 120


@pytest.mark.parametrize("path", ["", "state", "page.js"])
def test_a_wrong_token_shows_nothing_of_the_school(phone_site: PhoneSite, path: str) -> None:
    base = phone_site.url.rsplit("/p/", 1)[0]
    answer = httpx.get(f"{base}/p/{'A' * 22}/{path}", timeout=10)
    assert answer.status_code == 403
    assert "聊城" not in answer.text and "一年级" not in answer.text


@pytest.mark.parametrize("path", ["/", "/p/", "/static/page.js", "/p/../", "/favicon.ico"])
def test_nothing_is_served_outside_a_token(phone_site: PhoneSite, path: str) -> None:
    base = phone_site.url.rsplit("/p/", 1)[0]
    answer = httpx.get(base + path, timeout=10)
    assert answer.status_code in (403, 404)
    assert "聊城" not in answer.text


def test_a_guesser_is_slowed_down(phone_site: PhoneSite) -> None:
    base = phone_site.url.rsplit("/p/", 1)[0]
    codes = [httpx.get(f"{base}/p/{'B' * 21}{i % 10}/state", timeout=10).status_code
             for i in range(12)]
    assert codes[:10] == [403] * 10
    assert codes[10:] == [429, 429]


def test_a_cross_site_form_post_is_refused(phone_site: PhoneSite) -> None:
    form = httpx.post(phone_site.url + "headcounts", data={"class": "一年级1班"}, timeout=10)
    assert form.status_code == 415
    elsewhere = post(phone_site.url, "headcounts", report("一年级1班", 40),
                     Origin="http://evil.example")
    assert elsewhere.status_code == 403
    assert phone_site.entries("一年级1班") == 0


def test_bad_bodies_are_refused(phone_site: PhoneSite) -> None:
    no_id = post(phone_site.url, "headcounts", {"class": "一年级1班", "present": 40})
    assert no_id.status_code == 400
    not_json = httpx.post(phone_site.url + "headcounts", content=b"{oops",
                          headers={"Content-Type": "application/json"}, timeout=10)
    assert not_json.status_code == 400
    huge = post(phone_site.url, "headcounts", report("一年级1班", 40, note="x" * 20_000))
    assert huge.status_code == 413
    assert phone_site.entries("一年级1班") == 0


def test_after_the_all_clear_the_page_is_gone(phone_site: PhoneSite) -> None:
    drills.finish_drill(phone_site.db, phone_site.run_id)
    time.sleep(0.6)  # the watcher has seen it: the page refuses until it closes
    answer = post(phone_site.url, "headcounts", report("一年级1班", 40))
    assert answer.status_code == 410
    assert answer.json()["closed"] is True
    assert httpx.get(phone_site.url + "state", timeout=5).status_code == 410
    assert "聊城" not in answer.text
    assert phone_site.server.wait(timeout=5), "the page did not close at the all clear"
    with pytest.raises(httpx.ConnectError):
        httpx.get(phone_site.url, timeout=5)


def test_a_cancelled_drill_closes_the_page(phone_site: PhoneSite) -> None:
    drills.cancel_drill(phone_site.db, phone_site.run_id, "演练取消")
    assert phone_site.server.wait(timeout=5)
    assert not phone_site.server.running


def test_a_class_link_reaches_its_own_class_only(phone_site: PhoneSite) -> None:
    url = phone_site.class_url("一年级2班")
    state = httpx.get(url + "state", timeout=10).json()
    assert state["link"] == "class"
    assert [c["name"] for c in state["classes"]] == ["一年级2班"]
    assert state["totals"] is None
    mine = post(url, "headcounts", report("", 38))
    assert mine.status_code == 200, mine.text
    assert mine.json()["class"]["name"] == "一年级2班"
    other = post(url, "headcounts", report("一年级1班", 40))
    assert other.status_code == 403
    assert phone_site.entries("一年级1班") == 0
    verify = post(url, "verify", {"class": "一年级2班", "by": "李组长"})
    assert verify.status_code == 403


def test_a_browser_opening_a_wrong_link_gets_a_page_in_its_language(phone_site: PhoneSite
                                                                    ) -> None:
    base = phone_site.url.rsplit("/p/", 1)[0]
    for language, words in (("zh-CN,zh;q=0.9", "此链接无效"), ("en-US,en;q=0.9", "not valid")):
        answer = httpx.get(f"{base}/p/{'C' * 22}/", headers={"Accept-Language": language},
                           timeout=10)
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("text/html")
        assert words in answer.text
        assert "聊城" not in answer.text
