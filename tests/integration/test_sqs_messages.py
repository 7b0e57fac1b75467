"""SQS messages: send/receive, MD5s, attributes, delays, content rules — on query and JSON."""
import time

import pytest

from sqs_clients import (SqsError, assert_error, md5_attributes, md5_body, qname, queue_url,  # noqa: F401
                         sqs, sqs2, sqs_pool, helper, wait_until)

ATTRS = {
    "str": {"DataType": "String", "StringValue": "héllo wörld ✓"},
    "num": {"DataType": "Number", "StringValue": "-12.5e3"},
    "bin": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xffbinary\x80"},
    "custom": {"DataType": "Number.float", "StringValue": "4563442423554324324264524243.32543234"},
    "str.tagged": {"DataType": "String.json", "StringValue": "{\"a\": 1}"},
}


def test_md5_helper_vectors():
    """The test's own MD5 algorithm against the published vectors (aws-reference §A6)."""
    a = {"attribName1": {"DataType": "String", "StringValue": "attribValue 1"}}
    b = {"customNumberTypeAttrib": {"DataType": "Number.float",
                                    "StringValue": "4563442423554324324264524243.32543234"}}
    c = {"binaryAttribute": {"DataType": "Binary", "BinaryValue": b"Hello binary world!"}}
    assert md5_attributes(a) == "19e27d4e946b072f3f58da80d94fd778"
    assert md5_attributes(b) == "9fe1b90bbd9965bdf77bac517c7d2495"
    assert md5_attributes(c) == "31a92b15d92f8db860eda32aceb656c3"
    assert md5_attributes({**a, **b, **c}) == "c932db14a896c663f83c260297d594ff"
    assert md5_body("hello world") == "5eb63bbbe01eeed093cb22bb8f5acdc3"


@pytest.mark.parametrize("body", ["hello world", "ünïcödé ✓ \U0001F600 tab\tnl\ncr\r end",
                                  "<xml>&amp; \"quotes\" 'and' %20+</xml>", "x" * 5000])
def test_send_receive_roundtrip(sqs, body):
    url = sqs.create_queue()
    r = sqs.send(url, body)
    assert r["MD5OfMessageBody"] == md5_body(body), r
    assert r["MessageId"] and len(r["MessageId"]) <= 100, r
    assert "MD5OfMessageAttributes" not in r or not r["MD5OfMessageAttributes"], r
    msgs = sqs.receive(url, MaxNumberOfMessages=10)
    assert len(msgs) == 1, msgs
    m = msgs[0]
    assert m["Body"] == body
    assert m["MessageId"] == r["MessageId"]
    assert m["MD5OfBody"] == md5_body(body)
    assert m["ReceiptHandle"] and len(m["ReceiptHandle"]) <= 1024, m
    assert not m.get("MessageAttributes"), m


def test_message_attributes_roundtrip(sqs):
    url = sqs.create_queue()
    r = sqs.send(url, "with attributes", MessageAttributes=ATTRS)
    assert r["MD5OfMessageBody"] == md5_body("with attributes")
    assert r["MD5OfMessageAttributes"] == md5_attributes(ATTRS), r
    m = sqs.receive(url, MessageAttributeNames=["All"])[0]
    assert m["MD5OfMessageAttributes"] == md5_attributes(ATTRS), m
    got = m["MessageAttributes"]
    assert set(got) == set(ATTRS), got
    for k, v in ATTRS.items():
        assert got[k]["DataType"] == v["DataType"], (k, got[k])
        if "BinaryValue" in v:
            assert got[k]["BinaryValue"] == v["BinaryValue"], (k, got[k])
        else:
            assert got[k]["StringValue"] == v["StringValue"], (k, got[k])


def test_message_attributes_not_returned_unless_asked(sqs):
    url = sqs.create_queue()
    sqs.send(url, "b", MessageAttributes=ATTRS)
    m = sqs.receive(url)[0]
    assert not m.get("MessageAttributes"), m


def test_message_attribute_name_filters(sqs):
    url = sqs.create_queue()
    attrs = {"foo.a": {"DataType": "String", "StringValue": "1"},
             "foo.b": {"DataType": "Number", "StringValue": "2"},
             "bar": {"DataType": "String", "StringValue": "3"},
             "foox": {"DataType": "String", "StringValue": "4"}}
    sqs.send(url, "filters", MessageAttributes=attrs)
    m = sqs.receive(url, MessageAttributeNames=["foo.*"], VisibilityTimeout=0)[0]
    assert set(m.get("MessageAttributes", {})) == {"foo.a", "foo.b"}, m
    # the MD5 covers the attributes returned (what verifying SDKs recompute)
    assert m["MD5OfMessageAttributes"] == md5_attributes(
        {k: attrs[k] for k in ("foo.a", "foo.b")}), m
    m = sqs.receive(url, MessageAttributeNames=["bar"], VisibilityTimeout=0)[0]
    assert set(m.get("MessageAttributes", {})) == {"bar"}, m
    m = sqs.receive(url, MessageAttributeNames=["bar", "foox"], VisibilityTimeout=0)[0]
    assert set(m.get("MessageAttributes", {})) == {"bar", "foox"}, m
    m = sqs.receive(url, MessageAttributeNames=[".*"], VisibilityTimeout=0)[0]
    assert set(m.get("MessageAttributes", {})) == set(attrs), m


def test_system_attributes(sqs):
    url = sqs.create_queue()
    before = int(time.time() * 1000) - 2000
    sqs.send(url, "sys")
    m = sqs.receive(url, AttributeNames=["All"], VisibilityTimeout=0)[0]
    a = m["Attributes"]
    now = int(time.time() * 1000) + 2000
    assert before <= int(a["SentTimestamp"]) <= now, a
    assert before <= int(a["ApproximateFirstReceiveTimestamp"]) <= now, a
    assert int(a["SentTimestamp"]) <= int(a["ApproximateFirstReceiveTimestamp"]), a
    assert a["ApproximateReceiveCount"] == "1", a
    assert a["SenderId"], a
    first = a["ApproximateFirstReceiveTimestamp"]
    m = sqs.receive(url, AttributeNames=["ApproximateReceiveCount", "SentTimestamp"],
                    VisibilityTimeout=0)[0]
    assert set(m["Attributes"]) == {"ApproximateReceiveCount", "SentTimestamp"}, m
    assert m["Attributes"]["ApproximateReceiveCount"] == "2", m
    m = sqs.receive(url, AttributeNames=["ApproximateFirstReceiveTimestamp"])[0]
    assert m["Attributes"] == {"ApproximateFirstReceiveTimestamp": first}, m
    m2 = sqs.receive(url)
    assert m2 == [], m2


def test_message_system_attribute_names(server, sqs_pool):
    """The newer request member (MessageSystemAttributeNames); boto3 1.26 predates it."""
    js = sqs_pool.get("json", server)
    url = js.create_queue()
    js.send(url, "sys2")
    m = js.receive(url, MessageSystemAttributeNames=["All"])[0]
    assert {"SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp",
            "SenderId"} <= set(m["Attributes"]), m
    assert m["Attributes"]["ApproximateReceiveCount"] == "1"


TRACE = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"


def test_aws_trace_header(sqs):
    """AWSTraceHeader: sent as a message system attribute, its digest answered, and returned by
    ReceiveMessage when asked for by name or with All."""
    url = sqs.create_queue()
    system = {"AWSTraceHeader": {"DataType": "String", "StringValue": TRACE}}
    sent = sqs.send(url, "traced", MessageSystemAttributes=system)
    assert sent["MD5OfMessageSystemAttributes"] == md5_attributes(system), sent
    sqs.send(url, "untraced")
    got = {m["Body"]: m for m in sqs.drain(url, 2, visibility=0, AttributeNames=["All"])}
    assert got["traced"]["Attributes"]["AWSTraceHeader"] == TRACE, got
    assert "AWSTraceHeader" not in got["untraced"]["Attributes"], got
    got = {m["Body"]: m for m in sqs.drain(url, 2, visibility=0, AttributeNames=["SenderId"])}
    assert set(got["traced"]["Attributes"]) == {"SenderId"}, got
    got = {m["Body"]: m for m in sqs.drain(url, 2, visibility=0, AttributeNames=["AWSTraceHeader"])}
    assert got["traced"]["Attributes"] == {"AWSTraceHeader": TRACE}, got
    assert not got["untraced"].get("Attributes"), got


def test_aws_trace_header_must_be_a_string(sqs):
    url = sqs.create_queue()
    with pytest.raises(SqsError) as e:
        sqs.send(url, "x", MessageSystemAttributes={"AWSTraceHeader": {"DataType": "Number", "StringValue": "1"}})
    assert_error(e.value, "InvalidParameterValue")


def test_receive_max_number(sqs):
    url = sqs.create_queue()
    for i in range(15):
        sqs.send(url, "m%d" % i)
    got = []
    for _ in range(20):
        batch = sqs.receive(url, MaxNumberOfMessages=10, VisibilityTimeout=60)
        assert len(batch) <= 10
        got += batch
        if len(got) >= 15:
            break
    assert sorted(m["Body"] for m in got) == sorted("m%d" % i for i in range(15))
    assert len({m["MessageId"] for m in got}) == 15
    url2 = sqs.create_queue()
    for i in range(3):
        sqs.send(url2, "n%d" % i)
    assert len(sqs.receive(url2, MaxNumberOfMessages=1)) == 1


@pytest.mark.parametrize("n", [0, 11])
def test_receive_max_number_out_of_range(sqs, n):
    url = sqs.create_queue()
    with pytest.raises(SqsError) as e:
        sqs.receive(url, MaxNumberOfMessages=n)
    assert_error(e, "InvalidParameterValue")


def test_message_delay(sqs2):
    sqs = sqs2
    url = sqs.create_queue()
    sqs.send(url, "later", DelaySeconds=1)
    sqs.send(url, "now")
    got = sqs.receive(url, MaxNumberOfMessages=10, VisibilityTimeout=60)
    assert [m["Body"] for m in got] == ["now"], got
    assert sqs.attrs(url, ["ApproximateNumberOfMessagesDelayed"]) == {
        "ApproximateNumberOfMessagesDelayed": "1"}
    time.sleep(1.2)
    got = wait_until(lambda: sqs.receive(url, MaxNumberOfMessages=10), timeout=2)
    assert [m["Body"] for m in got] == ["later"], got


def test_queue_delay(sqs2):
    sqs = sqs2
    url = sqs.create_queue(attributes={"DelaySeconds": 1})
    sqs.send(url, "q-delayed")
    assert sqs.receive(url) == []
    sqs.send(url, "override", DelaySeconds=0)  # per-message 0 overrides the queue's delay
    assert [m["Body"] for m in sqs.receive(url, VisibilityTimeout=60)] == ["override"]
    time.sleep(1.2)
    got = wait_until(lambda: sqs.receive(url), timeout=2)
    assert [m["Body"] for m in got] == ["q-delayed"], got


def test_delay_out_of_range(sqs):
    url = sqs.create_queue()
    with pytest.raises(SqsError) as e:
        sqs.send(url, "x", DelaySeconds=901)
    assert_error(e, "InvalidParameterValue")


@pytest.mark.parametrize("body", ["bad\x01char", "nul\x00", "\x1f", "\ufffe"])
def test_invalid_message_contents(sqs, body):
    url = sqs.create_queue()
    with pytest.raises(SqsError) as e:
        sqs.send(url, body)
    assert_error(e, "InvalidMessageContents")
    assert sqs.receive(url) == []


def test_message_size_limit(sqs2):
    sqs = sqs2
    url = sqs.create_queue(attributes={"MaximumMessageSize": 1024})
    sqs.send(url, "a" * 1024)
    with pytest.raises(SqsError) as e:
        sqs.send(url, "a" * 1025)
    assert_error(e, "InvalidParameterValue")
    # default maximum: 1 MiB
    big = sqs.create_queue()
    body = "b" * 1048576
    r = sqs.send(big, body)
    assert r["MD5OfMessageBody"] == md5_body(body)
    m = sqs.receive(big)[0]
    assert len(m["Body"]) == 1048576 and m["MD5OfBody"] == md5_body(body)
    with pytest.raises(SqsError) as e:
        sqs.send(big, "b" * 1048577)
    assert_error(e, "InvalidParameterValue")


@pytest.mark.parametrize("attrs", [
    {"AWS.reserved": {"DataType": "String", "StringValue": "x"}},
    {"bad name": {"DataType": "String", "StringValue": "x"}},
    {"n": {"DataType": "Number", "StringValue": "not-a-number"}},
    {"t": {"DataType": "Bogus", "StringValue": "x"}},
    {"e": {"DataType": "String", "StringValue": ""}},
    {"a%d" % i: {"DataType": "String", "StringValue": "v"} for i in range(11)},
])
def test_invalid_message_attributes(sqs, attrs):
    url = sqs.create_queue()
    with pytest.raises(SqsError) as e:
        sqs.send(url, "x", MessageAttributes=attrs)
    assert_error(e, "InvalidParameterValue")


def test_send_to_unknown_queue(sqs, server):
    with pytest.raises(SqsError) as e:
        sqs.send(queue_url(server, qname("nope")), "x")
    assert_error(e, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")
    with pytest.raises(SqsError) as e:
        sqs.receive(queue_url(server, qname("nope")))
    assert_error(e, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")


def test_cross_protocol(server, sqs_pool):
    """A message sent over one protocol is received over the other with the same attributes."""
    q, js = sqs_pool.get("query", server), sqs_pool.get("json", server)
    url = q.create_queue()
    q.send(url, "from query", MessageAttributes=ATTRS)
    m = js.receive(url, MessageAttributeNames=["All"])[0]
    assert m["Body"] == "from query" and m["MD5OfMessageAttributes"] == md5_attributes(ATTRS)
    assert m["MessageAttributes"]["bin"]["BinaryValue"] == ATTRS["bin"]["BinaryValue"]
    js.send(url, "from json", MessageAttributes=ATTRS)
    m = q.receive(url, MessageAttributeNames=["All"])[0]
    assert m["Body"] == "from json" and m["MD5OfMessageAttributes"] == md5_attributes(ATTRS)
    assert m["MessageAttributes"]["bin"]["BinaryValue"] == ATTRS["bin"]["BinaryValue"]
