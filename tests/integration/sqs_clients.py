"""One calling convention for SQS over both wire protocols, for the SQS integration tests.

Adapters (all expose `.call(Operation, **params)` -> response dict without metadata, raising
SqsError on an AWS error):
  - "query":     boto3 1.26 in process (SQS query protocol, XML);
  - "json":      the JavaScript SDK v3 @aws-sdk/client-sqs in a long-lived node process
                 (tests/integration/js/sqs_call.mjs --lines), JSON protocol, MD5 checks on;
  - "json143":   boto3 1.43 in a long-lived subprocess (clients/boto3_lines.py), JSON protocol;
                 skipped with a SKIP line where absent.
Parameters and responses use the SQS model's member names; binary attribute values are bytes.

Also: the AWS MD5-of-message-attributes algorithm, and helpers shared by the SQS test files.
"""
import base64
import hashlib
import itertools
import json
import os
import struct
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

import integ

HERE = Path(__file__).resolve().parent
JS_DIR = HERE / "js"
JS_SCRIPT = JS_DIR / "sqs_call.mjs"
BOTO3_LINES = HERE / "clients" / "boto3_lines.py"

PROTOCOLS = ["query", "json"]          # every core test runs on these
ALL_ADAPTERS = ["query", "json", "json143"]

_names = itertools.count(1)


def qname(prefix="q"):
    """A queue name unique in this test run."""
    return "%s-%d-%s" % (prefix, next(_names), uuid.uuid4().hex[:8])


# ---------------------------------------------------------------------------------------------
# MD5s (aws-reference §A6).

def md5_body(body):
    if isinstance(body, str):
        body = body.encode("utf-8")
    return hashlib.md5(body).hexdigest()


def md5_attributes(attrs):
    """MD5OfMessageAttributes for {name: {"DataType", "StringValue"|"BinaryValue"}}; None if empty."""
    if not attrs:
        return None
    buf = b""
    for name in sorted(attrs, key=lambda n: n.encode("utf-8")):
        a = attrs[name]
        dt = a["DataType"]
        buf += struct.pack(">I", len(name.encode())) + name.encode()
        buf += struct.pack(">I", len(dt.encode())) + dt.encode()
        if "BinaryValue" in a and a.get("BinaryValue") is not None:
            v = a["BinaryValue"]
            buf += b"\x02"
        else:
            v = a["StringValue"].encode("utf-8")
            buf += b"\x01"
        buf += struct.pack(">I", len(v)) + v
    return hashlib.md5(buf).hexdigest()


# ---------------------------------------------------------------------------------------------
# Errors.

class SqsError(Exception):
    """An AWS error answer. `code`: the modeled (JSON) name where the client reports it
    (JSON protocol), else None; `legacy`: the query-protocol code (on JSON: from the
    x-amzn-query-error header); `status`: HTTP status."""

    def __init__(self, adapter, code, legacy, status, message, raw):
        super().__init__("%s: %s error code=%s legacy=%s status=%s message=%r raw=%r" % (
            adapter, "AWS" if status else "client", code, legacy, status, message, raw))
        self.adapter = adapter
        self.code = code
        self.legacy = legacy
        self.status = status
        self.message = message
        self.raw = raw


class ClientFailure(Exception):
    """A failure that is not an AWS error answer (connection refused, MD5 mismatch in the SDK...)."""


def assert_error(exc, code, legacy=None, status=400):
    """Checks an SqsError against the expected modeled name `code` and query code `legacy`
    (default: the same as `code`)."""
    legacy = legacy or code
    e = exc.value if hasattr(exc, "value") else exc
    assert isinstance(e, SqsError), e
    assert e.legacy == legacy, "expected query code %s, got %s" % (legacy, e)
    if e.code is not None:
        assert e.code == code, "expected error name %s, got %s" % (code, e)
    if status is not None:
        assert e.status == status, "expected HTTP %s, got %s" % (status, e)


# ---------------------------------------------------------------------------------------------
# Adapters.

class Adapter:
    protocol = None
    name = None

    def __init__(self, server, key=integ.KEY, secret=integ.SECRET, region="us-east-1", url=None):
        self.server = server
        self.key, self.secret, self.region = key, secret, region
        self.url = url or server.url

    def call(self, op, **params):
        raise NotImplementedError

    def close(self):
        pass

    # conveniences used all over the tests
    def create_queue(self, name=None, attributes=None, tags=None):
        params = {"QueueName": name or qname()}
        if attributes:
            params["Attributes"] = {k: str(v) for k, v in attributes.items()}
        if tags:
            params["tags"] = tags
        return self.call("CreateQueue", **params)["QueueUrl"]

    def send(self, url, body, **kw):
        return self.call("SendMessage", QueueUrl=url, MessageBody=body, **kw)

    def receive(self, url, **kw):
        return self.call("ReceiveMessage", QueueUrl=url, **kw).get("Messages", []) or []

    def attrs(self, url, names=("All",)):
        return self.call("GetQueueAttributes", QueueUrl=url,
                         AttributeNames=list(names)).get("Attributes", {})

    def drain(self, url, expect, wait=3.0, visibility=60, **kw):
        """Receives until `expect` messages were seen (or `wait` seconds passed); returns them."""
        seen = {}
        deadline = time.monotonic() + wait
        while len(seen) < expect and time.monotonic() < deadline:
            for m in self.receive(url, MaxNumberOfMessages=10, VisibilityTimeout=visibility, **kw):
                seen.setdefault(m["MessageId"], m)
        return list(seen.values())

    def __repr__(self):
        return "<%s adapter>" % self.name


class Boto3Query(Adapter):
    protocol = "query"
    name = "query"

    def __init__(self, server, **kw):
        super().__init__(server, **kw)
        import botocore
        self._xform = botocore.xform_name
        self.client = integ.boto3_client(server, "sqs", key=self.key, secret=self.secret,
                                         region=self.region, url=self.url)

    def call(self, op, **params):
        from botocore.exceptions import ClientError
        try:
            resp = getattr(self.client, self._xform(op))(**params)
        except ClientError as e:
            err = e.response.get("Error", {})
            raise SqsError(self.name, None, err.get("Code"),
                           e.response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                           err.get("Message"), e.response) from None
        resp.pop("ResponseMetadata", None)
        return resp


def _enc(v):
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, (list, tuple)):
        return [_enc(x) for x in v]
    if isinstance(v, dict):
        return {k: _enc(x) for k, x in v.items()}
    return v


def _dec(v):
    if isinstance(v, list):
        return [_dec(x) for x in v]
    if isinstance(v, dict):
        if list(v) == ["$bytes"]:
            return base64.b64decode(v["$bytes"])
        return {k: _dec(x) for k, x in v.items()}
    return v


class _LineProcess:
    """A subprocess speaking one JSON document per line; calls are serialized by a lock."""

    def __init__(self, argv, env, cwd=None, first=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, cwd=cwd, text=True,
                                     bufsize=1)
        self.lock = threading.Lock()
        if first is not None:
            self.proc.stdin.write(json.dumps(first) + "\n")
            self.proc.stdin.flush()
        self.hello = self._read()

    def _read(self):
        line = self.proc.stdout.readline()
        if not line:
            err = self.proc.stderr.read() if self.proc.poll() is not None else ""
            raise ClientFailure("client process ended (rc=%s): %s" % (self.proc.poll(), err[-3000:]))
        return json.loads(line)

    def request(self, doc):
        with self.lock:
            self.proc.stdin.write(json.dumps(doc) + "\n")
            self.proc.stdin.flush()
            return self._read()

    def close(self):
        try:
            self.proc.stdin.close()
        except Exception:  # noqa: BLE001
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def ensure_js():
    """Installs the JS SDK from the lock file if node_modules is missing (npm ci)."""
    if not (JS_DIR / "node_modules" / "@aws-sdk" / "client-sqs").is_dir():
        p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=str(JS_DIR),
                           capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, "npm ci in %s failed:\n%s\n%s" % (JS_DIR, p.stdout, p.stderr)


class JsSdk(Adapter):
    protocol = "json"
    name = "json"

    def __init__(self, server, **kw):
        super().__init__(server, **kw)
        ensure_js()
        env = dict(os.environ)
        env.update({"OVERCAST_ENDPOINT": self.url, "AWS_ACCESS_KEY_ID": self.key,
                    "AWS_SECRET_ACCESS_KEY": self.secret, "AWS_REGION": self.region})
        self.p = _LineProcess(["node", str(JS_SCRIPT), "--lines"], env, cwd=str(JS_DIR))
        self.sdk = self.p.hello.get("sdk")

    def call(self, op, **params):
        r = self.p.request({"command": op, "input": _enc(params)})
        if r["ok"]:
            return _dec(r["output"])
        if r.get("status") is None:
            raise ClientFailure("JS SDK %s: %s: %s" % (op, r.get("error"), r.get("message")))
        raise SqsError(self.name, r.get("error"), r.get("code"), r.get("status"), r.get("message"), r)

    def close(self):
        self.p.close()


class Boto3Json(Adapter):
    protocol = "json"
    name = "json143"

    def __init__(self, server, **kw):
        super().__init__(server, **kw)
        py, _ = integ.require_py143()
        spec = {"endpoint": self.url, "service": "sqs", "region": self.region, "key": self.key,
                "secret": self.secret, "token": None}
        self.p = _LineProcess([py, str(BOTO3_LINES)], dict(os.environ), first=spec)

    def call(self, op, **params):
        r = self.p.request({"operation": op, "params": _enc(params)})
        if r["ok"]:
            return _dec(r["response"])
        err = r.get("error", {})
        if r.get("status") is None:
            raise ClientFailure("boto3 1.43 %s: %s" % (op, err))
        raise SqsError(self.name, err.get("QueryErrorCode") or err.get("Code"), err.get("Code"),
                       r.get("status"), err.get("Message"), r)

    def close(self):
        self.p.close()


ADAPTERS = {"query": Boto3Query, "json": JsSdk, "json143": Boto3Json}


def make(kind, server, **kw):
    return ADAPTERS[kind](server, **kw)


class AdapterPool:
    """Adapters made on demand per (kind, server, key...) and closed at the end of a module."""

    def __init__(self):
        self.made = {}

    def get(self, kind, server, **kw):
        k = (kind, id(server), server.port, tuple(sorted(kw.items())))
        a = self.made.get(k)
        if a is None:
            a = self.made[k] = make(kind, server, **kw)
        return a

    def close(self):
        for a in self.made.values():
            try:
                a.close()
            except Exception:  # noqa: BLE001
                pass
        self.made.clear()


# ---------------------------------------------------------------------------------------------
# Fixtures (import them into a test module: `from sqs_clients import sqs_pool, sqs, ...`).

def _adapter_params(kinds):
    return [pytest.param(k, id=k) for k in kinds]


@pytest.fixture(scope="module")
def sqs_pool():
    pool = AdapterPool()
    yield pool
    pool.close()


@pytest.fixture(params=_adapter_params(ALL_ADAPTERS))
def sqs(request, server, sqs_pool):
    """The module's server through each client: query (boto3 1.26), json (JS SDK v3), json143
    (boto3 1.43, skipped where absent)."""
    return sqs_pool.get(request.param, server)


@pytest.fixture(params=_adapter_params(PROTOCOLS))
def sqs2(request, server, sqs_pool):
    """Like `sqs` but only the two required clients (for the slower tests)."""
    return sqs_pool.get(request.param, server)


@pytest.fixture
def helper(server, sqs_pool):
    """A boto3 1.26 (query) adapter for setup and side traffic."""
    return sqs_pool.get("query", server)


def queue_url(server, name, account=integ.ACCOUNT):
    return "%s/%s/%s" % (server.url, account, name)


def queue_arn(name, account=integ.ACCOUNT, region="us-east-1"):
    return "arn:aws:sqs:%s:%s:%s" % (region, account, name)


def wait_until(pred, timeout=5.0, step=0.05):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(step)
