"""Emitting Qt signals from Python without losing a reference to ``True``.

PySide6 6.12.0's ``SignalInstance.emit`` returns its bool result without taking a reference
for the caller. Every emit from Python then drops one reference the interpreter owns; on
Python 3.11, where ``True`` is not immortal, a long session (or a test run) eventually aborts
with "bool_dealloc: deallocating True or False". We check once whether this PySide has the
fault and, when it does, give the reference back after each emit. Every signal drillplanner
emits from Python goes through ``emit``.

The same build also returns ``None`` from every void method (``setText``, ``drawRect``,
``update``...) without a reference. A custom-painted widget makes hundreds of such calls per
repaint, so ``None`` would run out within minutes. Where that fault shows, ``None`` is given
a reference count no session can use up, once at import (as Python 3.12 makes it immortal).
"""

from __future__ import annotations

import ctypes
import sys
from typing import Any

from PySide6.QtCore import QObject, Signal, SignalInstance

_incref = ctypes.pythonapi.Py_IncRef
_incref.argtypes = [ctypes.py_object]
_incref.restype = None

_PROBES = 16


class _Probe(QObject):
    ping = Signal()


def _emit_drops_reference() -> bool:
    probe = _Probe()
    # The stubs say emit returns None; at run time it returns a bool.
    result: object = probe.ping.emit()  # type: ignore[func-returns-value]
    if not isinstance(result, bool):
        return False
    before = sys.getrefcount(result)
    for _ in range(_PROBES):
        probe.ping.emit()
    lost = before - sys.getrefcount(result)
    # Give back what the probe itself took.
    for _ in range(max(lost, 0)):
        _incref(result)
    return lost >= _PROBES


EMIT_DROPS_REFERENCE = _emit_drops_reference()


def _void_call_drops_none() -> bool:
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= _PROBES


#: Whether void methods return None without a reference (see the module docstring).
VOID_CALL_DROPS_NONE = _void_call_drops_none()

#: References added to None where void calls drop them: more than any session makes.
NONE_RESERVE = 1 << 40

if VOID_CALL_DROPS_NONE and sys.version_info < (3, 12):
    # ob_refcnt is the first field of every object in CPython's release builds.
    ctypes.c_ssize_t.from_address(id(None)).value += NONE_RESERVE


def emit(signal: SignalInstance, *args: Any) -> None:
    """``signal.emit(*args)``, repairing the result's reference count where PySide drops it."""
    result: object = signal.emit(*args)  # type: ignore[func-returns-value]
    if EMIT_DROPS_REFERENCE:
        _incref(result)
