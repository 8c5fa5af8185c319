"""A TCP proxy a test controls, to take a server away without touching the server itself.

`forward()` passes bytes both ways; `refuse()` stops listening and cuts every connection
(the server is down: connecting is refused); `hang()` accepts connections and never
answers (the server hangs), cutting the ones already open so that every client meets the
hang on a new connection; `drop()` accepts each connection and closes it at once (the
server is down behind a listener, as behind a load balancer). `connections` counts the
connections clients opened through the proxy, whatever the mode.
"""

import socket
import threading
from contextlib import suppress

from cms.testing.ports import free_port


class TcpProxy:
    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self.mode = "forward"
        self.connections = 0
        self._listener: socket.socket | None = None
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listen()

    def _listen(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # the listener was closed
            with self._lock:
                self.connections += 1
            if self.mode == "drop":
                with suppress(OSError):
                    client.close()
                continue
            self._track(client)
            if self.mode == "hang":
                continue  # held open, never answered
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                self._close(client)
                continue
            upstream.settimeout(None)
            self._track(upstream)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        self._close(source)
        self._close(sink)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _close(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        with suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def _cut_all(self) -> None:
        with self._lock:
            open_sockets = list(self._sockets)
        for sock in open_sockets:
            self._close(sock)

    def forward(self) -> None:
        self.mode = "forward"
        if self._listener is None:
            self._listen()

    def refuse(self) -> None:
        self.mode = "refuse"
        if self._listener is not None:
            with suppress(OSError):  # wakes the thread blocked in accept()
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        self._cut_all()

    def hang(self) -> None:
        self.mode = "hang"
        if self._listener is None:
            self._listen()
        self._cut_all()

    def drop(self) -> None:
        self.mode = "drop"
        if self._listener is None:
            self._listen()
        self._cut_all()

    def close(self) -> None:
        self.refuse()
