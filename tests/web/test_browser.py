"""The phone page in a real browser (Debian's Chromium driven by Playwright) at a phone's
size, against the real server and database: what a class teacher on the playground does.

Set DRILLPLANNER_SCREENSHOTS to a folder to keep screenshots of the screens for a look.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from phone_sample import PASSWORD, PhoneSite
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from drillplanner.domain.headcount import ClassStatus
from drillplanner.services import headcounts

CHROMIUM = Path("/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
#: Longer than the page's 3 s retry and 5 s refresh, so each has had its chance.
WAIT_MS = 12_000


def chromium_of(playwright: Playwright) -> Path | None:
    """Debian's Chromium, or on Ubuntu (whose chromium is a snap) the build setup.sh has
    Playwright download."""
    if CHROMIUM.exists():
        return CHROMIUM
    bundled = Path(playwright.chromium.executable_path)
    return bundled if bundled.exists() else None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if os.environ.get("DRILLPLANNER_SKIP_BROWSER") == "1":
        pytest.skip("browser tests skipped: DRILLPLANNER_SKIP_BROWSER=1")
    # Some screens change only at the page's next 5 s refresh.
    expect.set_options(timeout=WAIT_MS)
    with sync_playwright() as playwright:
        executable = chromium_of(playwright)
        if executable is None:
            pytest.fail(f"No Chromium at {CHROMIUM}: run scripts/setup.sh dev to install it "
                        "(or set DRILLPLANNER_SKIP_BROWSER=1 to skip the browser tests).",
                        pytrace=False)
        chromium = playwright.chromium.launch(executable_path=str(executable),
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


@dataclass
class Phone:
    context: BrowserContext
    page: Page = field(init=False)
    problems: list[str] = field(default_factory=list)

    def new_page(self) -> Page:
        """Another tab of the same phone (the same storage), noting its errors too."""
        self.page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        return self.page

    def _console(self, message: ConsoleMessage) -> None:
        # A refused request is the browser's note on a status the page handles itself.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.problems.append(message.text)

    def open(self, url: str, language: str = "en") -> Page:
        self.page.goto(url)
        expect(self.page.locator("#view-loading")).to_be_hidden()
        use_language(self.page, language)
        return self.page


@pytest.fixture
def phone(browser: Browser) -> Iterator[Phone]:
    """A fresh phone (its own storage and cookies) that notes script errors and CSP
    refusals."""
    context = browser.new_context(viewport=PHONE)  # type: ignore[arg-type]
    found = Phone(context)
    found.new_page()
    yield found
    context.close()
    assert not found.problems, found.problems


def use_language(page: Page, language: str) -> None:
    """Switch the page to ``language`` ("en" or "zh_CN") with its own button."""
    wanted = "zh-CN" if language == "zh_CN" else "en"
    html = page.locator("html")
    if html.get_attribute("lang") != wanted:
        page.click("#lang-switch")
    expect(html).to_have_attribute("lang", wanted)


def shot(page: Page, name: str) -> None:
    folder = os.environ.get("DRILLPLANNER_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def choose(page: Page, name: str) -> None:
    page.click(f"#pick-list button[data-class='{name}']")
    expect(page.locator("#entry-class")).to_have_text(name)


def fill(page: Page, present: int | str, absent: int = 0, missing: int = 0, injured: int = 0,
         names: str = "") -> None:
    page.fill("#f-present", str(present))
    page.fill("#f-absent", str(absent))
    page.fill("#f-missing", str(missing))
    page.fill("#f-injured", str(injured))
    if names:
        page.fill("#f-missing-names", names)


def status_of(site: PhoneSite, name: str) -> ClassStatus:
    rollup = headcounts.rollup(site.db, site.run_id)
    return next(c for c in rollup.classes if c.info.name == name)


def eventually(check: Callable[[], bool], seconds: float = WAIT_MS / 1000) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "not within the time a phone is given"
        time.sleep(0.1)


def pending_on_phone(page: Page) -> int:
    return int(page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('drillplanner.pending'))"
        ".reduce((n, k) => n + JSON.parse(localStorage.getItem(k)).length, 0)"))


# Reporting ---------------------------------------------------------------------------------


def test_a_report_is_confirmed_and_reaches_the_console(phone_site: PhoneSite,
                                                       phone: Phone) -> None:
    page = phone.open(phone_site.url)
    expect(page.locator("#school")).to_have_text("聊城市实验小学")
    choose(page, "一年级1班")
    fill(page, 37, absent=1, missing=2, names="王小明, 李华")
    expect(page.locator("#missing-names-box")).to_be_visible()
    expect(page.locator("#roll-hint")).to_contain_text("37 + 1 + 2 = 40")
    page.click("#send")
    card = page.locator("#done-card")
    expect(card).to_contain_text("Received")
    # The server's own words and figures, not the ones typed.
    expect(card).to_contain_text("37 present, 1 absent, 2 missing")
    expect(card).to_contain_text("王小明、李华")

    status = status_of(phone_site, "一年级1班")
    assert status.state.value == "reported"
    assert status.figures is not None
    assert (status.figures.present, status.figures.absent, status.figures.missing) == (37, 1, 2)
    assert status.figures.missing_names == ("王小明", "李华")
    assert phone_site.changes, "the console was not told"
    assert phone_site.entries("一年级1班") == 1


def test_a_reported_class_shows_its_figures_and_takes_a_correction(phone_site: PhoneSite,
                                                                   phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "一年级2班")
    fill(page, 38)
    page.click("#send")
    expect(page.locator("#done-card")).to_contain_text("Received")
    page.click("#done-correct")
    expect(page.locator("#entry-last")).to_contain_text("Reported")
    expect(page.locator("#f-present")).to_have_value("38")
    expect(page.locator("#send")).to_have_text("Send a correction")
    fill(page, 37, missing=1, names="王小明")
    page.click("#send")
    expect(page.locator("#done-card")).to_contain_text("37 present")
    assert phone_site.entries("一年级2班") == 2
    status = status_of(phone_site, "一年级2班")
    assert status.figures is not None and status.figures.missing == 1


def test_figures_that_do_not_add_up_show_the_servers_arithmetic(phone_site: PhoneSite,
                                                                phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "一年级1班")
    fill(page, 30)
    expect(page.locator("#roll-hint")).to_contain_text("10 short")
    page.click("#send")
    error = page.locator("[data-error-for=present]")
    expect(error).to_be_visible()
    expect(error).to_contain_text("do not add up")
    expect(error).to_contain_text("present 30")
    # The message comes in the page's language: the X-Language header.
    use_language(page, "zh_CN")
    page.click("#send")
    expect(error).to_contain_text("人数对不上")
    assert phone_site.entries("一年级1班") == 0


def test_a_field_left_empty_is_asked_for_before_sending(phone_site: PhoneSite,
                                                        phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "二年级1班")
    page.fill("#f-present", "")
    page.click("#send")
    expect(page.locator("[data-error-for=present]")).to_be_visible()
    assert phone_site.entries("二年级1班") == 0


def test_the_steppers_count_and_never_go_below_zero(phone_site: PhoneSite,
                                                    phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "二年级1班")
    plus = page.locator("[data-for=missing][data-step='1']")
    minus = page.locator("[data-for=missing][data-step='-1']")
    plus.click()
    plus.click()
    expect(page.locator("#f-missing")).to_have_value("2")
    minus.click()
    minus.click()
    minus.click()
    expect(page.locator("#f-missing")).to_have_value("0")
    expect(page.locator("#missing-names-box")).to_be_hidden()


# Languages ---------------------------------------------------------------------------------


def shown_keys(page: Page) -> list[str]:
    """Texts on screen that are a string's key instead of its words (a key page.js uses
    that page_strings.py lacks)."""
    return list(page.evaluate(
        "() => [...document.querySelectorAll('body *')]"
        ".filter(e => e.offsetParent !== null && e.children.length === 0)"
        ".map(e => e.textContent.trim()).filter(t => /^[a-z]+(_[a-z]+)+$/.test(t))"))


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_every_screen_has_its_words_in_both_languages(phone_site: PhoneSite, phone: Phone,
                                                      language: str) -> None:
    page = phone.open(phone_site.url, language)
    suffix = "zh" if language == "zh_CN" else "en"
    headcounts.record_headcount(phone_site.db, phone_site.run_id,
                                phone_site.class_ids["二年级1班"], 41, absent=1)
    expect(page.locator("#pick-list button[data-class='二年级1班'] .badge-reported")
           ).to_be_visible()
    shot(page, f"classes_{suffix}")
    assert shown_keys(page) == []
    choose(page, "一年级1班")
    fill(page, 36, absent=1, missing=2, names="王小明\n李华")
    shot(page, f"entry_{suffix}")
    assert shown_keys(page) == []
    page.click("#send")
    expect(page.locator("[data-error-for=present]")).to_be_visible()
    shot(page, f"error_{suffix}")
    page.fill("#f-present", "37")
    page.click("#send")
    expect(page.locator("#done-card .tick")).to_be_visible()
    shot(page, f"confirmation_{suffix}")
    assert shown_keys(page) == []
    page.click("#done-other")
    choose(page, "一年级2班")
    fill(page, 38)
    phone.context.set_offline(True)
    page.click("#send")
    expect(page.locator("#done-card.waiting")).to_be_visible()
    shot(page, f"offline_{suffix}")
    assert shown_keys(page) == []
    phone.context.set_offline(False)
    expect(page.locator("#pending-banner")).to_be_hidden()
    page.click("#tab-grade")
    expect(page.locator("#grade-list .row[data-class='一年级2班']")).to_be_visible()
    shot(page, f"grade_{suffix}")
    assert shown_keys(page) == []
    assert phone_site.entries("一年级1班") == phone_site.entries("一年级2班") == 1


# Languages ---------------------------------------------------------------------------------


def test_the_language_switch_changes_the_labels_and_is_remembered(phone_site: PhoneSite,
                                                                  phone: Phone) -> None:
    page = phone.open(phone_site.url, "en")
    choose(page, "一年级1班")
    label = page.locator("label[for=f-present]")
    expect(label).to_have_text("Present")
    expect(page.locator("#tab-grade")).to_have_text("Grade")
    page.click("#lang-switch")
    expect(label).to_have_text("实到")
    expect(page.locator("#tab-grade")).to_have_text("年级")
    expect(page.locator("#lang-switch")).to_have_text("English")
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("#tab-grade")).to_have_text("年级")
    page.click("#lang-switch")
    expect(page.locator("#tab-grade")).to_have_text("Grade")


# Never lost, never counted twice -----------------------------------------------------------


def test_a_report_made_offline_waits_on_the_phone_and_arrives_once(phone_site: PhoneSite,
                                                                   phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "一年级2班")
    fill(page, 36, absent=2)
    phone.context.set_offline(True)
    page.click("#send")
    banner = page.locator("#pending-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("1 waiting")
    expect(page.locator("#done-card")).to_contain_text("Saved on this phone")
    # Sending the same figures again is the same report, not a second one.
    page.click("#done-correct")
    page.click("#send")
    expect(page.locator("#done-card")).to_contain_text("Saved on this phone")
    expect(banner).to_contain_text("1 waiting")
    assert pending_on_phone(page) == 1
    assert phone_site.entries("一年级2班") == 0

    phone.context.set_offline(False)
    expect(page.locator("#done-card")).to_contain_text("Received")
    expect(banner).to_be_hidden()
    assert phone_site.entries("一年级2班") == 1
    page.wait_for_timeout(4000)  # another retry round: nothing is sent again
    assert phone_site.entries("一年级2班") == 1
    assert pending_on_phone(page) == 0
    status = status_of(phone_site, "一年级2班")
    assert status.figures is not None and status.figures.present == 36


def test_a_report_saved_offline_is_sent_when_the_page_is_opened_again(
        phone_site: PhoneSite, phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "二年级1班")
    fill(page, 42)
    phone.context.set_offline(True)
    page.click("#send")
    expect(page.locator("#pending-banner")).to_contain_text("1 waiting")
    page.close()  # the teacher closes the page before the Wi-Fi is back
    phone.context.set_offline(False)
    assert phone_site.entries("二年级1班") == 0

    page = phone.new_page()
    page.goto(phone_site.url)
    eventually(lambda: phone_site.entries("二年级1班") == 1)
    expect(page.locator("#pending-banner")).to_be_hidden()
    assert pending_on_phone(page) == 0
    page.wait_for_timeout(4000)
    assert phone_site.entries("二年级1班") == 1


def test_a_lost_connection_is_shown_until_it_is_back(phone_site: PhoneSite,
                                                     phone: Phone) -> None:
    page = phone.open(phone_site.url)
    phone.context.set_offline(True)
    stale = page.locator("#stale-banner")
    expect(stale).to_be_visible()  # at the next refresh
    expect(stale).to_contain_text("No connection")
    shot(page, "no_connection_en")
    phone.context.set_offline(False)
    expect(stale).to_be_hidden()


def test_a_report_refused_after_waiting_offline_comes_back_to_the_form(
        phone_site: PhoneSite, phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "一年级1班")
    fill(page, 35, missing=1)
    phone.context.set_offline(True)
    page.click("#send")
    expect(page.locator("#done-card.waiting")).to_be_visible()
    phone.context.set_offline(False)
    error = page.locator("[data-error-for=present]")
    expect(error).to_contain_text("do not add up")
    expect(page.locator("#f-present")).to_have_value("35")
    expect(page.locator("#pending-banner")).to_be_hidden()
    assert pending_on_phone(page) == 0
    assert phone_site.entries("一年级1班") == 0


def test_a_double_tap_on_send_records_once(phone_site: PhoneSite, phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "一年级1班")
    fill(page, 40)
    # Two taps in the same instant: the second lands on a button already disabled.
    page.evaluate("() => { const send = document.getElementById('send');"
                  " send.click(); send.click(); }")
    expect(page.locator("#done-card")).to_contain_text("Received")
    page.click("#done-other")
    choose(page, "一年级2班")
    fill(page, 38)
    page.locator("#send").dblclick()
    expect(page.locator("#done-card")).to_contain_text("Received")
    page.wait_for_timeout(1000)
    assert phone_site.entries("一年级1班") == 1
    assert phone_site.entries("一年级2班") == 1
    assert len(phone_site.changes) == 2


# Links and the grade view ------------------------------------------------------------------


def test_a_class_link_shows_only_its_class(phone_site: PhoneSite, phone: Phone) -> None:
    page = phone.open(phone_site.class_url("一年级2班"))
    expect(page.locator("#entry-class")).to_have_text("一年级2班")
    expect(page.locator("#tabs")).to_be_hidden()
    expect(page.locator("#entry-back")).to_be_hidden()
    expect(page.locator("#roll-hint")).to_contain_text("38")
    text = page.locator("body").inner_text()
    assert "一年级1班" not in text and "二年级1班" not in text
    fill(page, 38)
    page.click("#send")
    expect(page.locator("#done-card")).to_contain_text("Received")
    expect(page.locator("#done-other")).to_be_hidden()
    shot(page, "class_link_en")
    assert phone_site.entries("一年级2班") == 1
    assert "一年级1班" not in page.locator("body").inner_text()


def test_the_grade_view_shows_the_figures_and_verifies(phone_site: PhoneSite,
                                                       phone: Phone) -> None:
    headcounts.record_headcount(phone_site.db, phone_site.run_id,
                                phone_site.class_ids["一年级1班"], 39, missing=1,
                                missing_names="王小明")
    page = phone.open(phone_site.url)
    page.click("#tab-grade")
    row = page.locator("#grade-list .row[data-class='一年级1班']")
    expect(row).to_contain_text("Reported")
    expect(row).to_contain_text("王小明")
    expect(page.locator("#grade-list")).to_contain_text("1 of 2 reported")
    expect(page.locator("#grade-list .row[data-class='一年级2班'] .verify")).to_have_count(0)
    use_language(page, "zh_CN")
    row.locator(".verify").click()
    expect(row).to_contain_text("已核对")
    expect(row.locator(".verify")).to_have_count(0)
    assert status_of(phone_site, "一年级1班").state.value == "verified"


def test_the_grade_view_follows_reports_from_other_phones(phone_site: PhoneSite,
                                                          phone: Phone) -> None:
    page = phone.open(phone_site.url)
    page.click("#tab-grade")
    row = page.locator("#grade-list .row[data-class='二年级1班']")
    expect(row).to_contain_text("Not reported")
    headcounts.record_headcount(phone_site.db, phone_site.run_id,
                                phone_site.class_ids["二年级1班"], 42)
    expect(row).to_contain_text("Reported")  # within the page's 5 s refresh
    expect(row).to_contain_text("42")


def test_a_drill_that_is_over_shows_only_the_servers_message(phone_site: PhoneSite,
                                                            phone: Phone) -> None:
    page = phone.open(phone_site.url)
    choose(page, "一年级1班")
    fill(page, 40)
    # The server stops within a second of the all clear, so a phone rarely catches its
    # 410: the answer is given here, as the server words it.
    page.route("**/headcounts", lambda route: route.fulfill(
        status=410, json={"error": "This drill is over: the page is closed.", "closed": True}))
    page.click("#send")
    expect(page.locator("#message-text")).to_have_text("This drill is over: the page is closed.")
    expect(page.locator("#school")).to_be_empty()
    assert "聊城" not in page.locator("body").inner_text()
    assert pending_on_phone(page) == 0
    shot(page, "closed_en")


# Accounts ----------------------------------------------------------------------------------


def test_a_school_with_accounts_asks_to_sign_in_first(phone_site_with_accounts: PhoneSite,
                                                      phone: Phone) -> None:
    site = phone_site_with_accounts
    page = phone.open(site.url)
    expect(page.locator("#view-signin")).to_be_visible()
    page.fill("#signin-login", "zhang")
    page.fill("#signin-password", "wrong")
    page.click("#signin-submit")
    expect(page.locator("#signin-error")).to_be_visible()
    shot(page, "signin_en")
    page.fill("#signin-password", PASSWORD)
    page.click("#signin-submit")
    expect(page.locator("#user-line")).to_contain_text("张老师")
    names = page.locator("#pick-list button[data-class]")
    expect(names).to_have_count(1)
    expect(names).to_have_attribute("data-class", "一年级1班")
    choose(page, "一年级1班")
    expect(page.locator("#by-box")).to_be_hidden()
    fill(page, 40)
    page.click("#send")
    expect(page.locator("#done-card")).to_contain_text("Received")
    assert site.entries("一年级1班") == 1
    page.click("#sign-out")
    expect(page.locator("#view-signin")).to_be_visible()


def test_a_bad_link_shows_only_the_servers_message(phone_site: PhoneSite,
                                                   phone: Phone) -> None:
    bad = re.sub(r"/p/[^/]+/", "/p/" + "x" * 22 + "/", phone_site.url)
    phone.page.goto(bad)
    text = phone.page.locator("body").inner_text()
    assert "not valid" in text
    assert "聊城" not in text
