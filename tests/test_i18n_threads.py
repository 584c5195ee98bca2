"""A worker thread may build a report in another language without changing the app's."""

from __future__ import annotations

import threading

from drillplanner import i18n
from drillplanner.i18n import _


def in_thread(work: object) -> None:
    assert callable(work)
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_a_worker_language_stays_in_its_thread() -> None:
    i18n.set_language("en")
    english = _("Drill report")
    seen: dict[str, str] = {}

    def build() -> None:
        seen["inherited"] = i18n.current_language()
        i18n.set_language("zh_CN")
        seen["worker"] = i18n.current_language()
        seen["title"] = _("Drill report")
        seen["locale"] = i18n.babel_locale()
        i18n.clear_thread_language()
        seen["cleared"] = i18n.current_language()

    in_thread(build)

    assert seen["inherited"] == "en"
    assert seen["worker"] == "zh_CN" and seen["locale"] == "zh_CN"
    assert seen["title"] != english
    assert seen["cleared"] == "en"
    # The application (the main thread) never left English.
    assert i18n.current_language() == "en"
    assert _("Drill report") == english


def test_the_main_thread_sets_the_language_every_thread_follows() -> None:
    i18n.set_language("zh_CN")
    chinese = _("Drill report")
    seen: list[str] = []
    in_thread(lambda: seen.extend([i18n.current_language(), _("Drill report")]))
    assert seen == ["zh_CN", chinese]
