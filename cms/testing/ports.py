"""Free TCP ports for the servers a test starts."""

import socket


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def closed_port() -> int:
    """A port nothing listens on, for a part that is down: the probe socket is closed
    before the caller uses it."""
    return free_port()
