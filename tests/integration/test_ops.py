"""Operational endpoints: /_overcast/health, /_overcast/info, /metrics."""
import json
import os
import re

import botocore.exceptions
import pytest

from integ import boto3_client, http_get


def get_json(server, path):
    status, headers, body = http_get(server.url + path)
    assert status == 200, (path, status, body)
    ctype = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    assert ctype.startswith("application/json"), (path, headers)
    return json.loads(body)


def test_health(server):
    doc = get_json(server, "/_overcast/health")
    assert doc["status"] == "ok", doc
    assert isinstance(doc["version"], str) and doc["version"], doc
    assert isinstance(doc["uptime_seconds"], (int, float)) and doc["uptime_seconds"] >= 0, doc
    assert "store" in doc and doc["store"], doc


def test_health_uptime_increases(server):
    import time
    a = get_json(server, "/_overcast/health")["uptime_seconds"]
    time.sleep(1.2)
    b = get_json(server, "/_overcast/health")["uptime_seconds"]
    assert b > a, (a, b)


def test_info(server):
    doc = get_json(server, "/_overcast/info")
    services = json.dumps(doc["services"]).lower()
    for svc in ("ec2", "sts"):
        assert svc in services, doc["services"]
    assert "us-east-1" in json.dumps(doc["regions"]), doc["regions"]
    assert "eu-west-1" in json.dumps(doc["regions"]), doc["regions"]
    assert doc["endpoint"].rstrip("/") == server.url, (doc["endpoint"], server.url)
    assert os.path.realpath(doc["data_dir"]) == os.path.realpath(server.data_dir), doc


def test_unknown_overcast_path_404(server):
    status, _, _ = http_get(server.url + "/_overcast/no-such-thing")
    assert status == 404


SAMPLE_RE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})?\s+(\S+)(\s+\d+)?$')
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def metrics(server):
    status, headers, body = http_get(server.url + "/metrics")
    assert status == 200, body
    ctype = {k.lower(): v for k, v in headers.items()}.get("content-type", "")
    assert ctype.startswith("text/plain"), headers
    samples = []
    for line in body.decode().splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE_RE.match(line)
        assert m, "not a Prometheus sample line: %r" % line
        labels = dict(LABEL_RE.findall(m.group(3) or ""))
        samples.append((m.group(1), labels, float(m.group(4))))
    return body.decode(), samples


def requests_total(samples, **labels):
    total = 0.0
    for name, lab, value in samples:
        if name == "overcast_requests_total" and all(lab.get(k) == v for k, v in labels.items()):
            total += value
    return total


def test_metrics_request_counter(server):
    _, before = metrics(server)
    sts = boto3_client(server, "sts")
    for _ in range(3):
        sts.get_caller_identity()
    bad = boto3_client(server, "sts", secret="wrong")
    for _ in range(2):
        with pytest.raises(botocore.exceptions.ClientError):
            bad.get_caller_identity()
    text, after = metrics(server)
    ok = dict(service="sts", action="GetCallerIdentity", status="200")
    assert requests_total(after, **ok) - requests_total(before, **ok) == 3, text
    denied = dict(service="sts", status="403")
    assert requests_total(after, **denied) - requests_total(before, **denied) == 2, text


def test_metrics_ec2_counter(server):
    _, before = metrics(server)
    boto3_client(server, "ec2").describe_regions()
    text, after = metrics(server)
    lab = dict(service="ec2", action="DescribeRegions", status="200")
    assert requests_total(after, **lab) - requests_total(before, **lab) == 1, text


def test_metrics_latency_histogram(server):
    boto3_client(server, "sts").get_caller_identity()
    text, samples = metrics(server)
    assert "# TYPE overcast_requests_total counter" in text, text[:3000]
    buckets = [s for s in samples if s[0].endswith("_bucket") and "le" in s[1]]
    assert buckets, "no histogram buckets:\n" + text[:3000]
    hist_names = {s[0][:-len("_bucket")] for s in buckets}
    assert any(re.search(r"(latency|duration)", n) for n in hist_names), hist_names
    for base in hist_names:
        assert any(s[0] == base + "_count" for s in samples), base
        assert any(s[0] == base + "_sum" for s in samples), base
        assert "# TYPE %s histogram" % base in text, base
        inf = [s for s in buckets if s[0] == base + "_bucket" and s[1]["le"] == "+Inf"]
        assert inf, base
    # Cumulative buckets for one series are non-decreasing.
    sts = sorted(((float(s[1]["le"]) if s[1]["le"] != "+Inf" else float("inf")), s[2])
                 for s in buckets
                 if s[1].get("service") == "sts" and s[1].get("action") == "GetCallerIdentity"
                 and s[0] == sorted(hist_names)[0] + "_bucket")
    if sts:
        values = [v for _, v in sts]
        assert values == sorted(values), sts


def test_ops_endpoints_need_no_auth_and_server_still_refuses_api(server):
    # health without credentials works, but the API without credentials does not.
    status, _, _ = http_get(server.url + "/_overcast/health")
    assert status == 200
    status, _, body = http_get(server.url + "/?Action=DescribeRegions&Version=2016-11-15")
    assert status in (400, 401, 403), (status, body)
