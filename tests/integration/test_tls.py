"""TLS listener: with no cert the server makes one from the data dir's CA (path printed as
`overcast: CA certificate at PATH`); with --tls-cert/--tls-key it serves the given pair."""
import os
import socket
import ssl
import subprocess

import botocore.exceptions
import pytest

from integ import aws_ok, boto3_143, boto3_client, http_get, run_aws


@pytest.fixture(scope="module")
def tls_server(module_factory):
    s = module_factory.start(["--tls-listen", "127.0.0.1:0"], tls=True)
    assert s.ca_path, "no 'overcast: CA certificate at PATH' line:\n" + s.stdout_text()
    assert os.path.isfile(s.ca_path), s.ca_path
    return s


def test_tls_boto3_with_ca(tls_server):
    sts = boto3_client(tls_server, "sts", url=tls_server.https_url, verify=tls_server.ca_path)
    assert sts.get_caller_identity()["Account"] == "000000000000"
    ec2 = boto3_client(tls_server, "ec2", url=tls_server.https_url, verify=tls_server.ca_path)
    assert len(ec2.describe_availability_zones()["AvailabilityZones"]) == 6


def test_tls_verification_really_happens(tls_server):
    sts = boto3_client(tls_server, "sts", url=tls_server.https_url, verify=True)
    with pytest.raises(botocore.exceptions.SSLError):
        sts.get_caller_identity()


def test_tls_certificate_names_127_0_0_1(tls_server):
    ctx = ssl.create_default_context(cafile=tls_server.ca_path)
    with socket.create_connection(("127.0.0.1", tls_server.https_port), timeout=10) as raw:
        with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            cert = tls.getpeercert()
    sans = [v for k, v in cert.get("subjectAltName", ()) if k in ("IP Address", "DNS")]
    assert "127.0.0.1" in sans, cert


def test_tls_and_http_both_serve(tls_server):
    assert boto3_client(tls_server, "sts").get_caller_identity()["Account"] == "000000000000"


def test_tls_cli_v2_ca_bundle(tls_server):
    out = aws_ok(tls_server, "sts", "get-caller-identity", endpoint=tls_server.https_url,
                 extra_cli=["--ca-bundle", tls_server.ca_path])
    assert out["Account"] == "000000000000"
    r = run_aws(tls_server, "sts", "get-caller-identity", endpoint=tls_server.https_url)
    assert r.rc != 0, "CLI accepted an unknown CA: %r" % r


def test_tls_boto3_143(tls_server):
    [res] = boto3_143(tls_server, [("get_caller_identity", {})], "sts",
                      url=tls_server.https_url, verify=tls_server.ca_path)
    assert res["ok"], res
    assert res["response"]["Account"] == "000000000000"


def test_tls_same_ca_after_restart(factory):
    s = factory.start(["--tls-listen", "127.0.0.1:0"], tls=True)
    assert s.ca_path, s.stdout_text()
    with open(s.ca_path, "rb") as f:
        ca = f.read()
    s2 = factory.restart(s, tls=True)
    assert s2.ca_path and open(s2.ca_path, "rb").read() == ca
    sts = boto3_client(s2, "sts", url=s2.https_url, verify=s.ca_path)
    assert sts.get_caller_identity()["Account"] == "000000000000"


def test_tls_with_given_cert(factory, tmp_path):
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    s = factory.start(["--tls-listen", "127.0.0.1:0", "--tls-cert", str(cert),
                       "--tls-key", str(key)], tls=True)
    sts = boto3_client(s, "sts", url=s.https_url, verify=str(cert))
    assert sts.get_caller_identity()["Account"] == "000000000000"


def test_plain_http_to_tls_port_is_refused_cleanly(tls_server):
    with socket.create_connection(("127.0.0.1", tls_server.https_port), timeout=10) as s:
        s.sendall(b"GET /_overcast/health HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            data = s.recv(4096)
        except ConnectionResetError:
            data = b""
    assert b'"status"' not in data, data
    assert http_get(tls_server.url + "/_overcast/health")[0] == 200
