"""This computer's address on the school network, for the links phones open."""

from __future__ import annotations

import socket

LOOPBACK = "127.0.0.1"
#: The phone page's port unless told otherwise; a class's printed link carries it.
DEFAULT_PORT = 8765
#: Any address outside this machine: connecting a UDP socket sends nothing, it only asks
#: the routing table which interface would be used (the one the school's Wi-Fi reaches).
_PROBE = ("10.255.255.255", 1)


def lan_address() -> str:
    """The IPv4 address other devices on the local network reach this computer at;
    127.0.0.1 when the computer has no network."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(_PROBE)
        address = str(probe.getsockname()[0])
    except OSError:
        return LOOPBACK
    finally:
        probe.close()
    return address if address and address != "0.0.0.0" else LOOPBACK
