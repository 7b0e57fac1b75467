"""SQS batch calls: SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch."""
import pytest

from sqs_clients import (SqsError, assert_error, md5_attributes, md5_body, qname,  # noqa: F401
                         sqs, sqs_pool, helper)


def test_send_message_batch(sqs):
    url = sqs.create_queue()
    entries = []
    for i in range(10):
        e = {"Id": "e-%d_x" % i, "MessageBody": "body %d ✓" % i}
        if i % 2:
            e["MessageAttributes"] = {"i": {"DataType": "Number", "StringValue": str(i)},
                                      "b": {"DataType": "Binary", "BinaryValue": bytes([i, 255])}}
        entries.append(e)
    r = sqs.call("SendMessageBatch", QueueUrl=url, Entries=entries)
    assert not r.get("Failed"), r
    ok = {s["Id"]: s for s in r["Successful"]}
    assert set(ok) == {e["Id"] for e in entries}
    for e in entries:
        s = ok[e["Id"]]
        assert s["MessageId"], s
        assert s["MD5OfMessageBody"] == md5_body(e["MessageBody"]), s
        if "MessageAttributes" in e:
            assert s["MD5OfMessageAttributes"] == md5_attributes(e["MessageAttributes"]), s
        else:
            assert not s.get("MD5OfMessageAttributes"), s
    got = sqs.drain(url, 10, MessageAttributeNames=["All"])
    assert sorted(m["Body"] for m in got) == sorted(e["MessageBody"] for e in entries)
    assert {m["MessageId"] for m in got} == {s["MessageId"] for s in ok.values()}
    for m in got:
        assert m["MD5OfBody"] == md5_body(m["Body"])
        if m.get("MessageAttributes"):
            assert m["MD5OfMessageAttributes"] == md5_attributes(m["MessageAttributes"])


def test_send_message_batch_delay_per_entry(sqs):
    url = sqs.create_queue()
    r = sqs.call("SendMessageBatch", QueueUrl=url, Entries=[
        {"Id": "now", "MessageBody": "now"},
        {"Id": "later", "MessageBody": "later", "DelaySeconds": 60}])
    assert len(r["Successful"]) == 2, r
    got = sqs.receive(url, MaxNumberOfMessages=10)
    assert [m["Body"] for m in got] == ["now"]
    assert sqs.attrs(url, ["ApproximateNumberOfMessagesDelayed"])[
        "ApproximateNumberOfMessagesDelayed"] == "1"


def test_batch_errors(sqs):
    url = sqs.create_queue()
    cases = [
        ([], "EmptyBatchRequest"),
        ([{"Id": "i%d" % i, "MessageBody": "x"} for i in range(11)], "TooManyEntriesInBatchRequest"),
        ([{"Id": "same", "MessageBody": "x"}, {"Id": "same", "MessageBody": "y"}],
         "BatchEntryIdsNotDistinct"),
        ([{"Id": "bad id!", "MessageBody": "x"}], "InvalidBatchEntryId"),
        ([{"Id": "i" * 81, "MessageBody": "x"}], "InvalidBatchEntryId"),
    ]
    for entries, code in cases:
        with pytest.raises(SqsError) as e:
            sqs.call("SendMessageBatch", QueueUrl=url, Entries=entries)
        assert_error(e, code, "AWS.SimpleQueueService." + code)
    # nothing was sent by the refused batches
    assert sqs.receive(url, MaxNumberOfMessages=10) == []
    for op in ("DeleteMessageBatch", "ChangeMessageVisibilityBatch"):
        with pytest.raises(SqsError) as e:
            sqs.call(op, QueueUrl=url, Entries=[])
        assert_error(e, "EmptyBatchRequest", "AWS.SimpleQueueService.EmptyBatchRequest")
        with pytest.raises(SqsError) as e:
            sqs.call(op, QueueUrl=url, Entries=[{"Id": "d", "ReceiptHandle": "x"}] * 2)
        assert_error(e, "BatchEntryIdsNotDistinct",
                     "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")


def test_batch_total_size(sqs):
    """Each entry within the limit but the batch over 1 MiB in total: BatchRequestTooLong."""
    url = sqs.create_queue()
    entries = [{"Id": "e%d" % i, "MessageBody": "z" * 200000} for i in range(6)]
    with pytest.raises(SqsError) as e:
        sqs.call("SendMessageBatch", QueueUrl=url, Entries=entries)
    assert_error(e, "BatchRequestTooLong", "AWS.SimpleQueueService.BatchRequestTooLong")


def test_send_batch_partial_failure(sqs):
    url = sqs.create_queue()
    r = sqs.call("SendMessageBatch", QueueUrl=url, Entries=[
        {"Id": "good", "MessageBody": "fine"},
        {"Id": "bad", "MessageBody": "bad\x01"},
        {"Id": "good2", "MessageBody": "fine too"}])
    assert sorted(s["Id"] for s in r["Successful"]) == ["good", "good2"], r
    assert len(r["Failed"]) == 1, r
    f = r["Failed"][0]
    assert f["Id"] == "bad" and f["SenderFault"] is True, f
    assert f["Code"] == "InvalidMessageContents", f
    assert f.get("Message"), f
    assert sorted(m["Body"] for m in sqs.drain(url, 2)) == ["fine", "fine too"]


def test_delete_message_batch(sqs):
    url = sqs.create_queue()
    sqs.call("SendMessageBatch", QueueUrl=url,
             Entries=[{"Id": str(i), "MessageBody": "m%d" % i} for i in range(4)])
    got = sqs.drain(url, 4, visibility=2)
    assert len(got) == 4
    entries = [{"Id": "d%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got[:3])]
    entries.append({"Id": "bogus", "ReceiptHandle": "not-a-handle"})
    r = sqs.call("DeleteMessageBatch", QueueUrl=url, Entries=entries)
    assert sorted(s["Id"] for s in r.get("Successful", [])) == ["d0", "d1", "d2"], r
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in r.get("Failed", [])] == [
        ("bogus", "ReceiptHandleIsInvalid", True)], r
    # only the undeleted one comes back after its visibility timeout
    back = sqs.drain(url, 1, wait=4)
    assert [m["MessageId"] for m in back] == [got[3]["MessageId"]], back


def test_change_message_visibility_batch(sqs):
    url = sqs.create_queue()
    for i in range(3):
        sqs.send(url, "v%d" % i)
    got = sqs.drain(url, 3, visibility=300)
    assert len(got) == 3
    r = sqs.call("ChangeMessageVisibilityBatch", QueueUrl=url, Entries=[
        {"Id": "a", "ReceiptHandle": got[0]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "b", "ReceiptHandle": got[1]["ReceiptHandle"], "VisibilityTimeout": 0},
        {"Id": "c", "ReceiptHandle": "garbage", "VisibilityTimeout": 0}])
    assert sorted(s["Id"] for s in r.get("Successful", [])) == ["a", "b"], r
    assert [(f["Id"], f["Code"]) for f in r.get("Failed", [])] == [("c", "ReceiptHandleIsInvalid")], r
    back = sqs.drain(url, 2, wait=2)
    assert sorted(m["MessageId"] for m in back) == sorted(m["MessageId"] for m in got[:2])
