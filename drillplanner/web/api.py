"""The phone page's JSON API (documented in docs/PHONES.md): the drill's state, a class's
headcount, a grade leader's check, signing in and out."""

from __future__ import annotations

import json
from typing import Any

from drillplanner.domain.errors import ValidationError
from drillplanner.domain.headcount import ClassInfo
from drillplanner.domain.permissions import Actor, Op, PermissionDenied
from drillplanner.i18n import _
from drillplanner.services import headcounts, users
from drillplanner.services.authorization import has_users
from drillplanner.services.phone_links import Link
from drillplanner.web import page_data
from drillplanner.web.site import Call, Refused, Reply, Site, json_reply

_COUNTS = ("present", "absent", "missing", "injured")
_NAMES = ("missing_names", "absent_names")


def _body(call: Call) -> dict[str, Any]:
    try:
        value = json.loads(call.body.decode("utf-8")) if call.body else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        value = None
    if not isinstance(value, dict):
        raise Refused(400, _("The request is not a JSON object."))
    return value


def _text(data: dict[str, Any], key: str, limit: int = 200) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(key, _("“{field}” must be text.").format(field=key))
    return value.strip()[:limit]


def _names(data: dict[str, Any], key: str) -> list[str] | str:
    value = data.get(key) or ""
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    if isinstance(value, str):
        return value.replace("\r", "").replace("\n", ",")  # the page: one name a line
    raise ValidationError(key, _("“{field}” must be names separated by commas.").format(
        field=key))


def _class(site: Site, link: Link, data: dict[str, Any]) -> ClassInfo:
    """The class a request names; a class link reaches its own class only."""
    name = _text(data, "class")
    if link.class_id is not None:
        own = site.class_info(link.class_id)
        if name and name != own.name:
            found = site.find_class(name)
            if found.class_id != own.class_id:
                raise Refused(403, _("This link is for {name} only.").format(name=own.name))
        return own
    if not name:
        raise ValidationError("class", _("Choose your class."))
    return site.find_class(name)


def _class_reply(site: Site, link: Link, actor: Actor | None,
                 class_id: int) -> dict[str, Any]:
    status = headcounts.class_status(site.db, link.run_id, class_id)
    run_school = site.links.school_id
    return page_data.class_json(
        status, can_record=page_data.may(actor, Op.RECORD_HEADCOUNT, status, run_school, True),
        can_verify=link.class_id is None and page_data.may(
            actor, Op.VERIFY_HEADCOUNT, status, run_school, True))


def state(site: Site, call: Call, link: Link) -> Reply:
    run = site.open_run(link)
    try:
        actor = site.actor(call, link)
        needs_sign_in = False
    except Refused as refused:
        if refused.status != 401:
            raise
        actor, needs_sign_in = None, True
    rollup = headcounts.rollup(site.db, link.run_id)
    return json_reply(200, page_data.state_json(
        run, rollup, actor, school_name=site.school_name, only_class=link.class_id,
        link="drill" if link.class_id is None else "class", needs_sign_in=needs_sign_in))


def record(site: Site, call: Call, link: Link) -> Reply:
    """A class's headcount; the phone's ``entry_id`` makes a resend harmless."""
    data = _body(call)
    entry_id = data.get("entry_id")
    if not isinstance(entry_id, str) or not entry_id.strip():
        raise Refused(400, _("The report has no entry id: reload the page."))
    site.open_run(link)
    info = _class(site, link, data)
    by = _text(data, "by", 100)
    actor = site.actor(call, link, by)
    counts = {key: data.get(key, 0) for key in _COUNTS}
    with site.as_actor(actor):
        done = headcounts.record_headcount(
            site.db, link.run_id, info.class_id, counts["present"], absent=counts["absent"],
            missing=counts["missing"], injured=counts["injured"],
            missing_names=_names(data, "missing_names"),
            absent_names=_names(data, "absent_names"), note=_text(data, "note", 500),
            by=by, entry_id=entry_id)
    site.changed(done.changes)
    figures = done.value.figures
    assert figures is not None  # a report, not a verification
    message = _("{name}: {present} present, {absent} absent, {missing} missing — "
                "received {time}.").format(
                    name=info.name, present=figures.present, absent=figures.absent,
                    missing=figures.missing, time=done.value.recorded_at.strftime("%H:%M:%S"))
    return json_reply(200, {"class": _class_reply(site, link, actor, info.class_id),
                            "duplicate": not done.changes, "message": message})


def verify(site: Site, call: Call, link: Link) -> Reply:
    """The grade leader has checked a class's report."""
    data = _body(call)
    if link.class_id is not None:
        raise Refused(403, _("A class's link cannot verify: the grade leader uses the "
                             "drill's link."))
    site.open_run(link)
    info = _class(site, link, data)
    by = _text(data, "by", 100)
    actor = site.actor(call, link, by)
    with site.as_actor(actor):
        done = headcounts.verify_headcount(site.db, link.run_id, info.class_id,
                                           by or (actor.name if actor else ""))
    site.changed(done.changes)
    return json_reply(200, {"class": _class_reply(site, link, actor, info.class_id),
                            "message": _("{name} verified.").format(name=info.name)})


def sign_in(site: Site, call: Call, link: Link) -> Reply:
    data = _body(call)
    site.open_run(link)
    if link.class_id is not None or not has_users(site.db):
        raise Refused(400, _("This page needs no sign-in."))
    if not site.signin_tries.allow(call.client):
        raise Refused(429, _("Too many requests from this phone: wait a minute."))
    try:
        actor = users.authenticate(site.db, _text(data, "login", 100),
                                   str(data.get("password") or "")).value
    except PermissionDenied as refused:
        raise Refused(401, str(refused), sign_in=True) from None
    if actor.school_id is not None and actor.school_id != site.links.school_id:
        raise Refused(403, _("{user} belongs to another school.").format(
            user=actor.name or actor.login))
    session_id = site.signins.start(actor.login)
    return json_reply(200, {"user": {"name": actor.name or actor.login,
                                     "login": actor.login}},
                      cookie=(call.token, session_id))


def sign_out(site: Site, call: Call, link: Link) -> Reply:
    site.signins.end(call.session_id)
    return json_reply(200, {}, cookie=(call.token, None))
