"""boto 2.49 (boto.sqs, query protocol; the queue named by its URL path, SigV4 service 'sqs')."""
import base64

import pytest

import integ
from sqs_clients import md5_body, qname, queue_url, sqs_pool, helper  # noqa: F401


def conn(server, region="us-east-1"):
    from boto.sqs.connection import SQSConnection
    from boto.sqs.regioninfo import SQSRegionInfo
    r = SQSRegionInfo(name=region, endpoint="127.0.0.1")
    return SQSConnection(integ.KEY, integ.SECRET, is_secure=False, port=server.port, region=r)


def test_boto2_queue_lifecycle(server):
    c = conn(server)
    name = qname("b2")
    q = c.create_queue(name, visibility_timeout=40)
    assert q.url == queue_url(server, name), q.url
    assert q.get_attributes()["VisibilityTimeout"] == "40"
    assert c.get_queue(name).url == q.url
    assert c.lookup(qname("missing")) is None
    assert q.url in [x.url for x in c.get_all_queues(prefix=name)]
    q.set_attribute("DelaySeconds", 0)
    q.set_attribute("VisibilityTimeout", 31)
    assert q.get_attributes("VisibilityTimeout")["VisibilityTimeout"] == "31"
    assert c.delete_queue(q)
    assert c.get_queue(name) is None


def test_boto2_messages(server, helper):
    from boto.sqs.message import Message, RawMessage
    c = conn(server)
    name = qname("b2m")
    q = c.create_queue(name)
    m = Message()
    m.set_body("encoded ✓")
    q.write(m)
    assert m.id  # (boto 2 keeps the send response's MD5OfMessageBody, not .md5)
    raw = RawMessage()
    raw.set_body("raw body")
    q.write(raw)
    assert q.count() == 2
    # boto 2 Message bodies are base64 text on the wire: a boto3 reader sees that text
    q.set_message_class(RawMessage)
    got = q.get_messages(num_messages=10, visibility_timeout=60, attributes="All")
    bodies = sorted(x.get_body() for x in got)
    assert bodies == sorted([base64.b64encode("encoded ✓".encode()).decode(), "raw body"]), bodies
    for x in got:
        assert x.md5 == md5_body(x.get_body()), (x.md5, x.get_body())
        assert x.attributes["ApproximateReceiveCount"] == "1"
        assert q.delete_message(x)
    assert q.count() == 0
    assert q.get_attributes("ApproximateNumberOfMessagesNotVisible")["ApproximateNumberOfMessagesNotVisible"] == "0"


def test_boto2_batch_and_attributes(server):
    from boto.sqs.message import RawMessage
    c = conn(server)
    q = c.create_queue(qname("b2b"))
    q.set_message_class(RawMessage)
    res = c.send_message_batch(q, [(str(i), "batch %d" % i, 0) for i in range(5)])
    assert len(res.results) == 5 and not res.errors, (res.results, res.errors)
    msgs = []
    for _ in range(10):
        msgs += q.get_messages(num_messages=10, visibility_timeout=60)
        if len(msgs) >= 5:
            break
    assert sorted(m.get_body() for m in msgs) == ["batch %d" % i for i in range(5)]
    dr = c.delete_message_batch(q, msgs)
    assert len(dr.results) == 5 and not dr.errors
    m = RawMessage()
    m.message_attributes = {"name": {"data_type": "String", "string_value": "value"}}
    m.set_body("attrs")
    q.write(m)
    got = c.receive_message(q, message_attributes=["All"], visibility_timeout=0)
    assert got[0].message_attributes["name"]["string_value"] == "value", got[0].message_attributes


def test_boto2_errors(server):
    from boto.exception import SQSError
    c = conn(server)
    q = c.create_queue(qname("b2e"))
    with pytest.raises(SQSError) as e:
        q.set_attribute("VisibilityTimeout", 99999)
    assert e.value.error_code == "InvalidAttributeValue", e.value.body
    with pytest.raises(SQSError) as e:
        c.delete_message_from_handle(q, "garbage")
    assert e.value.error_code == "ReceiptHandleIsInvalid", e.value.body
