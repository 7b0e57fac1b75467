"""SQS visibility: in-flight messages, receipt handles, DeleteMessage, ChangeMessageVisibility."""
import time

import pytest

from sqs_clients import (SqsError, assert_error, qname, sqs, sqs2, sqs_pool, helper,  # noqa: F401
                         wait_until)


def test_invisible_until_timeout_then_new_handle(sqs2):
    sqs = sqs2
    url = sqs.create_queue()
    sqs.send(url, "v")
    m1 = sqs.receive(url, VisibilityTimeout=1, AttributeNames=["All"])[0]
    assert m1["Attributes"]["ApproximateReceiveCount"] == "1"
    assert sqs.receive(url) == []
    a = sqs.attrs(url)
    assert (a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]) == ("0", "1"), a
    t0 = time.monotonic()
    got = wait_until(lambda: sqs.receive(url, AttributeNames=["All"], VisibilityTimeout=30), 4)
    assert got, "message did not come back after its 1 s visibility timeout"
    assert time.monotonic() - t0 > 0.5
    m2 = got[0]
    assert m2["MessageId"] == m1["MessageId"]
    assert m2["ReceiptHandle"] != m1["ReceiptHandle"]
    assert m2["Attributes"]["ApproximateReceiveCount"] == "2", m2
    assert m2["Attributes"]["ApproximateFirstReceiveTimestamp"] == m1["Attributes"][
        "ApproximateFirstReceiveTimestamp"]
    # the new handle deletes it
    sqs.call("DeleteMessage", QueueUrl=url, ReceiptHandle=m2["ReceiptHandle"])
    a = sqs.attrs(url)
    assert (a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0"), a


def test_queue_visibility_timeout(sqs2):
    sqs = sqs2
    url = sqs.create_queue(attributes={"VisibilityTimeout": 1})
    sqs.send(url, "qv")
    assert len(sqs.receive(url)) == 1
    assert sqs.receive(url) == []
    assert wait_until(lambda: sqs.receive(url, VisibilityTimeout=30), 4), "did not come back"


def test_delete_message(sqs):
    url = sqs.create_queue()
    sqs.send(url, "del")
    m = sqs.receive(url, VisibilityTimeout=1)[0]
    sqs.call("DeleteMessage", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    a = sqs.attrs(url)
    assert (a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]) == ("0", "0"), a
    time.sleep(1.2)
    assert sqs.receive(url) == []


def test_change_visibility_zero(sqs):
    url = sqs.create_queue()
    sqs.send(url, "cv")
    m = sqs.receive(url, VisibilityTimeout=300)[0]
    assert sqs.receive(url) == []
    sqs.call("ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
             VisibilityTimeout=0)
    again = sqs.receive(url, AttributeNames=["ApproximateReceiveCount"])
    assert [x["MessageId"] for x in again] == [m["MessageId"]]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"


def test_change_visibility_extends(sqs2):
    sqs = sqs2
    url = sqs.create_queue()
    sqs.send(url, "ext")
    m = sqs.receive(url, VisibilityTimeout=1)[0]
    sqs.call("ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
             VisibilityTimeout=60)
    time.sleep(1.5)
    assert sqs.receive(url) == []


def test_change_visibility_limits(sqs):
    url = sqs.create_queue()
    sqs.send(url, "lim")
    m = sqs.receive(url, VisibilityTimeout=60)[0]
    with pytest.raises(SqsError) as e:
        sqs.call("ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                 VisibilityTimeout=43201)
    assert_error(e, "InvalidParameterValue")
    # 43200 from now is more than 12 h from the first receive (a second or more ago)
    time.sleep(1.1)
    with pytest.raises(SqsError) as e:
        sqs.call("ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
                 VisibilityTimeout=43200)
    assert_error(e, "InvalidParameterValue")
    # a value within the remaining maximum is fine
    sqs.call("ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"],
             VisibilityTimeout=43000)
    with pytest.raises(SqsError) as e:
        sqs.receive(url, VisibilityTimeout=43201)
    assert_error(e, "InvalidParameterValue")


@pytest.mark.parametrize("handle", ["garbage", "", "x" * 2000, "AQEB" + "A" * 100])
def test_malformed_receipt_handle(sqs, handle):
    url = sqs.create_queue()
    sqs.send(url, "rh")
    with pytest.raises(SqsError) as e:
        sqs.call("DeleteMessage", QueueUrl=url, ReceiptHandle=handle)
    assert_error(e, "ReceiptHandleIsInvalid", status=None)
    with pytest.raises(SqsError) as e:
        sqs.call("ChangeMessageVisibility", QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    assert_error(e, "ReceiptHandleIsInvalid", status=None)
    # the message is untouched
    assert len(sqs.receive(url)) == 1


def test_receipt_handle_of_other_queue(sqs):
    a, b = sqs.create_queue(), sqs.create_queue()
    sqs.send(a, "a")
    m = sqs.receive(a, VisibilityTimeout=60)[0]
    with pytest.raises(SqsError) as e:
        sqs.call("DeleteMessage", QueueUrl=b, ReceiptHandle=m["ReceiptHandle"])
    assert_error(e, "ReceiptHandleIsInvalid", status=None)
    assert sqs.attrs(a, ["ApproximateNumberOfMessagesNotVisible"])[
        "ApproximateNumberOfMessagesNotVisible"] == "1"


def test_delete_twice_is_ok(sqs):
    url = sqs.create_queue()
    sqs.send(url, "twice")
    m = sqs.receive(url)[0]
    sqs.call("DeleteMessage", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    sqs.call("DeleteMessage", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
