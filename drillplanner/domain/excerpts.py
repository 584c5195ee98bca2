"""Short excerpts of what a user typed or a file holds, for messages.

A message never echoes more than an excerpt of a cell, a line or a value: a 700 MB cell
must not become a 700 MB error line.
"""

from __future__ import annotations

# Characters of a value a message shows; longer values are cut with "…".
EXCERPT_LENGTH = 60


def excerpt(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """``value`` as text on one line, cut to ``limit`` characters with "…" when longer.

    Only the first ``limit`` characters (and a few more) are looked at, so any size is cheap.
    """
    text = value if isinstance(value, str) else str(value)
    head = " ".join(text[:limit + 1].split())
    if len(head) <= limit and len(text) <= limit:
        return head
    return head[:limit - 1].rstrip() + "…"
