"""Bad input over raw sockets: each gets a clean HTTP error (4xx, with an AWS error body where
the request reached the API) or, for unparsable HTTP, a clean close; the server keeps serving."""
import socket
import threading
import urllib.parse

import pytest

from integ import error_code, http_get, http_request, sign

EC2_ACTION = "Action=DescribeAvailabilityZones&Version=2016-11-15"


class Exchange:
    """What came back on one raw connection."""

    def __init__(self):
        self.data = b""
        self.outcome = None  # "eof" | "reset" | "timeout" | "complete"
        self.send_error = None

    @property
    def status(self):
        if not self.data.startswith(b"HTTP/1."):
            return None
        try:
            return int(self.data.split(b" ", 2)[1])
        except (IndexError, ValueError):
            return None

    @property
    def body(self):
        return self.data.partition(b"\r\n\r\n")[2]

    def __repr__(self):
        return "outcome=%s send_error=%r status=%s data=%r" % (
            self.outcome, self.send_error, self.status, self.data[:1500])


def _response_complete(data):
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                return len(body) >= int(value.strip())
            except ValueError:
                return False
    return False  # no length: read to EOF


def exchange(server, chunks, half_close=False, timeout=20, read_to_eof=False):
    """Sends `chunks` (in a thread, so an early reply is read while sending), reads the reply."""
    ex = Exchange()
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)

    def send():
        try:
            for c in chunks:
                sock.sendall(c)
            if half_close:
                sock.shutdown(socket.SHUT_WR)
        except OSError as e:
            ex.send_error = e

    t = threading.Thread(target=send, daemon=True)
    t.start()
    try:
        while True:
            try:
                got = sock.recv(65536)
            except socket.timeout:
                ex.outcome = "timeout"
                break
            except ConnectionResetError:
                ex.outcome = "reset"
                break
            if not got:
                ex.outcome = "eof"
                break
            ex.data += got
            if not read_to_eof and _response_complete(ex.data):
                ex.outcome = "complete"
                break
    finally:
        sock.close()
        t.join(5)
    return ex


def assert_healthy(server):
    assert server.alive(), "server died\n" + server.diagnostics()
    status, _, body = http_get(server.url + "/_overcast/health", timeout=10)
    assert status == 200, body


def assert_http_error(ex, allowed=None):
    assert ex.status is not None, "no HTTP response: %r" % ex
    if allowed:
        assert ex.status in allowed, ex
    else:
        assert 400 <= ex.status < 500, ex


def assert_aws_error(ex):
    assert_http_error(ex)
    assert error_code(ex.body), "no AWS error code in body: %r" % ex


def assert_error_or_clean_close(ex):
    if ex.status is not None:
        assert 400 <= ex.status < 500, ex
    else:
        assert ex.outcome == "eof" and ex.data == b"", "not a clean close: %r" % ex


def signed_raw(server, body, service="ec2", extra_headers=None):
    headers = sign(server, body, service)
    headers["Content-Length"] = str(len(body))
    headers["Connection"] = "close"
    headers.update(extra_headers or {})
    head = "POST / HTTP/1.1\r\n" + "".join("%s: %s\r\n" % kv for kv in headers.items()) + "\r\n"
    return head.encode()


def test_control_raw_signed_request_works(server):
    body = EC2_ACTION.encode()
    ex = exchange(server, [signed_raw(server, body), body])
    assert ex.status == 200, ex
    assert b"us-east-1a" in ex.body, ex


@pytest.mark.parametrize("garbage", [
    b"THIS IS NOT HTTP\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)) + b"\r\n\r\n",
    b"GET /\x00\x01 HTTP/1.1\r\nHost: x\r\n\r\n",
], ids=["words", "no-target", "bad-version", "tls-hello", "nul-in-target"])
def test_malformed_request_line(server, garbage):
    ex = exchange(server, [garbage], half_close=True)
    assert ex.outcome != "timeout", "server hung: %r" % ex
    assert_error_or_clean_close(ex)
    assert_healthy(server)


def test_huge_header(server):
    req = (b"GET /_overcast/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 100_000 +
           b"\r\n\r\n")
    ex = exchange(server, [req])
    assert_http_error(ex, allowed=(400, 413, 431))
    assert_healthy(server)


def test_many_headers(server):
    req = (b"GET /_overcast/health HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
           b"".join(b"X-H%d: v\r\n" % i for i in range(12000)) + b"\r\n")
    ex = exchange(server, [req])
    assert_http_error(ex, allowed=(400, 413, 431))
    assert_healthy(server)


def test_truncated_body_then_half_close(server):
    head = (b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-"
            b"urlencoded\r\nContent-Length: 1000\r\n\r\n")
    ex = exchange(server, [head, b"Action=Des"], half_close=True)
    assert ex.outcome != "timeout", "server hung on a truncated body: %r" % ex
    assert_error_or_clean_close(ex)
    assert_healthy(server)


@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999999"])
def test_bad_content_length(server, value):
    req = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: %s\r\n\r\nAction=x"
           % value).encode()
    ex = exchange(server, [req], half_close=True)
    assert ex.outcome != "timeout", "server hung: %r" % ex
    assert_error_or_clean_close(ex)
    assert_healthy(server)


@pytest.mark.parametrize("body", [
    (EC2_ACTION + "&ZoneName.1=%FF%FE%FD").encode(),
    (EC2_ACTION + "&ZoneName.1=").encode() + b"\xff\xfe\xc3\x28",
    (EC2_ACTION + "&Filter.1.Name=zone-name&Filter.1.Value.1=%C0%AF").encode(),
], ids=["percent-encoded", "raw-bytes", "overlong-in-filter"])
def test_invalid_utf8_parameter(server, body):
    ex = exchange(server, [signed_raw(server, body), body])
    assert_aws_error(ex)
    assert_healthy(server)


def test_invalid_utf8_in_query_string(server):
    path = "/?Action=DescribeRegions&Version=2016-11-15&RegionName.1=%FF%FE"
    headers = sign(server, b"", "ec2", method="GET", path=path)
    status, _, body = http_request(server, "GET", path, headers=headers)
    assert 400 <= status < 500, (status, body)
    assert error_code(body), body
    assert_healthy(server)


def test_10mb_form_body(server):
    body = (EC2_ACTION + "&Pad=").encode() + b"a" * (10 * 1024 * 1024)
    ex = exchange(server, [signed_raw(server, body), body], timeout=60)
    assert_http_error(ex, allowed=(400, 413))
    assert_healthy(server)


def test_10000_parameters(server):
    body = (EC2_ACTION + "".join("&ZoneName.%d=us-east-1a" % i for i in range(1, 10_001))).encode()
    ex = exchange(server, [signed_raw(server, body), body], timeout=60)
    assert_aws_error(ex)
    assert_healthy(server)


def test_unknown_ec2_action(server):
    body = b"Action=NoSuchAction&Version=2016-11-15"
    ex = exchange(server, [signed_raw(server, body), body])
    assert ex.status == 400, ex
    assert error_code(ex.body) == "InvalidAction", ex


def test_pipelined_requests(server):
    one = b"GET /_overcast/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    last = b"GET /_overcast/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    ex = exchange(server, [one + one + last], read_to_eof=True)
    assert ex.outcome == "eof", ex
    assert ex.data.count(b"HTTP/1.1 200") == 3, ex


def test_connections_reset_mid_request(server):
    import struct
    for i in range(30):
        sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
        sock.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nAct")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    assert_healthy(server)


def test_url_encoded_garbage_form(server):
    body = b"Action=DescribeRegions&Version=2016-11-15&%%%=%zz&&==&RegionName.1=%"
    ex = exchange(server, [signed_raw(server, body), body])
    assert_aws_error(ex)
    assert_healthy(server)
