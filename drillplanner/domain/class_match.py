"""Finding a class of a drill from what someone typed or tapped: its full name
("一年级2班"), a unique short name ("2班" when only one grade has it), or grade and class
digits ("1-2", "12")."""

from __future__ import annotations

from collections.abc import Sequence

from drillplanner.domain.errors import NotFoundError, ValidationError
from drillplanner.domain.headcount import ClassInfo
from drillplanner.i18n import _


def _digits(info: ClassInfo) -> str:
    return f"{info.grade_order}{''.join(ch for ch in info.name if ch.isdigit())}"


def match_class(classes: Sequence[ClassInfo], text: str) -> ClassInfo:
    """The one class of ``classes`` that ``text`` names.

    Raises:
        NotFoundError: no class is called that.
        ValidationError: several are (field "class"; the message lists them).
    """
    wanted = text.strip().replace(" ", "")
    exact = [c for c in classes if c.name == wanted]
    if exact:
        return exact[0]
    digits = "".join(ch for ch in wanted if ch.isdigit())
    matches = [c for c in classes if c.name.endswith(wanted)] or [
        c for c in classes if digits and _digits(c) in (digits, wanted.replace("-", ""))]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise NotFoundError(_("No class called “{text}” takes part in this drill.").format(
            text=text))
    raise ValidationError("class", _("“{text}” could be {names}: type more of the name."
                                     ).format(text=text, names=", ".join(m.name for m in matches)))
