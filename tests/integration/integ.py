"""Helpers for the integration tests: the overcast process, clients, signing, raw HTTP.

Everything here is hermetic: servers listen on port 0 with a temp data dir, are
stopped by their PID, and clients never read config files from the home dir.
"""
import datetime
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from unittest import mock

import pytest

REPO = Path(__file__).resolve().parents[2]
BIN = os.environ.get("OVERCAST_BIN") or str(REPO / "build" / "asan" / "overcast")
START_TIMEOUT = float(os.environ.get("OVERCAST_START_TIMEOUT", "30"))
STOP_TIMEOUT = 15.0
ACCOUNT = "000000000000"
KEY = "test"
SECRET = "test"
AWS_V2 = "/usr/bin/aws"
CLIENT_SCRIPT = Path(__file__).resolve().parent / "clients" / "boto3_call.py"

LISTEN_RE = re.compile(r"overcast: listening on (https?)://([0-9.]+|\[[0-9a-f:]+\]|[A-Za-z0-9.-]+):(\d+)")
CA_RE = re.compile(r"overcast: CA certificate at (\S+)")

# ---------------------------------------------------------------------------------------------
# Hermetic environment: no AWS / boto config from the home dir, no inherited OVERCAST_* flags.

_CFG_DIR = tempfile.mkdtemp(prefix="overcast-it-cfg-")
EMPTY_FILE = os.path.join(_CFG_DIR, "empty")
Path(EMPTY_FILE).write_text("")
BOTO_CFG = os.path.join(_CFG_DIR, "boto.cfg")
# boto 2: no retries (so failures are fast and visible), bounded socket timeout.
Path(BOTO_CFG).write_text("[Boto]\nnum_retries = 0\nhttp_socket_timeout = 30\n")


def _sanitize_environ():
    for k in list(os.environ):
        if k.startswith("AWS_") or k.startswith("BOTO"):
            del os.environ[k]
        elif k.startswith("OVERCAST_") and k not in ("OVERCAST_BIN", "OVERCAST_TEST_TIMEOUT",
                                                     "OVERCAST_START_TIMEOUT"):
            del os.environ[k]
    os.environ["AWS_CONFIG_FILE"] = EMPTY_FILE
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = EMPTY_FILE
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["BOTO_CONFIG"] = BOTO_CFG
    os.environ["BOTO_PATH"] = BOTO_CFG


_sanitize_environ()


def cleanup_cfg():
    shutil.rmtree(_CFG_DIR, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The server process.

SANITIZER_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                     "ThreadSanitizer", "SUMMARY: UndefinedBehaviorSanitizer")


class Server:
    """One `overcast serve` process. Use ServerFactory to make these."""

    def __init__(self, data_dir, args, env, log_dir, name, default_flags=True):
        self.data_dir = str(data_dir)
        self.args = list(args)
        self.env = env
        self.name = name
        self.proc = None
        self.lines = []
        self.cond = threading.Condition()
        self.stdout_eof = False
        self.stderr_path = os.path.join(log_dir, name + ".stderr")
        self.default_flags = default_flags
        self.url = self.https_url = None
        self.port = self.https_port = None
        self.ca_path = None
        self.sanitizer_reports = []

    # -- lifecycle --------------------------------------------------------------------------
    def argv(self):
        argv = [BIN, "serve"]
        if self.default_flags:
            argv += ["--listen", "127.0.0.1:0", "--data", self.data_dir]
        return argv + self.args

    def spawn(self):
        if not os.path.isfile(BIN) or not os.access(BIN, os.X_OK):
            pytest.fail("overcast binary not found or not executable: %s (set OVERCAST_BIN)" % BIN,
                        pytrace=False)
        self.lines = []
        self.stdout_eof = False
        self._stderr = open(self.stderr_path, "ab")
        self._stderr.write(("\n=== start %s ===\n" % " ".join(self.argv())).encode())
        self._stderr.flush()
        self.proc = subprocess.Popen(self.argv(), stdout=subprocess.PIPE, stderr=self._stderr,
                                     stdin=subprocess.DEVNULL, env=self.env, start_new_session=True)
        t = threading.Thread(target=self._reader, args=(self.proc,), daemon=True)
        t.start()
        return self

    def _reader(self, proc):
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.stdout_eof = True
            self.cond.notify_all()

    def wait_ready(self, tls=False, timeout=START_TIMEOUT):
        """Waits for the listening line(s), then for /_overcast/health to answer 200."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                self._parse_lines()
                if self.url and (not tls or self.https_url):
                    break
                if self.stdout_eof or self.proc.poll() is not None:
                    self.proc.wait(5)
                    pytest.fail("overcast exited (rc=%s) before listening\n%s"
                                % (self.proc.returncode, self.diagnostics()), pytrace=False)
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail("no 'overcast: listening on ...' line within %.0fs\n%s"
                                % (timeout, self.diagnostics()), pytrace=False)
                self.cond.wait(min(left, 0.5))
        last = None
        while time.monotonic() < deadline:
            try:
                status, _, _ = http_get(self.url + "/_overcast/health", timeout=5)
                if status == 200:
                    return self
                last = "status %s" % status
            except Exception as e:  # noqa: BLE001 - keep polling
                last = repr(e)
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        pytest.fail("server never became healthy (%s)\n%s" % (last, self.diagnostics()), pytrace=False)

    def _parse_lines(self):
        for line in self.lines:
            m = LISTEN_RE.search(line)
            if m:
                scheme, host, port = m.group(1), m.group(2), int(m.group(3))
                url = "%s://%s:%d" % (scheme, host, port)
                if scheme == "http":
                    self.url, self.port = url, port
                else:
                    self.https_url, self.https_port = url, port
            m = CA_RE.search(line)
            if m:
                self.ca_path = m.group(1)

    def start(self, tls=False):
        self.url = self.https_url = self.port = self.https_port = None
        self.spawn()
        return self.wait_ready(tls=tls)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=STOP_TIMEOUT):
        """SIGTERM, then SIGKILL after `timeout`. Returns the exit status."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        self._finish()
        return self.proc.returncode

    def kill9(self):
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        self._finish()
        return self.proc.returncode

    def _finish(self):
        try:
            self._stderr.close()
        except Exception:  # noqa: BLE001
            pass
        text = self.stderr_text()
        for marker in SANITIZER_MARKERS:
            if marker in text and marker not in self.sanitizer_reports:
                self.sanitizer_reports.append(marker)

    # -- output -----------------------------------------------------------------------------
    def stdout_text(self):
        with self.cond:
            return "\n".join(self.lines)

    def stderr_text(self):
        try:
            return Path(self.stderr_path).read_text(errors="replace")
        except OSError:
            return ""

    def diagnostics(self, tail=4000):
        return "--- argv: %s\n--- stdout:\n%s\n--- stderr (tail):\n%s" % (
            " ".join(self.argv()), self.stdout_text()[-tail:], self.stderr_text()[-tail:])


class ServerFactory:
    """Starts servers (with extra flags, on a new or given data dir) and stops them all at the end."""

    def __init__(self, label):
        self.label = re.sub(r"[^A-Za-z0-9_.-]", "_", label)[:60]
        self.root = tempfile.mkdtemp(prefix="overcast-it-%s-" % self.label)
        self.log_dir = os.path.join(self.root, "logs")
        os.makedirs(self.log_dir)
        self.servers = []
        self.count = 0

    def new_data_dir(self):
        self.count += 1
        d = os.path.join(self.root, "data%d" % self.count)
        return d  # not created: a fresh dir is made by the server

    def make(self, args=(), data_dir=None, env=None, default_flags=True):
        data_dir = data_dir or self.new_data_dir()
        full_env = dict(os.environ)
        full_env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
        if env:
            full_env.update(env)
        s = Server(data_dir, args, full_env, self.log_dir, "s%d" % (len(self.servers) + 1),
                   default_flags=default_flags)
        self.servers.append(s)
        return s

    def start(self, args=(), data_dir=None, env=None, tls=False):
        return self.make(args, data_dir, env).start(tls=tls)

    def restart(self, server, kill9=False, args=None, tls=False):
        """Stops `server` (SIGTERM or kill -9) and starts a new one on the same data dir."""
        if kill9:
            server.kill9()
        else:
            server.stop()
        return self.start(args=server.args if args is None else args, data_dir=server.data_dir,
                          tls=tls)

    def close(self):
        reports = []
        for s in self.servers:
            try:
                s.stop()
            except Exception as e:  # noqa: BLE001
                reports.append("%s: stop failed: %r" % (s.name, e))
            if s.sanitizer_reports:
                reports.append("%s: sanitizer output %s\n%s" % (s.name, s.sanitizer_reports,
                                                                 s.stderr_text()[-6000:]))
        shutil.rmtree(self.root, ignore_errors=True)
        return reports


# ---------------------------------------------------------------------------------------------
# Plain HTTP.

def http_get(url, timeout=10, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def http_request(server, method, path, body=b"", headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()
    finally:
        conn.close()


def error_code(body):
    """The AWS error code from an XML or JSON error body, or None."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    m = re.search(r"<Code>([^<]*)</Code>", body)
    if m:
        return m.group(1)
    try:
        doc = json.loads(body)
        t = doc.get("__type") or doc.get("code") or doc.get("Code")
        return t.split("#")[-1] if t else None
    except Exception:  # noqa: BLE001
        return None


# ---------------------------------------------------------------------------------------------
# SigV4 signing with botocore (for raw requests: tampering, skew, bad input).

FORM = "application/x-www-form-urlencoded; charset=utf-8"


def sign(server, body, service, region="us-east-1", key=KEY, secret=SECRET, token=None,
         when=None, method="POST", path="/", headers=None):
    """Returns the headers (incl. Authorization) for a SigV4-signed request to `server`."""
    import botocore.auth
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    if isinstance(body, str):
        body = body.encode()
    hdrs = {"Content-Type": FORM}
    hdrs.update(headers or {})
    req = AWSRequest(method=method, url="http://127.0.0.1:%d%s" % (server.port, path), data=body,
                     headers=hdrs)
    auth = SigV4Auth(Credentials(key, secret, token), service, region)
    if when is None:
        auth.add_auth(req)
    else:
        real = datetime.datetime
        with mock.patch.object(botocore.auth, "datetime") as m:
            m.datetime.utcnow.return_value = when
            m.datetime.strptime = real.strptime
            auth.add_auth(req)
    out = dict(req.headers.items())
    out["Host"] = "127.0.0.1:%d" % server.port
    return out


def signed_post(server, body, service, **kw):
    """Signs and sends a POST; returns (status, headers, body)."""
    if isinstance(body, str):
        body = body.encode()
    headers = sign(server, body, service, **kw)
    return http_request(server, "POST", kw.get("path", "/"), body=body, headers=headers)


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


# ---------------------------------------------------------------------------------------------
# boto3 (in process, 1.26), boto 2, AWS CLI, boto3 1.43 (subprocess).

def boto3_client(server, service, key=KEY, secret=SECRET, region="us-east-1", token=None,
                 url=None, verify=None):
    import boto3
    from botocore.config import Config
    session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key=secret,
                                    aws_session_token=token, region_name=region)
    return session.client(service, endpoint_url=url or server.url, verify=verify,
                          config=Config(retries={"total_max_attempts": 1}, connect_timeout=10,
                                        read_timeout=60))


def client_error_code(excinfo):
    return excinfo.value.response.get("Error", {}).get("Code")


def boto2_ec2(server, key=KEY, secret=SECRET, region_name="us-east-1"):
    from boto.ec2.connection import EC2Connection
    from boto.regioninfo import RegionInfo
    return EC2Connection(key, secret, is_secure=False, port=server.port, path="/",
                         region=RegionInfo(name=region_name, endpoint="127.0.0.1"))


def cli_env(key=KEY, secret=SECRET, region="us-east-1", token=None, extra=None):
    env = dict(os.environ)
    env.update({"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret,
                "AWS_DEFAULT_REGION": region, "AWS_PAGER": "", "AWS_MAX_ATTEMPTS": "1",
                "AWS_RETRY_MODE": "standard", "AWS_CONFIG_FILE": EMPTY_FILE,
                "AWS_SHARED_CREDENTIALS_FILE": EMPTY_FILE})
    if token:
        env["AWS_SESSION_TOKEN"] = token
    env.update(extra or {})
    return env


class CliResult:
    def __init__(self, cmd, proc):
        self.cmd = cmd
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        try:
            self.json = json.loads(proc.stdout) if proc.stdout.strip() else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "cmd=%s rc=%s\nstdout=%s\nstderr=%s" % (" ".join(self.cmd), self.rc,
                                                       self.stdout[-3000:], self.stderr[-3000:])


def run_aws(server, *args, cli=AWS_V2, endpoint=None, key=KEY, secret=SECRET, region="us-east-1",
            token=None, extra_cli=(), timeout=90):
    cmd = [cli, "--endpoint-url", endpoint or server.url, "--output", "json", *extra_cli, *args]
    p = subprocess.run(cmd, env=cli_env(key, secret, region, token), capture_output=True,
                       text=True, timeout=timeout)
    return CliResult(cmd, p)


def aws_ok(server, *args, **kw):
    r = run_aws(server, *args, **kw)
    assert r.rc == 0, repr(r)
    return r.json


def _other_on_path(name, exclude):
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, name)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            real = os.path.realpath(p)
            if real not in exclude and p not in exclude:
                return p
    return None


_cache = {}


def py143():
    """The PATH python3 that is not Debian's, if it has boto3; else None."""
    if "py" not in _cache:
        exclude = {"/usr/bin/python3", "/bin/python3", os.path.realpath("/usr/bin/python3")}
        p = _other_on_path("python3", exclude)
        ver = None
        if p:
            try:
                r = subprocess.run([p, "-c", "import boto3; print(boto3.__version__)"],
                                   capture_output=True, text=True, timeout=60)
                ver = r.stdout.strip() if r.returncode == 0 else None
            except Exception:  # noqa: BLE001
                ver = None
        _cache["py"] = (p, ver) if ver else None
    return _cache["py"]


def require_py143():
    r = py143()
    if not r:
        pytest.skip("SKIP: boto3 1.43 not present (no python3 on PATH other than /usr/bin/python3 "
                    "with boto3)")
    return r


def aws_v1():
    """The AWS CLI v1 on PATH, if any; else None."""
    if "v1" not in _cache:
        exclude = {"/usr/bin/aws", "/bin/aws", os.path.realpath("/usr/bin/aws")}
        p = _other_on_path("aws", exclude)
        ok = None
        if p:
            try:
                r = subprocess.run([p, "--version"], capture_output=True, text=True, timeout=60)
                ok = p if "aws-cli/1." in (r.stdout + r.stderr) else None
            except Exception:  # noqa: BLE001
                ok = None
        _cache["v1"] = ok
    return _cache["v1"]


def require_aws_v1():
    p = aws_v1()
    if not p:
        pytest.skip("SKIP: AWS CLI v1 not present on PATH")
    return p


def boto3_143(server, calls, service, key=KEY, secret=SECRET, region="us-east-1", token=None,
              url=None, verify=None):
    """Runs `calls` ([(operation, params), ...]) with boto3 1.43 in a subprocess.

    Returns a list of {"ok": bool, "response"|"error": ..., "status": int}."""
    py, _ = require_py143()
    spec = {"endpoint": url or server.url, "service": service, "region": region, "key": key,
            "secret": secret, "token": token, "verify": verify,
            "calls": [{"operation": op, "params": params} for op, params in calls]}
    env = dict(os.environ)
    p = subprocess.run([py, str(CLIENT_SCRIPT)], input=json.dumps(spec), capture_output=True,
                       text=True, timeout=90, env=env)
    assert p.returncode == 0, "boto3 1.43 client failed rc=%s\nstdout=%s\nstderr=%s" % (
        p.returncode, p.stdout[-3000:], p.stderr[-3000:])
    out = json.loads(p.stdout)
    assert out["boto3"].startswith("1."), out
    return out["results"]


# ---------------------------------------------------------------------------------------------
# overcast admin.

class AdminResult(CliResult):
    pass


def admin(*args, data=None, endpoint=None, key=KEY, secret=SECRET, timeout=60):
    cmd = [BIN, "admin"]
    if data is not None:
        cmd += ["--data", str(data)]
    if endpoint is not None:
        cmd += ["--endpoint", endpoint, "--access-key", key, "--secret-key", secret]
    cmd += [str(a) for a in args]
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    return AdminResult(cmd, p)


def admin_ok(*args, **kw):
    r = admin(*args, **kw)
    assert r.rc == 0, repr(r)
    assert r.json is not None, "admin did not print JSON: %r" % r
    return r.json


def new_account_and_key(server, via="endpoint", admin_key=False):
    """Creates an account and a key in it on a running server; returns (account, key, secret)."""
    kw = {"endpoint": server.url} if via == "endpoint" else {"data": server.data_dir}
    acct = admin_ok("create-account", **kw)["AccountId"]
    assert re.fullmatch(r"\d{12}", acct), acct
    args = ["create-key", "--account-id", acct] + (["--admin"] if admin_key else [])
    k = admin_ok(*args, **kw)
    assert k["AccountId"] == acct, k
    return acct, k["AccessKeyId"], k["SecretAccessKey"]


# ---------------------------------------------------------------------------------------------
# EC2 helpers.

def az_mapping(server, key, secret, regions):
    """{region: {zone name: zone id}} for an account, via boto3."""
    out = {}
    for region in regions:
        ec2 = boto3_client(server, "ec2", key=key, secret=secret, region=region)
        zones = ec2.describe_availability_zones()["AvailabilityZones"]
        out[region] = {z["ZoneName"]: z["ZoneId"] for z in zones}
    return out
