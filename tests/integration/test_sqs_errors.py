"""SQS errors on the wire: JSON (__type + x-amzn-query-error) and query (XML ErrorResponse)."""
import json
import re

import pytest

import integ
from sqs_clients import (SqsError, assert_error, md5_body, qname, queue_url, sqs, sqs_pool,  # noqa: F401
                         helper)

JSON_CT = "application/x-amz-json-1.0"


def json_call(server, target, body, **kw):
    data = json.dumps(body).encode()
    headers = {"Content-Type": JSON_CT, "X-Amz-Target": "AmazonSQS." + target,
               "x-amzn-query-mode": "true"}
    return integ.signed_post(server, data, "sqs", headers=headers, **kw)


def hdr(headers, name):
    for k, v in headers.items():
        if k.lower() == name.lower():
            return v
    return None


def test_json_error_wire_format(server):
    status, headers, body = json_call(server, "GetQueueUrl", {"QueueName": qname("nope")})
    assert status == 400, (status, headers, body)
    assert hdr(headers, "x-amzn-query-error") == "AWS.SimpleQueueService.NonExistentQueue;Sender", headers
    assert hdr(headers, "Content-Type").startswith(JSON_CT), headers
    assert hdr(headers, "x-amzn-RequestId"), headers
    doc = json.loads(body)
    assert doc["__type"].split("#")[-1] == "QueueDoesNotExist", doc
    msg = doc.get("message") or doc.get("Message")
    assert msg == "The specified queue does not exist.", doc


def test_json_success_wire_format(server):
    name = qname()
    status, headers, body = json_call(server, "CreateQueue", {"QueueName": name})
    assert status == 200, (status, body)
    assert hdr(headers, "Content-Type").startswith(JSON_CT), headers
    assert hdr(headers, "x-amzn-RequestId"), headers
    assert json.loads(body) == {"QueueUrl": queue_url(server, name)}
    status, headers, body = json_call(server, "GetQueueUrl", {"QueueName": name})
    assert status == 200 and json.loads(body) == {"QueueUrl": queue_url(server, name)}, body


@pytest.mark.parametrize("target,body,type_,legacy", [
    ("CreateQueue", {"QueueName": "bad name"}, "InvalidParameterValue", "InvalidParameterValue"),
    ("SendMessageBatch", {"QueueUrl": "Q", "Entries": []}, "EmptyBatchRequest",
     "AWS.SimpleQueueService.EmptyBatchRequest"),
    ("DeleteMessage", {"QueueUrl": "Q", "ReceiptHandle": "junk"}, "ReceiptHandleIsInvalid",
     "ReceiptHandleIsInvalid"),
    ("GetQueueAttributes", {"QueueUrl": "Q", "AttributeNames": ["Nope"]}, "InvalidAttributeName",
     "InvalidAttributeName"),
])
def test_json_error_headers(server, helper, target, body, type_, legacy):
    url = helper.create_queue()
    body = {k: (url if v == "Q" else v) for k, v in body.items()}
    status, headers, raw = json_call(server, target, body)
    assert 400 <= status < 500, (status, raw)
    q = hdr(headers, "x-amzn-query-error")
    assert q and q.split(";") == [legacy, "Sender"], (headers, raw)
    assert json.loads(raw)["__type"].split("#")[-1] == type_, raw


def test_query_error_wire_format(server):
    body = "Action=GetQueueUrl&Version=2012-11-05&QueueName=" + qname("nope")
    status, headers, raw = integ.signed_post(server, body, "sqs")
    assert status == 400, (status, raw)
    text = raw.decode()
    assert "<ErrorResponse" in text, text
    assert re.search(r"<Code>AWS\.SimpleQueueService\.NonExistentQueue</Code>", text), text
    assert re.search(r"<Type>Sender</Type>", text), text
    assert "<Message>The specified queue does not exist.</Message>" in text, text
    assert re.search(r"<RequestId>[^<]+</RequestId>", text), text
    assert "xml" in (hdr(headers, "Content-Type") or ""), headers


def test_query_success_wire_format(server):
    name = qname()
    body = "Action=CreateQueue&Version=2012-11-05&QueueName=" + name
    status, headers, raw = integ.signed_post(server, body, "sqs")
    assert status == 200, raw
    text = raw.decode()
    assert "<CreateQueueResponse" in text and "<CreateQueueResult>" in text, text
    assert "<QueueUrl>%s</QueueUrl>" % queue_url(server, name) in text, text
    assert re.search(r"<ResponseMetadata><RequestId>[^<]+</RequestId></ResponseMetadata>",
                     re.sub(r"\s+", "", text)), text


def test_query_queue_url_in_path(server, helper):
    """Query requests may name the queue by POSTing to its URL path (boto 2 does)."""
    name = qname()
    helper.create_queue(name)
    body = "Action=SendMessage&Version=2012-11-05&MessageBody=via-path"
    status, _, raw = integ.signed_post(server, body, "sqs", path="/%s/%s" % (integ.ACCOUNT, name))
    assert status == 200, raw
    assert b"<MessageId>" in raw and b"<MD5OfMessageBody>" in raw, raw


def test_modeled_exceptions_boto3_143(server, helper):
    """boto3 1.43 (JSON) maps the error to the modeled class and keeps the legacy code."""
    res = integ.boto3_143(server, [("get_queue_url", {"QueueName": qname("nope")})], "sqs")
    err = res[0]["error"]
    assert err["Code"] == "AWS.SimpleQueueService.NonExistentQueue", res
    assert err.get("QueryErrorCode") == "QueueDoesNotExist", res
    assert err["Type"] == "Sender", res


def test_js_sdk_error_fields(server, sqs_pool):
    js = sqs_pool.get("json", server)
    with pytest.raises(SqsError) as e:
        js.call("GetQueueUrl", QueueName=qname("nope"))
    r = e.value.raw
    assert r["error"] == "QueueDoesNotExist" and r["code"] == "AWS.SimpleQueueService.NonExistentQueue", r
    assert r["type"] == "Sender" and r["fault"] == "client" and r["status"] == 400, r


def test_cli_v2_query(server):
    name = qname("cli")
    url = integ.aws_ok(server, "sqs", "create-queue", "--queue-name", name)["QueueUrl"]
    assert url == queue_url(server, name)
    out = integ.aws_ok(server, "sqs", "send-message", "--queue-url", url, "--message-body", "hi cli")
    assert out["MD5OfMessageBody"] == md5_body("hi cli") and out["MessageId"], out
    got = integ.aws_ok(server, "sqs", "receive-message", "--queue-url", url,
                       "--attribute-names", "All")
    assert got["Messages"][0]["Body"] == "hi cli"
    assert name in " ".join(integ.aws_ok(server, "sqs", "list-queues")["QueueUrls"])
    r = integ.run_aws(server, "sqs", "get-queue-url", "--queue-name", qname("nope"))
    assert r.rc != 0 and "AWS.SimpleQueueService.NonExistentQueue" in r.stderr, repr(r)


def test_cli_v1_json(server):
    cli = integ.require_aws_v1()
    name = qname("cli1")
    url = integ.aws_ok(server, "sqs", "create-queue", "--queue-name", name, cli=cli)["QueueUrl"]
    assert url == queue_url(server, name)
    integ.aws_ok(server, "sqs", "send-message", "--queue-url", url, "--message-body", "hi v1", cli=cli)
    got = integ.aws_ok(server, "sqs", "receive-message", "--queue-url", url, cli=cli)
    assert got["Messages"][0]["Body"] == "hi v1"
    r = integ.run_aws(server, "sqs", "get-queue-url", "--queue-name", qname("nope"), cli=cli)
    assert r.rc != 0 and ("AWS.SimpleQueueService.NonExistentQueue" in r.stderr
                          or "QueueDoesNotExist" in r.stderr), repr(r)


def test_unsigned_request_refused(server):
    status, _, raw = integ.http_request(server, "POST", "/", body=json.dumps({}).encode(), headers={
        "Content-Type": JSON_CT, "X-Amz-Target": "AmazonSQS.ListQueues"})
    assert status in (400, 403), (status, raw)
