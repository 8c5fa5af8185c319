"""Free TCP ports for the servers a test starts.

A port is chosen well before its server binds it (a stack's ports are chosen together, up
front), so ports come from below the kernel's ephemeral range (which outgoing connections
take from), no port is handed out twice by one process, and the process in test slot N
(cms.testing.parallel) takes only ports p with p % SLOTS == N: no two test processes of a
checkout ever choose the same one.
"""

import random
import socket

from cms.testing.parallel import SLOTS, slot

PORTS = range(15000, 32768)  # below Linux's default ephemeral range, 32768-60999
_handed_out: set[int] = set()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    own, count = (slot(), SLOTS) if slot() is not None else (0, 1)
    candidates = [port for port in PORTS if port % count == own]
    for port in random.sample(candidates, len(candidates)):
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free port left for this test process")


def closed_port() -> int:
    """A port nothing listens on, for a part that is down: the probe socket is closed
    before the caller uses it."""
    return free_port()
