"""Who signed in on which phone: a random session id in a cookie, kept in memory only, so
every session ends when the page's server stops (at the all clear)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable

COOKIE = "drillplanner_session"
#: A drill is over in well under a day; a forgotten phone does not stay signed in.
LIFETIME = 8 * 3600.0
MAX_SESSIONS = 5000


class SignIns:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._logins: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def start(self, login: str) -> str:
        """A new session for ``login``; its id goes in the cookie."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            if len(self._logins) >= MAX_SESSIONS:
                oldest = min(self._logins, key=lambda k: self._logins[k][1])
                del self._logins[oldest]
            self._logins[session_id] = (login, self._clock())
        return session_id

    def login_of(self, session_id: str | None) -> str | None:
        if not session_id:
            return None
        with self._lock:
            found = self._logins.get(session_id)
            if found is None:
                return None
            if self._clock() - found[1] > LIFETIME:
                del self._logins[session_id]
                return None
            return found[0]

    def end(self, session_id: str | None) -> None:
        with self._lock:
            self._logins.pop(session_id or "", None)
