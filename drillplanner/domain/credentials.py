"""Hiding passwords in text that names a database: URLs, command lines, log lines.

``postgresql+psycopg://user:secret@host/db`` becomes ``postgresql+psycopg://user:***@host/db``
wherever it appears in a text. The password runs to the *last* ``@`` of its word, so a
password holding ``@`` (``u:p@ss@host``) is hidden whole; a ``password=…`` query parameter
is hidden too. The storage layer renders parsed URLs with SQLAlchemy's own
``render_as_string(hide_password=True)`` and passes the result through here as well.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable

MASK = "***"

# scheme://user:password@host — the password is greedy within the word, so it ends at the
# last "@" before a blank or quote; the user part holds no ":", "/" or "@".
_URL_PASSWORD = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@'\"]*:)(?P<password>[^\s'\"]*)(?=@)")
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&;\s](?:password|passwd|pwd)=)(?P<password>[^&\s'\"]*)",
                             re.IGNORECASE)


def mask_credentials(text: str) -> str:
    """``text`` with every password of a URL (or ``password=`` parameter) replaced by ***."""
    text = _URL_PASSWORD.sub(lambda m: m["head"] + MASK, text)
    return _QUERY_PASSWORD.sub(lambda m: m["head"] + MASK, text)


# One argument of a command line: a password may hold blanks and quotes there.
_ARGUMENT_PASSWORD = re.compile(
    r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^\s:/@'\"]*:)(?P<password>.*)(?=@)", re.DOTALL)


def mask_command_line(argv: Iterable[str]) -> str:
    """``argv`` as a shell line, each argument's URL password replaced by ***."""
    return shlex.join(
        mask_credentials(_ARGUMENT_PASSWORD.sub(lambda m: m["head"] + MASK, argument))
        for argument in argv)


def has_one_at_sign(url: str) -> bool:
    """Whether the authority part of ``url`` holds at most one ``@`` (a parser reads it right)."""
    _scheme, _sep, rest = url.partition("://")
    return rest.count("@") <= 1
