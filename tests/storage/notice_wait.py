"""Waiting for a change watcher to hear something, as a face's event loop would."""

from __future__ import annotations

import select
import time

from drillplanner.storage import notify


def heard(watcher: notify.Watcher, timeout: float = 2.0) -> list[str]:
    """What the watcher hears within ``timeout`` seconds: waits on its socket, or polls."""
    deadline = time.monotonic() + timeout
    found = watcher.drain()
    while not found and (left := deadline - time.monotonic()) > 0:
        if watcher.socket is not None:
            select.select([watcher.socket], [], [], left)
        else:
            time.sleep(min(left, 0.02))
        found = watcher.drain()
    return found
