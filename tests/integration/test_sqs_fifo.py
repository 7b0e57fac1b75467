"""SQS FIFO queues: per-group ordering, group held while in flight, deduplication, SequenceNumber."""
import time

import pytest

from sqs_clients import (SqsError, assert_error, qname, queue_arn, sqs2, sqs_pool, helper)  # noqa: F401



def fifo(sqs, cbd=False):
    attrs = {"FifoQueue": "true"}
    if cbd:
        attrs["ContentBasedDeduplication"] = "true"
    return sqs.create_queue(qname("f") + ".fifo", attrs)


def test_fifo_create_and_attributes(sqs2):
    name = qname("fa") + ".fifo"
    url = sqs2.create_queue(name, {"FifoQueue": "true"})
    a = sqs2.attrs(url)
    assert a["FifoQueue"] == "true" and a["ContentBasedDeduplication"] == "false", a
    assert a["QueueArn"] == queue_arn(name)
    with pytest.raises(SqsError) as e:
        sqs2.create_queue(qname("nofifo"), {"FifoQueue": "true"})
    assert_error(e, "InvalidParameterValue")


def test_fifo_order_and_sequence_numbers(sqs2):
    url = fifo(sqs2)
    seqs = []
    for i in range(6):
        r = sqs2.send(url, "m%d" % i, MessageGroupId="g", MessageDeduplicationId="d%d" % i)
        assert r["SequenceNumber"].isdigit(), r
        seqs.append(int(r["SequenceNumber"]))
    assert seqs == sorted(seqs) and len(set(seqs)) == 6
    got = sqs2.receive(url, MaxNumberOfMessages=10, AttributeNames=["All"])
    assert [m["Body"] for m in got] == ["m%d" % i for i in range(6)], got
    a = got[0]["Attributes"]
    assert a["MessageGroupId"] == "g" and a["MessageDeduplicationId"] == "d0", a
    assert int(a["SequenceNumber"]) == seqs[0]


def test_fifo_group_held_while_in_flight(sqs2):
    url = fifo(sqs2)
    for i in range(3):
        sqs2.send(url, "a%d" % i, MessageGroupId="A", MessageDeduplicationId="a%d" % i)
    sqs2.send(url, "b0", MessageGroupId="B", MessageDeduplicationId="b0")
    first = sqs2.receive(url, MaxNumberOfMessages=1, VisibilityTimeout=30)
    assert [m["Body"] for m in first] == ["a0"]
    # group A is blocked while a0 is in flight; B is still available
    nxt = sqs2.receive(url, MaxNumberOfMessages=10, VisibilityTimeout=30)
    assert [m["Body"] for m in nxt] == ["b0"], nxt
    assert sqs2.receive(url, MaxNumberOfMessages=10) == []
    sqs2.call("DeleteMessage", QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])
    rest = sqs2.receive(url, MaxNumberOfMessages=10)
    assert [m["Body"] for m in rest] == ["a1", "a2"], rest


def test_fifo_dedup_by_id_and_content(sqs2):
    url = fifo(sqs2)
    r1 = sqs2.send(url, "x", MessageGroupId="g", MessageDeduplicationId="same")
    r2 = sqs2.send(url, "y", MessageGroupId="g", MessageDeduplicationId="same")
    assert r1["MessageId"] == r2["MessageId"], (r1, r2)
    got = sqs2.receive(url, MaxNumberOfMessages=10)
    assert [m["Body"] for m in got] == ["x"]
    # tracked even after delete (5 minutes)
    sqs2.call("DeleteMessage", QueueUrl=url, ReceiptHandle=got[0]["ReceiptHandle"])
    sqs2.send(url, "z", MessageGroupId="g", MessageDeduplicationId="same")
    assert sqs2.receive(url) == []
    cbd = fifo(sqs2, cbd=True)
    sqs2.send(cbd, "body", MessageGroupId="g")
    sqs2.send(cbd, "body", MessageGroupId="g")
    sqs2.send(cbd, "other", MessageGroupId="g")
    got = sqs2.receive(cbd, MaxNumberOfMessages=10)
    assert [m["Body"] for m in got] == ["body", "other"], got


def test_fifo_send_rules(sqs2):
    url = fifo(sqs2)
    with pytest.raises(SqsError) as e:
        sqs2.send(url, "no group", MessageDeduplicationId="d")
    assert_error(e, "MissingParameter")
    with pytest.raises(SqsError) as e:
        sqs2.send(url, "no dedup", MessageGroupId="g")
    assert_error(e, "InvalidParameterValue")
    with pytest.raises(SqsError) as e:
        sqs2.send(url, "delay", MessageGroupId="g", MessageDeduplicationId="d", DelaySeconds=5)
    assert_error(e, "InvalidParameterValue")
    r = sqs2.call("SendMessageBatch", QueueUrl=url, Entries=[
        {"Id": str(i), "MessageBody": "b%d" % i, "MessageGroupId": "g",
         "MessageDeduplicationId": "bd%d" % i} for i in range(3)])
    assert len(r["Successful"]) == 3 and all(s["SequenceNumber"] for s in r["Successful"]), r
