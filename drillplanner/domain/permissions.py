"""Who may do what: the one table of roles and operations, and the decision it gives.

Every service write is one ``Op``. ``RULES`` says, for each, which roles may do it and on
what: any record, only their own classes (a teacher), only their own grade (a grade leader),
only themselves (their own password), and for some only while the drill runs. A user with
several roles may do what any of them may. ``refusal`` applies the table to the facts of one
request and says which rule refused it; services enforce it, the faces ask it to grey out
what a user may not do.

A database without user accounts has one implicit user, ``LOCAL_ADMIN``, who may do
everything: a one-computer school never signs in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from drillplanner.domain.errors import DrillplannerError
from drillplanner.i18n import N_, _


class Role(enum.StrEnum):
    ADMIN = "admin"
    PRINCIPAL = "principal"
    GRADE_LEADER = "grade_leader"
    TEACHER = "teacher"
    VIEWER = "viewer"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: N_("Admin"),
    Role.PRINCIPAL: N_("Principal"),
    Role.GRADE_LEADER: N_("Grade leader"),
    Role.TEACHER: N_("Teacher"),
    Role.VIEWER: N_("Viewer"),
}


class Op(enum.StrEnum):
    SET_UP_SCHOOL = "set_up_school"
    SET_UP_CALENDAR = "set_up_calendar"
    SCHEDULE = "schedule"
    RUN_DRILL = "run_drill"
    CLEAR_FLOOR = "clear_floor"
    RECORD_HEADCOUNT = "record_headcount"
    VERIFY_HEADCOUNT = "verify_headcount"
    SIGN_DRILL = "sign_drill"
    MANAGE_USERS = "manage_users"
    OWN_PASSWORD = "own_password"


class Reach(enum.StrEnum):
    ANY = "any"  # every record (of the user's school, when they have one)
    OWN_CLASS = "own_class"  # the classes the user teaches
    OWN_GRADE = "own_grade"  # the classes of the grades the user leads
    SELF = "self"  # the user's own account


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    reach: Reach = Reach.ANY
    #: Only while the drill (the run the operation is about) is in progress.
    while_running: bool = False


@dataclass(frozen=True, slots=True)
class Rule:
    what: str  # what the operation is, untranslated (N_)
    who: str  # who may do it, as a sentence for messages and ``user roles`` (N_)
    grants: tuple[Grant, ...]


_A, _P, _G, _T = Role.ADMIN, Role.PRINCIPAL, Role.GRADE_LEADER, Role.TEACHER

#: The whole policy. Reading is open to every user (a viewer only reads).
RULES: dict[Op, Rule] = {
    Op.SET_UP_SCHOOL: Rule(
        N_("Set up the school (buildings, grades, classes, staff, rosters)"),
        N_("an admin"), (Grant(_A),)),
    Op.SET_UP_CALENDAR: Rule(
        N_("Set up the school calendar (years, terms, holidays)"),
        N_("an admin"), (Grant(_A),)),
    Op.SCHEDULE: Rule(
        N_("Schedule drills and events"), N_("an admin"), (Grant(_A),)),
    Op.RUN_DRILL: Rule(
        N_("Start, run, stop and write up a drill"),
        N_("an admin or a principal"), (Grant(_A), Grant(_P))),
    Op.CLEAR_FLOOR: Rule(
        N_("Report a floor cleared"),
        N_("any teacher, grade leader, admin or principal while the drill runs"),
        (Grant(_A, while_running=True), Grant(_P), Grant(_G, while_running=True),
         Grant(_T, while_running=True))),
    Op.RECORD_HEADCOUNT: Rule(
        N_("Record a class's headcount or missing students found"),
        N_("the class's teacher or grade leader, or an admin, while the drill runs; a "
           "principal at any time (a correction)"),
        (Grant(_T, Reach.OWN_CLASS, while_running=True),
         Grant(_G, Reach.OWN_GRADE, while_running=True),
         Grant(_A, while_running=True), Grant(_P))),
    Op.VERIFY_HEADCOUNT: Rule(
        N_("Verify a class's headcount"),
        N_("the class's grade leader, an admin or a principal"),
        (Grant(_G, Reach.OWN_GRADE), Grant(_A), Grant(_P))),
    Op.SIGN_DRILL: Rule(
        N_("Sign off a drill's record"), N_("a principal"), (Grant(_P),)),
    Op.MANAGE_USERS: Rule(
        N_("Add users, change their roles, reset passwords, disable accounts"),
        N_("an admin"), (Grant(_A),)),
    Op.OWN_PASSWORD: Rule(
        N_("Change one's own password"), N_("every user, for themselves"),
        tuple(Grant(role, Reach.SELF) for role in Role)),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a request is made by, with what their roles reach."""

    login: str
    name: str
    roles: frozenset[Role]
    user_id: int | None = None
    #: Their school; None: every school.
    school_id: int | None = None
    class_ids: frozenset[int] = frozenset()
    grade_ids: frozenset[int] = frozenset()

    @property
    def is_local(self) -> bool:
        return self.user_id is None


#: The one user of a database without accounts: may do everything, signs in never.
LOCAL_ADMIN = Actor("", "", frozenset(Role))


@dataclass(frozen=True, slots=True)
class Target:
    """What a request is about, as far as the rules care."""

    school_id: int | None = None
    class_id: int | None = None
    grade_id: int | None = None
    #: Whether the drill the request is about is in progress (None: no drill).
    running: bool | None = None
    user_id: int | None = None
    #: Records of several schools (or of none, like compliance profiles).
    extra_school_ids: frozenset[int] = field(default_factory=frozenset)


class PermissionDenied(DrillplannerError):  # noqa: N818 - reads as what happened
    """The signed-in user may not do this; the message names the rule."""


def needs_facts(actor: Actor, op: Op) -> bool:
    """Whether deciding needs the target's facts (a grant that is not plain ANY, or a
    user tied to one school)."""
    if actor.is_local:
        return False
    if actor.school_id is not None:
        return True
    grants = [g for g in RULES[op].grants if g.role in actor.roles]
    return not any(g.reach is Reach.ANY and not g.while_running for g in grants)


def refusal(actor: Actor, op: Op, target: Target) -> str | None:
    """None when ``actor`` may do ``op`` on ``target``; else why not, naming the rule."""
    if actor.is_local:
        return None
    rule = RULES[op]
    schools = {target.school_id, *target.extra_school_ids} - {None}
    if actor.school_id is not None and schools - {actor.school_id}:
        return _("{user} belongs to another school and cannot change this one's records."
                 ).format(user=actor.name or actor.login)
    for grant in rule.grants:
        if grant.role in actor.roles and _reaches(actor, grant, target):
            return None
    return _("{user} cannot do this: “{what}” is for {who}.").format(
        user=actor.name or actor.login, what=_(rule.what), who=_(rule.who))


def _reaches(actor: Actor, grant: Grant, target: Target) -> bool:
    if grant.while_running and target.running is False:
        return False
    if grant.reach is Reach.OWN_CLASS:
        return target.class_id is not None and target.class_id in actor.class_ids
    if grant.reach is Reach.OWN_GRADE:
        return target.grade_id is not None and target.grade_id in actor.grade_ids
    if grant.reach is Reach.SELF:
        return target.user_id is not None and target.user_id == actor.user_id
    return True
