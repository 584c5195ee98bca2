"""The phone page's requests, apart from the HTTP framework: who asks (token, sign-in,
address), whether they may (the drill still runs, rate limits), and the service call.

Every request is answered in the language the page asks for (``X-Language``), from a
server worker thread whose language is its own (i18n keeps it per thread).
"""

from __future__ import annotations

import functools
import html
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from drillplanner.domain.changes import Changes
from drillplanner.domain.class_match import match_class
from drillplanner.domain.drill_runs import DrillRun, RunStatus
from drillplanner.domain.errors import (
    ConflictError,
    DrillplannerError,
    NotFoundError,
    ValidationError,
)
from drillplanner.domain.headcount import ClassInfo
from drillplanner.domain.permissions import Actor, PermissionDenied, Role
from drillplanner.i18n import (
    _,
    clear_thread_language,
    normalize_language,
    set_language,
    translator,
)
from drillplanner.services import drills, headcounts, users
from drillplanner.services.authorization import acting_as, has_users
from drillplanner.services.database import Database, StorageError
from drillplanner.services.phone_links import DrillLinks, Link
from drillplanner.services.schools import get_school
from drillplanner.web.limits import RateLimiter
from drillplanner.web.page_strings import STRINGS
from drillplanner.web.signins import SignIns

log = logging.getLogger(__name__)

MAX_BODY = 16 * 1024
STATIC = {"page.js": "text/javascript; charset=utf-8", "page.css": "text/css; charset=utf-8"}
_BOOT_MARK = "<!--BOOT-->"


@dataclass(frozen=True, slots=True)
class Call:
    """One request as the site needs it."""

    token: str
    client: str
    language: str
    session_id: str | None = None
    body: bytes = b""
    #: A page a browser navigates to (not the page's own API call): refusals come as a
    #: small HTML page in the browser's language, not as JSON.
    browser_language: str | None = None


@dataclass(slots=True)
class Reply:
    status: int
    content: bytes
    content_type: str = "application/json"
    cookie: tuple[str, str | None] | None = None  # (path, session id; None: delete)
    headers: dict[str, str] = field(default_factory=dict)


class Refused(DrillplannerError):  # noqa: N818 - reads as what happened
    """A request the site answers with ``status`` and a message, before any service call."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.extra = extra


def json_reply(status: int, value: Any, **kwargs: Any) -> Reply:
    return Reply(status, json.dumps(value, ensure_ascii=False).encode(), **kwargs)


def _static(name: str) -> bytes:
    return (resources.files("drillplanner") / "web" / "static" / name).read_bytes()


class Site:
    """One drill's phone page."""

    def __init__(self, db: Database, links: DrillLinks, *,
                 on_change: Callable[[Changes], None] | None = None) -> None:
        self.db = db
        self.links = links
        self.on_change = on_change
        school = get_school(db, links.school_id)
        self.school_name = school.name
        self.language = "zh_CN" if school.country == "CN" else "en"
        self.signins = SignIns()
        self.requests = RateLimiter(120, 60.0)  # a phone polls every 5 s: 12 a minute
        self.bad_tokens = RateLimiter(10, 60.0)
        self.signin_tries = RateLimiter(10, 60.0)
        self.assets = {name: _static(name) for name in (*STATIC, "index.html")}
        # A run's classes are fixed when it starts (their enrolment with them).
        self.classes = headcounts.classes_in_run(db, links.run_id)
        self.run = drills.get_run(db, links.run_id)

    def find_class(self, text: str) -> ClassInfo:
        return match_class(self.classes, text)

    def class_info(self, class_id: int) -> ClassInfo:
        found = next((c for c in self.classes if c.class_id == class_id), None)
        if found is None:
            raise Refused(403, _("This link is not valid. Scan the code on the drill "
                                 "console again."))
        return found

    # Checks ---------------------------------------------------------------------------

    def link_of(self, call: Call) -> Link:
        if not self.requests.allow(call.client):
            raise Refused(429, _("Too many requests from this phone: wait a minute."))
        link = self.links.find(call.token)
        if link is None:
            # Counted apart so a guesser is slowed without slowing the school's phones.
            if not self.bad_tokens.allow(call.client):
                raise Refused(429, _("Too many requests from this phone: wait a minute."))
            raise Refused(403, _("This link is not valid. Scan the code on the drill "
                                 "console again."))
        return link

    def open_run(self, link: Link) -> DrillRun:
        """The run, refused once it is over (whoever gave the all clear, wherever)."""
        status = drills.run_status(self.db, link.run_id)
        if status is not RunStatus.IN_PROGRESS:
            raise Refused(410, _("This drill is over: the page is closed."), closed=True)
        return replace(self.run, status=status)

    def actor(self, call: Call, link: Link, by: str = "") -> Actor | None:
        """Who the request acts as: None for a school without accounts (anyone holding
        the drill's link may report), a class link's teacher, or the user signed in on
        this phone."""
        if not has_users(self.db):
            return Actor("phone", by or _("Phone"), frozenset(Role))
        if link.class_id is not None:
            name = self.class_info(link.class_id).name
            return Actor(f"phone:{name}", by or _("Phone link of {name}").format(name=name),
                         frozenset({Role.TEACHER}), user_id=0,
                         school_id=self.links.school_id,
                         class_ids=frozenset({link.class_id}))
        login = self.signins.login_of(call.session_id)
        if login is None:
            raise Refused(401, _("Sign in with your drillplanner account."), sign_in=True)
        try:
            if users.get_user(self.db, login).disabled:
                raise NotFoundError(login)
            return users.actor_of(self.db, login)
        except NotFoundError:
            self.signins.end(call.session_id)
            raise Refused(401, _("Sign in with your drillplanner account."),
                          sign_in=True) from None

    # Running a request ------------------------------------------------------------------

    def answer(self, handler: Callable[[Call, Link], Reply], call: Call) -> Reply:
        """Run ``handler`` in the caller's language; known failures become replies."""
        navigating = call.browser_language is not None
        set_language(normalize_language(call.browser_language if navigating
                                        else call.language or self.language))
        try:
            link = self.link_of(call)
            return handler(call, link)
        except Refused as refused:
            if navigating:
                return refusal_page(refused.status, str(refused))
            return json_reply(refused.status, {"error": str(refused), **refused.extra})
        except ValidationError as error:
            return json_reply(422, {"error": str(error), "field": error.field})
        except NotFoundError as error:
            return json_reply(422, {"error": str(error), "field": "class"})
        except PermissionDenied as error:
            return json_reply(403, {"error": str(error)})
        except ConflictError as error:
            return json_reply(409, {"error": str(error)})
        except StorageError as error:
            # The phone keeps the entry and sends it again (same id: stored once).
            log.warning("phone request not stored: %s", error)
            return json_reply(503, {"error": str(error), "retry": True})
        except Exception:
            log.exception("phone request failed")
            return json_reply(500, {"error": _("Something went wrong on the drill "
                                               "computer; the phone will try again."),
                                    "retry": True})
        finally:
            clear_thread_language()

    @contextmanager
    def as_actor(self, actor: Actor | None) -> Iterator[None]:
        with acting_as(actor) if actor is not None else nullcontext():
            yield

    def changed(self, changes: Changes) -> None:
        if changes and self.on_change is not None:
            try:
                self.on_change(changes)
            except Exception:  # the entry is stored; a failing listener must not hide that
                log.exception("phone change listener failed")

    # The page ---------------------------------------------------------------------------

    def page(self, call: Call, link: Link) -> Reply:
        self.open_run(link)
        class_name = self.class_info(link.class_id).name if link.class_id is not None else None
        boot = {"language": normalize_language(call.language or self.language),
                "strings": strings_in_both(), "link": _link_kind(link), "class": class_name}
        data = json.dumps(boot, ensure_ascii=False).replace("<", "\\u003c")
        html = self.assets["index.html"].decode().replace(
            _BOOT_MARK, f'<script type="application/json" id="boot">{data}</script>', 1)
        return Reply(200, html.encode(), "text/html; charset=utf-8")

    def asset(self, name: str) -> Callable[[Call, Link], Reply]:
        def serve(_call: Call, _link: Link) -> Reply:
            return Reply(200, self.assets[name], STATIC[name],
                         headers={"Cache-Control": "private, max-age=3600"})
        return serve


def refusal_page(status: int, message: str) -> Reply:
    """What a browser shows for a link that does not (or no longer) open the page: the
    message alone, nothing of the school."""
    text = html.escape(message)
    page = ("<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
            "content=\"width=device-width, initial-scale=1\"><title>drillplanner</title>"
            "</head><body><h2>" + text + "</h2></body></html>")
    return Reply(status, page.encode(), "text/html; charset=utf-8")


def _link_kind(link: Link) -> str:
    return "drill" if link.class_id is None else "class"


@functools.cache  # the catalogue does not change while the page is served
def strings_in_both() -> dict[str, dict[str, str]]:
    """The page's words in English and Chinese, so it switches without asking again."""
    return {language: {key: translator(language).gettext(text)
                       for key, text in STRINGS.items()}
            for language in ("en", "zh_CN")}
