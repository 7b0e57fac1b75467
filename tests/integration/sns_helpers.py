"""Helpers for the SNS integration tests: an HTTP endpoint and an SMTP sink on loopback, and
signature verification of SNS messages with the OpenSSL command line against the certificate
overcast serves at SigningCertURL."""
import base64
import email
import email.policy
import json
import os
import queue
import socket
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import integ

NOTIFICATION_FIELDS = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
CONFIRMATION_FIELDS = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]


def string_to_sign(doc):
    fields = NOTIFICATION_FIELDS if doc["Type"] == "Notification" else CONFIRMATION_FIELDS
    return "".join("%s\n%s\n" % (k, doc[k]) for k in fields if k in doc)


def verify_signature(doc):
    """True if doc's Signature verifies against the certificate at its SigningCertURL."""
    status, _, pem = integ.http_get(doc["SigningCertURL"])
    assert status == 200, (status, doc["SigningCertURL"])
    assert b"BEGIN CERTIFICATE" in pem
    digest = {"1": "-sha1", "2": "-sha256"}[doc["SignatureVersion"]]
    with tempfile.TemporaryDirectory() as d:
        cert, pub, sig, data = (os.path.join(d, n) for n in ("cert.pem", "pub.pem", "sig", "data"))
        with open(cert, "wb") as f:
            f.write(pem)
        with open(sig, "wb") as f:
            f.write(base64.b64decode(doc["Signature"]))
        with open(data, "wb") as f:
            f.write(string_to_sign(doc).encode("utf-8"))
        subprocess.run(["openssl", "x509", "-pubkey", "-noout", "-in", cert, "-out", pub], check=True,
                       capture_output=True, timeout=30)
        p = subprocess.run(["openssl", "dgst", digest, "-verify", pub, "-signature", sig, data],
                           capture_output=True, text=True, timeout=30)
        return p.returncode == 0 and "Verified OK" in p.stdout


class HttpEndpoint:
    """A loopback HTTP server that records every POST and answers with the next status of
    `statuses` (then 200)."""

    def __init__(self, hang=0):
        self.requests = queue.Queue()
        self.statuses = []
        self.hang = hang  # seconds to sit on each request before answering (a dead endpoint)
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length).decode("utf-8")
                with outer.lock:
                    status = outer.statuses.pop(0) if outer.statuses else 200
                outer.requests.put((dict((k.lower(), v) for k, v in self.headers.items()), body, status))
                if outer.hang:
                    outer.stopping.wait(outer.hang)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.url = "http://127.0.0.1:%d/hook" % self.port
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def next(self, timeout=15):
        return self.requests.get(timeout=timeout)

    def close(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)


class HttpsEndpoint(HttpEndpoint):
    """The same endpoint over TLS with a self-signed certificate for 127.0.0.1 (made with the
    openssl command line); `ca_file` is that certificate, for --sns-ca-bundle."""

    def __init__(self, workdir):
        import ssl
        super().__init__()
        self.ca_file = os.path.join(workdir, "endpoint-cert.pem")
        key = os.path.join(workdir, "endpoint-key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key,
                        "-out", self.ca_file], check=True, capture_output=True, timeout=60)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.ca_file, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.url = "https://127.0.0.1:%d/hook" % self.port


class SmtpSink:
    """aiosmtpd on loopback (Debian's python3-aiosmtpd), keeping every mail."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        self.mails = queue.Queue()
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
                outer.mails.put((envelope.mail_from, list(envelope.rcpt_tos), msg))
                return "250 Message accepted for delivery"

        # aiosmtpd's start() connects to its own port to see that it is up, so it needs a real one.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.url = "smtp://127.0.0.1:%d" % self.port

    def next(self, timeout=15):
        return self.mails.get(timeout=timeout)

    def close(self):
        self.controller.stop()


def wait_for(predicate, timeout=15, interval=0.05):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


def outbox_mails(server):
    """(path, parsed message) of every .eml under the server's <data>/mail, oldest first."""
    d = os.path.join(server.data_dir, "mail")
    if not os.path.isdir(d):
        return []
    out = []
    for name in sorted(os.listdir(d)):
        if name.endswith(".eml"):
            with open(os.path.join(d, name), "rb") as f:
                out.append((name, email.message_from_bytes(f.read(), policy=email.policy.default)))
    return out


def queue_arn(sqs, url):
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def receive_one(sqs, url, **kw):
    r = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5, MaxNumberOfMessages=1, **kw)
    msgs = r.get("Messages", [])
    assert msgs, "no message arrived in %s" % url
    sqs.delete_message(QueueUrl=url, ReceiptHandle=msgs[0]["ReceiptHandle"])
    return msgs[0]


def body_text(msg):
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content() if part is not None else msg.get_content()


def link_in(text, action):
    for word in text.split():
        if "Action=%s" % action in word:
            return word.strip()
    raise AssertionError("no %s link in %r" % (action, text))
