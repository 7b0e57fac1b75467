"""The HTTP layer's limits: slow clients, idle keep-alive connections, the connection cap, and
graceful shutdown with a connection open. Each limit is set small by its flag so the test is fast."""
import socket
import time

from integ import http_get


def _connect(server):
    return socket.create_connection(("127.0.0.1", server.port), timeout=10)


def _closed_within(sock, seconds):
    """True if the server closes `sock` within `seconds` (reads EOF or a reset)."""
    sock.settimeout(seconds)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def test_slow_client_is_cut_off(factory):
    server = factory.start(["--request-timeout", "1", "--idle-timeout", "30"])
    sock = _connect(server)
    sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nAction=")
    started = time.monotonic()
    assert _closed_within(sock, 10)
    assert time.monotonic() - started < 8
    status, _, _ = http_get(server.url + "/_overcast/health")
    assert status == 200


def test_idle_keep_alive_connection_is_closed(factory):
    server = factory.start(["--idle-timeout", "1"])
    sock = _connect(server)
    sock.sendall(b"GET /_overcast/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    time.sleep(0.2)
    assert b"200 OK" in sock.recv(4096)
    started = time.monotonic()
    assert _closed_within(sock, 10)
    assert time.monotonic() - started < 8


def test_keep_alive_serves_many_requests_on_one_connection(server):
    sock = _connect(server)
    for _ in range(20):
        sock.sendall(b"GET /_overcast/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data = b""
        while b"}\n" not in data:
            chunk = sock.recv(4096)
            assert chunk, "server closed a keep-alive connection"
            data += chunk
        assert data.startswith(b"HTTP/1.1 200")
    sock.close()


def _open_live(server):
    """A keep-alive connection the server has accepted and answered on. Retries, because the
    server may still count a connection whose client already closed (the health check's) and
    refuse this one for a moment."""
    for _ in range(100):
        sock = _connect(server)
        try:
            sock.sendall(b"GET /_overcast/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            if sock.recv(4096).startswith(b"HTTP/1.1 200"):
                return sock
        except OSError:
            pass
        sock.close()
        time.sleep(0.1)
    raise AssertionError("could not open a live connection")


def test_connection_cap(factory):
    server = factory.start(["--max-connections", "2"])
    held = [_open_live(server), _open_live(server)]
    extra = _connect(server)  # the kernel accepts it; overcast closes it at once
    assert _closed_within(extra, 5)
    for s in held:
        s.close()
    deadline = time.monotonic() + 10
    while True:  # capacity comes back once the held connections are gone
        try:
            status, _, _ = http_get(server.url + "/_overcast/health", timeout=2)
            if status == 200:
                break
        except OSError:
            pass
        assert time.monotonic() < deadline, "server did not accept again after connections closed"
        time.sleep(0.1)


def test_sigterm_with_an_open_idle_connection_stops_promptly(factory):
    server = factory.start(["--idle-timeout", "60", "--shutdown-grace", "30"])
    sock = _connect(server)
    sock.sendall(b"GET /_overcast/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    time.sleep(0.2)
    assert b"200 OK" in sock.recv(4096)
    started = time.monotonic()
    server.proc.terminate()
    assert server.proc.wait(20) == 0
    assert time.monotonic() - started < 10  # idle connections do not hold shutdown for the grace period
    assert _closed_within(sock, 5)
