"""SQS dead-letter queues: RedrivePolicy, RedriveAllowPolicy, message move tasks, DLQ sources."""
import json
import time

import pytest

from sqs_clients import (SqsError, assert_error, qname, queue_arn, sqs2, sqs_pool, helper,  # noqa: F401
                         wait_until)



def dlq_pair(sqs, max_receive=2):
    dname = qname("dlq")
    dlq = sqs.create_queue(dname)
    src = sqs.create_queue(qname("src"), {"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": queue_arn(dname), "maxReceiveCount": max_receive})})
    return src, dlq, dname


def test_redrive_to_dlq_after_max_receives(sqs2):
    src, dlq, dname = dlq_pair(sqs2, 2)
    sqs2.send(src, "poison")
    for _ in range(2):
        assert len(sqs2.receive(src, VisibilityTimeout=0)) == 1
    assert sqs2.receive(src, VisibilityTimeout=0) == []
    got = sqs2.receive(dlq, AttributeNames=["All"])
    assert [m["Body"] for m in got] == ["poison"], got
    a = got[0]["Attributes"]
    assert a.get("DeadLetterQueueSourceArn", "").endswith(":" + src.rsplit("/", 1)[1]), a
    rp = json.loads(sqs2.attrs(src, ["RedrivePolicy"])["RedrivePolicy"])
    assert rp == {"deadLetterTargetArn": queue_arn(dname), "maxReceiveCount": 2}, rp


def test_list_dead_letter_source_queues(sqs2):
    src, dlq, _ = dlq_pair(sqs2)
    r = sqs2.call("ListDeadLetterSourceQueues", QueueUrl=dlq)
    assert r["queueUrls"] == [src], r


def test_redrive_allow_policy(sqs2):
    dname = qname("deny")
    dlq = sqs2.create_queue(dname, {"RedriveAllowPolicy": json.dumps({"redrivePermission": "denyAll"})})
    with pytest.raises(SqsError) as e:
        sqs2.create_queue(qname("src"), {"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": queue_arn(dname), "maxReceiveCount": 1})})
    assert_error(e, "InvalidParameterValue")
    assert json.loads(sqs2.attrs(dlq, ["RedriveAllowPolicy"])["RedriveAllowPolicy"]) == {
        "redrivePermission": "denyAll"}


def test_bad_redrive_policy(sqs2):
    with pytest.raises(SqsError) as e:
        sqs2.create_queue(qname("src"), {"RedrivePolicy": json.dumps(
            {"deadLetterTargetArn": queue_arn(qname("absent")), "maxReceiveCount": 1})})
    assert_error(e, "InvalidParameterValue")


def test_message_move_task(server, sqs_pool):
    js = sqs_pool.get("json", server)  # boto3 1.26 predates the move-task operations
    src, dlq, dname = dlq_pair(js, 1)
    for i in range(3):
        js.send(src, "m%d" % i)
    # Each message is received once (its maxReceiveCount), then moved by the next receive
    # that finds it; keep receiving until all three have moved.
    def moved():
        js.receive(src, MaxNumberOfMessages=10, VisibilityTimeout=0)
        return js.attrs(dlq, ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"] == "3"
    assert wait_until(moved, 5)
    r = js.call("StartMessageMoveTask", SourceArn=queue_arn(dname))
    assert r["TaskHandle"], r
    done = wait_until(lambda: [t for t in js.call("ListMessageMoveTasks", SourceArn=queue_arn(dname))
                               .get("Results", []) if t["Status"] == "COMPLETED"], 10)
    assert done and done[0]["ApproximateNumberOfMessagesMoved"] == 3, done
    assert sorted(m["Body"] for m in js.drain(src, 3)) == ["m0", "m1", "m2"]
    with pytest.raises(SqsError):
        js.call("CancelMessageMoveTask", TaskHandle=r["TaskHandle"])  # already completed
