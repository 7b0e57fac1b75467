"""STS GetCallerIdentity through every client: the root identity of the default account."""
import re

import pytest

from integ import (ACCOUNT, aws_ok, boto3_143, boto3_client, error_code, http_request,
                   require_aws_v1, signed_post)

ROOT_ARN = "arn:aws:iam::%s:root" % ACCOUNT


def check_identity(ident):
    assert ident["Account"] == ACCOUNT, ident
    assert ident["Arn"] == ROOT_ARN, ident
    assert ident["UserId"] == ACCOUNT, ident


def test_boto3_get_caller_identity(server):
    resp = boto3_client(server, "sts").get_caller_identity()
    check_identity(resp)
    assert resp["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert resp["ResponseMetadata"]["RequestId"], resp["ResponseMetadata"]


@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-2"])
def test_boto3_get_caller_identity_other_regions(server, region):
    check_identity(boto3_client(server, "sts", region=region).get_caller_identity())


def test_boto3_143_get_caller_identity(server):
    [res] = boto3_143(server, [("get_caller_identity", {})], "sts")
    assert res["ok"], res
    check_identity(res["response"])


def test_cli_v2_get_caller_identity(server):
    check_identity(aws_ok(server, "sts", "get-caller-identity"))


def test_cli_v1_get_caller_identity(server):
    cli = require_aws_v1()
    check_identity(aws_ok(server, "sts", "get-caller-identity", cli=cli))


def test_raw_query_response_xml(server):
    """The STS query protocol XML: result wrapper, namespace, ResponseMetadata/RequestId."""
    status, headers, body = signed_post(server, "Action=GetCallerIdentity&Version=2011-06-15",
                                        "sts")
    text = body.decode()
    assert status == 200, text
    assert "<GetCallerIdentityResponse" in text, text
    assert 'xmlns="https://sts.amazonaws.com/doc/2011-06-15/"' in text, text
    assert "<GetCallerIdentityResult>" in text, text
    assert "<Account>%s</Account>" % ACCOUNT in text, text
    assert re.search(r"<ResponseMetadata>\s*<RequestId>[^<]+</RequestId>", text), text
    assert headers.get("Content-Type", headers.get("content-type", "")).startswith("text/xml"), headers


def test_unknown_sts_action(server):
    status, _, body = signed_post(server, "Action=NoSuchThing&Version=2011-06-15", "sts")
    assert status == 400, body
    assert error_code(body) == "InvalidAction", body


def test_unsigned_request_refused(server):
    status, _, body = http_request(server, "POST", "/",
                                   body=b"Action=GetCallerIdentity&Version=2011-06-15",
                                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status in (400, 403), (status, body)
    assert error_code(body), body
    assert ACCOUNT not in body.decode("utf-8", "replace"), body
