"""SigV4 authentication: wrong secret, unknown key, clock skew, tampering, presigned URLs,
--accept-any-key, session tokens."""
import datetime
import time
import urllib.parse

import botocore.exceptions
import pytest

from integ import (ACCOUNT, FORM, aws_ok, boto3_client, client_error_code, error_code, http_get,
                   http_request, run_aws, sign, signed_post, utcnow)

STS_BODY = "Action=GetCallerIdentity&Version=2011-06-15"
EC2_BODY = "Action=DescribeAvailabilityZones&Version=2016-11-15"


def sts_code(server, **kw):
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        boto3_client(server, "sts", **kw).get_caller_identity()
    return client_error_code(ei), ei.value.response["ResponseMetadata"]["HTTPStatusCode"]


def ec2_code(server, **kw):
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        boto3_client(server, "ec2", **kw).describe_availability_zones()
    return client_error_code(ei), ei.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_control_signed_requests_succeed(server):
    """The raw signer used below is correct: untouched requests pass."""
    status, _, body = signed_post(server, STS_BODY, "sts")
    assert status == 200 and ACCOUNT.encode() in body, body
    status, _, body = signed_post(server, EC2_BODY, "ec2")
    assert status == 200 and b"us-east-1a" in body, body


def test_wrong_secret_sts(server):
    assert sts_code(server, secret="not-the-secret") == ("SignatureDoesNotMatch", 403)


def test_wrong_secret_ec2(server):
    code, status = ec2_code(server, secret="not-the-secret")
    assert (code, status) == ("AuthFailure", 401), (code, status)


def test_unknown_key_sts(server):
    assert sts_code(server, key="AKIANOSUCHKEY0000000") == ("InvalidClientTokenId", 403)


def test_unknown_key_ec2(server):
    code, status = ec2_code(server, key="AKIANOSUCHKEY0000000")
    assert (code, status) == ("AuthFailure", 401), (code, status)


def test_wrong_secret_cli_v2(server):
    r = run_aws(server, "sts", "get-caller-identity", secret="wrong")
    assert r.rc != 0, repr(r)
    assert "SignatureDoesNotMatch" in r.stderr, repr(r)


@pytest.mark.parametrize("minutes", [-10, 10, -60 * 24, 60 * 24])
def test_skewed_clock_sts(server, minutes):
    when = utcnow() + datetime.timedelta(minutes=minutes)
    status, _, body = signed_post(server, STS_BODY, "sts", when=when)
    assert status in (400, 403), (status, body)
    assert error_code(body) == "RequestExpired", body


@pytest.mark.parametrize("minutes", [-10, 10])
def test_skewed_clock_ec2(server, minutes):
    when = utcnow() + datetime.timedelta(minutes=minutes)
    status, _, body = signed_post(server, EC2_BODY, "ec2", when=when)
    assert 400 <= status < 500, (status, body)
    assert error_code(body) in ("AuthFailure", "RequestExpired"), body


@pytest.mark.parametrize("minutes", [-3, 3])
def test_small_skew_accepted(server, minutes):
    when = utcnow() + datetime.timedelta(minutes=minutes)
    status, _, body = signed_post(server, STS_BODY, "sts", when=when)
    assert status == 200, body


def test_max_clock_skew_flag(factory):
    s = factory.start(["--max-clock-skew", "3600"])
    for minutes in (-30, 30):
        when = utcnow() + datetime.timedelta(minutes=minutes)
        status, _, body = signed_post(s, STS_BODY, "sts", when=when)
        assert status == 200, (minutes, body)
    when = utcnow() + datetime.timedelta(minutes=90)
    status, _, body = signed_post(s, STS_BODY, "sts", when=when)
    assert error_code(body) == "RequestExpired", body


@pytest.mark.parametrize("service,body,expected", [
    ("sts", "Action=GetCallerIdentity&Version=2011-06-15&Z=a", "SignatureDoesNotMatch"),
    ("ec2", "Action=DescribeAvailabilityZones&Version=2016-11-15&ZoneName.1=us-east-1a",
     "AuthFailure"),
])
def test_tampered_body(server, service, body, expected):
    data = body.encode()
    headers = sign(server, data, service)
    # Control: the same bytes are accepted.
    status, _, resp = http_request(server, "POST", "/", body=data, headers=headers)
    assert status == 200, resp
    tampered = data[:-1] + (b"b" if data[-1:] != b"b" else b"c")
    status, _, resp = http_request(server, "POST", "/", body=tampered, headers=headers)
    assert status in (401, 403), (status, resp)
    assert error_code(resp) == expected, resp


def test_tampered_signed_header(server):
    data = STS_BODY.encode()
    headers = sign(server, data, "sts", headers={"X-Amz-Meta-Thing": "one"})
    headers["X-Amz-Meta-Thing"] = "two"
    status, _, resp = http_request(server, "POST", "/", body=data, headers=headers)
    assert status == 403, resp
    assert error_code(resp) == "SignatureDoesNotMatch", resp


def test_malformed_authorization_header(server):
    data = STS_BODY.encode()
    headers = {"Content-Type": FORM, "X-Amz-Date": utcnow().strftime("%Y%m%dT%H%M%SZ"),
               "Authorization": "AWS4-HMAC-SHA256 Credential=garbage"}
    status, _, resp = http_request(server, "POST", "/", body=data, headers=headers)
    assert 400 <= status < 500, (status, resp)
    assert error_code(resp), resp


def test_presigned_url(server):
    sts = boto3_client(server, "sts")
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=300,
                                     HttpMethod="GET")
    assert "X-Amz-Signature=" in url, url
    status, _, body = http_get(url)
    assert status == 200, body
    assert ("<Account>%s</Account>" % ACCOUNT).encode() in body, body


def test_presigned_url_tampered_signature(server):
    sts = boto3_client(server, "sts")
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=300,
                                     HttpMethod="GET")
    parts = urllib.parse.urlsplit(url)
    q = urllib.parse.parse_qsl(parts.query)
    q = [(k, ("0" * 64 if k == "X-Amz-Signature" else v)) for k, v in q]
    bad = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(q)))
    status, _, body = http_get(bad)
    assert status == 403, body
    assert error_code(body) == "SignatureDoesNotMatch", body


def test_presigned_url_wrong_secret(server):
    sts = boto3_client(server, "sts", secret="wrong")
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=300,
                                     HttpMethod="GET")
    status, _, body = http_get(url)
    assert status == 403, body
    assert error_code(body) == "SignatureDoesNotMatch", body


def test_presigned_url_expired(server):
    sts = boto3_client(server, "sts")
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=1,
                                     HttpMethod="GET")
    time.sleep(2.5)
    status, _, body = http_get(url)
    assert 400 <= status < 500, (status, body)
    assert error_code(body), body
    assert ACCOUNT.encode() not in body, body


def test_session_token_accepted_and_ignored(server):
    ident = boto3_client(server, "sts", token="FwoGZXIvYXdzEXAMPLETOKEN").get_caller_identity()
    assert ident["Account"] == ACCOUNT, ident
    zones = boto3_client(server, "ec2", token="anything").describe_availability_zones()
    assert len(zones["AvailabilityZones"]) == 6, zones
    out = aws_ok(server, "sts", "get-caller-identity", token="cli-token")
    assert out["Account"] == ACCOUNT, out


def test_session_token_does_not_rescue_bad_secret(server):
    assert sts_code(server, secret="wrong", token="tok") == ("SignatureDoesNotMatch", 403)


@pytest.fixture(scope="module")
def any_key_server(module_factory):
    return module_factory.start(["--accept-any-key"])


def test_accept_any_key_selects_12_digit_account(any_key_server):
    for acct in ("123456789012", "210987654321"):
        ident = boto3_client(any_key_server, "sts", key=acct, secret="whatever").get_caller_identity()
        assert ident["Account"] == acct, ident
        assert ident["Arn"] == "arn:aws:iam::%s:root" % acct, ident
    zones = boto3_client(any_key_server, "ec2", key="123456789012",
                         secret="x").describe_availability_zones()
    assert len(zones["AvailabilityZones"]) == 6, zones


def test_accept_any_key_cli_v2(any_key_server):
    out = aws_ok(any_key_server, "sts", "get-caller-identity", key="444455556666", secret="s")
    assert out["Account"] == "444455556666", out


def test_accept_any_key_other_key_gets_default_account(any_key_server):
    ident = boto3_client(any_key_server, "sts", key="AKIARANDOMKEY", secret="x").get_caller_identity()
    assert ident["Account"] == ACCOUNT, ident


def test_accept_any_key_known_key_still_maps_to_its_account(any_key_server):
    ident = boto3_client(any_key_server, "sts").get_caller_identity()
    assert ident["Account"] == ACCOUNT, ident


def test_accept_any_key_with_default_account(factory):
    s = factory.start(["--accept-any-key", "--default-account", "111122223333"])
    ident = boto3_client(s, "sts", key="AKIARANDOMKEY", secret="x").get_caller_identity()
    assert ident["Account"] == "111122223333", ident
    ident = boto3_client(s, "sts", key="999988887777", secret="x").get_caller_identity()
    assert ident["Account"] == "999988887777", ident


def test_without_accept_any_key_12_digit_key_refused(server):
    assert sts_code(server, key="123456789012", secret="x") == ("InvalidClientTokenId", 403)


# ---- error bodies and other signing forms -----------------------------------------------------

def test_ec2_error_body_format(server):
    """EC2 errors: <Response><Errors><Error><Code>..</Code><Message>..</Message></Error></Errors>
    <RequestID>..</RequestID></Response> (capital ID), HTTP 401 for AuthFailure."""
    import re
    status, _, body = signed_post(server, EC2_BODY, "ec2", secret="wrong")
    text = body.decode()
    assert status == 401, text
    assert re.search(r"<Response>\s*<Errors>\s*<Error>\s*<Code>AuthFailure</Code>\s*<Message>[^<]+"
                     r"</Message>\s*</Error>\s*</Errors>\s*<RequestID>[^<]+</RequestID>\s*</Response>",
                     text), text


def test_sts_error_body_format(server):
    """Query-protocol errors: <ErrorResponse><Error><Type>Sender</Type><Code>..</Code>
    <Message>..</Message></Error><RequestId>..</RequestId></ErrorResponse>."""
    import re
    status, _, body = signed_post(server, STS_BODY, "sts", secret="wrong")
    text = body.decode()
    assert status == 403, text
    assert re.search(r"<ErrorResponse[^>]*>\s*<Error>", text), text
    assert "<Type>Sender</Type>" in text, text
    assert "<Code>SignatureDoesNotMatch</Code>" in text, text
    assert re.search(r"</Error>\s*<RequestId>[^<]+</RequestId>\s*</ErrorResponse>", text), text


def test_boto2_auth_errors(server):
    from boto.exception import EC2ResponseError
    from integ import boto2_ec2
    for kw in ({"secret": "wrong"}, {"key": "AKIANOSUCHKEY0000000"}):
        with pytest.raises(EC2ResponseError) as ei:
            boto2_ec2(server, **kw).get_all_zones()
        assert ei.value.status == 401, ei.value
        assert ei.value.error_code == "AuthFailure", ei.value.body


def test_signed_get_query_request(server):
    path = "/?Action=DescribeRegions&Version=2016-11-15&RegionName.1=eu-west-2"
    headers = sign(server, b"", "ec2", method="GET", path=path)
    status, _, body = http_request(server, "GET", path, headers=headers)
    assert status == 200, body
    assert b"<regionName>eu-west-2</regionName>" in body, body
    assert b"us-east-1" not in body, body


def test_presigned_ec2_url(server):
    ec2 = boto3_client(server, "ec2")
    url = ec2.generate_presigned_url("describe_availability_zones",
                                     Params={"ZoneNames": ["us-east-1c"]}, ExpiresIn=300,
                                     HttpMethod="GET")
    status, _, body = http_get(url)
    assert status == 200, body
    assert b"<zoneName>us-east-1c</zoneName>" in body, body
    assert b"us-east-1a" not in body, body


def test_presigned_url_with_session_token(server):
    sts = boto3_client(server, "sts", token="presign-token")
    url = sts.generate_presigned_url("get_caller_identity", Params={}, ExpiresIn=300,
                                     HttpMethod="GET")
    assert "X-Amz-Security-Token=" in url, url
    status, _, body = http_get(url)
    assert status == 200, body


def test_request_ids_unique(server):
    sts = boto3_client(server, "sts")
    ids = {sts.get_caller_identity()["ResponseMetadata"]["RequestId"] for _ in range(10)}
    assert len(ids) == 10, ids
