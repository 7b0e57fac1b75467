"""SQS durability: acknowledged messages survive kill -9; deleted ones do not come back."""
import json
import threading
import time

import pytest

import sqs_clients
from sqs_clients import ClientFailure, SqsError, md5_attributes, qname

KINDS = [pytest.param(k, id=k) for k in sqs_clients.PROTOCOLS]


def _adapter(kind, server, made):
    a = sqs_clients.make(kind, server)
    made.append(a)
    return a


@pytest.fixture
def made():
    lst = []
    yield lst
    for a in lst:
        a.close()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("kind", KINDS)
def test_messages_survive_kill9(factory, made, kind):
    s1 = factory.start()
    c = _adapter(kind, s1, made)
    name = qname("dur")
    url = c.create_queue(name, {"VisibilityTimeout": 2, "DelaySeconds": 0}, tags={"k": "v"})
    attrs = {"a": {"DataType": "String", "StringValue": "x"},
             "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}}
    n = 40
    sent = {}
    for i in range(0, n, 10):
        r = c.call("SendMessageBatch", QueueUrl=url, Entries=[
            {"Id": "e%d" % j, "MessageBody": "msg %d" % j, "MessageAttributes": attrs}
            for j in range(i, i + 10)])
        assert not r.get("Failed"), r
        for s in r["Successful"]:
            sent[s["MessageId"]] = "msg %d" % int(s["Id"][1:])
    single = c.send(url, "single ✓")
    sent[single["MessageId"]] = "single ✓"
    # delete 10 of them
    deleted = set()
    while len(deleted) < 10:
        for m in c.receive(url, MaxNumberOfMessages=10 - len(deleted), VisibilityTimeout=60):
            c.call("DeleteMessage", QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            deleted.add(m["MessageId"])
    s2 = factory.restart(s1, kill9=True)
    c2 = _adapter(kind, s2, made)
    url2 = c2.call("GetQueueUrl", QueueName=name)["QueueUrl"]
    a = c2.attrs(url2)
    assert a["VisibilityTimeout"] == "2", a
    assert int(a["ApproximateNumberOfMessages"]) == len(sent) - len(deleted), a
    assert c2.call("ListQueueTags", QueueUrl=url2).get("Tags") == {"k": "v"}
    got = c2.drain(url2, len(sent) - len(deleted), wait=10, MessageAttributeNames=["All"])
    ids = {m["MessageId"] for m in got}
    assert ids == set(sent) - deleted, "after kill -9: %d received, %d expected, %d deleted came back" % (
        len(ids), len(sent) - len(deleted), len(ids & deleted))
    for m in got:
        assert m["Body"] == sent[m["MessageId"]]
        if m["Body"].startswith("msg"):
            assert m["MD5OfMessageAttributes"] == md5_attributes(attrs)
            assert m["MessageAttributes"]["b"]["BinaryValue"] == b"\x00\x01"


@pytest.mark.timeout(120)
def test_trace_header_survives_restart(factory, made):
    s1 = factory.start()
    c = _adapter("json", s1, made)
    name = qname("trace")
    url = c.create_queue(name)
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
    c.send(url, "traced", MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": trace}})
    s2 = factory.restart(s1, kill9=True)
    c2 = _adapter("json", s2, made)
    url2 = c2.call("GetQueueUrl", QueueName=name)["QueueUrl"]
    got = c2.drain(url2, 1, wait=5, MessageSystemAttributeNames=["AWSTraceHeader"])
    assert [m["Attributes"] for m in got] == [{"AWSTraceHeader": trace}], got


@pytest.mark.timeout(120)
@pytest.mark.parametrize("kind", KINDS)
def test_in_flight_and_delayed_survive_kill9(factory, made, kind):
    s1 = factory.start()
    c = _adapter(kind, s1, made)
    name = qname("dur2")
    url = c.create_queue(name)
    c.send(url, "inflight")
    c.send(url, "delayed", DelaySeconds=2)
    m = c.receive(url, VisibilityTimeout=2)[0]
    assert m["Body"] == "inflight"
    s2 = factory.restart(s1, kill9=True)
    c2 = _adapter(kind, s2, made)
    url2 = c2.call("GetQueueUrl", QueueName=name)["QueueUrl"]
    got = c2.drain(url2, 2, wait=8, AttributeNames=["ApproximateReceiveCount"])
    by = {x["Body"]: x for x in got}
    assert set(by) == {"inflight", "delayed"}, got
    # Receives are recorded lazily (the issue allows it: a crash may only make a received
    # message visible early): the kill may come before the first receive reached the store.
    assert by["inflight"]["Attributes"]["ApproximateReceiveCount"] in ("1", "2"), by


@pytest.mark.timeout(150)
@pytest.mark.parametrize("kind", KINDS)
def test_kill9_during_send_stream_loses_nothing_acknowledged(factory, made, kind):
    s1 = factory.start()
    setup = _adapter("query", s1, made)
    name = qname("stream")
    url = setup.create_queue(name)
    sender = _adapter(kind, s1, made)
    acked, errors = [], []
    stop = threading.Event()

    def send_loop():
        i = 0
        while not stop.is_set():
            try:
                r = sender.send(url, "s%d" % i)
            except (ClientFailure, SqsError, Exception) as e:  # noqa: BLE001 - the kill
                errors.append(repr(e)[:300])
                return
            acked.append(r["MessageId"])
            i += 1

    t = threading.Thread(target=send_loop, daemon=True)
    t.start()
    time.sleep(2.0)
    s1.kill9()
    stop.set()
    t.join(60)
    assert not t.is_alive()
    assert len(acked) > 0, "no send acknowledged before the kill: %r" % errors
    s2 = factory.start(args=s1.args, data_dir=s1.data_dir)
    c2 = _adapter("query", s2, made)
    url2 = c2.call("GetQueueUrl", QueueName=name)["QueueUrl"]
    got = c2.drain(url2, len(acked), wait=30)
    ids = {m["MessageId"] for m in got}
    lost = [x for x in acked if x not in ids]
    assert not lost, ("kill -9 during a %s send stream: %d acknowledged, %d received after restart, "
                      "%d acknowledged lost (first: %s); sender stopped with %s"
                      % (kind, len(acked), len(ids), len(lost), lost[:3], errors[:1]))
    # at most the one in-flight unacknowledged send may additionally have been stored
    assert len(ids) <= len(acked) + 1, (len(acked), len(ids))
    print("stream %s: %d acknowledged, %d received after restart" % (kind, len(acked), len(ids)))


@pytest.mark.timeout(120)
def test_deleted_queue_stays_deleted_and_purge_persists(factory, made):
    s1 = factory.start()
    c = _adapter("query", s1, made)
    gone, purged = qname("gone"), qname("purged")
    c.call("DeleteQueue", QueueUrl=c.create_queue(gone))
    pu = c.create_queue(purged)
    for i in range(5):
        c.send(pu, "p%d" % i)
    c.call("PurgeQueue", QueueUrl=pu)
    s2 = factory.restart(s1, kill9=True)
    c2 = _adapter("json", s2, made)
    with pytest.raises(SqsError):
        c2.call("GetQueueUrl", QueueName=gone)
    pu2 = c2.call("GetQueueUrl", QueueName=purged)["QueueUrl"]
    assert c2.drain(pu2, 1, wait=1) == []


@pytest.mark.timeout(120)
def test_clean_restart_keeps_everything(factory, made):
    s1 = factory.start()
    c = _adapter("json", s1, made)
    name = qname("clean")
    url = c.create_queue(name)
    ids = {c.send(url, "c%d" % i)["MessageId"] for i in range(20)}
    s2 = factory.restart(s1)  # SIGTERM
    c2 = _adapter("query", s2, made)
    url2 = c2.call("GetQueueUrl", QueueName=name)["QueueUrl"]
    assert {m["MessageId"] for m in c2.drain(url2, 20, wait=10)} == ids


@pytest.mark.timeout(120)
def test_move_task_resumes_after_kill9(factory, made):
    """A message move task is recorded in the store: after kill -9 it resumes and finishes, and
    every message ends up back in its source queue exactly once."""
    s1 = factory.start()
    c = _adapter("json", s1, made)
    dname, sname = qname("mvdlq"), qname("mvsrc")
    dlq = c.create_queue(dname)
    src = c.create_queue(sname, {"RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": sqs_clients.queue_arn(dname), "maxReceiveCount": 1})})
    bodies = {"m%d" % i for i in range(6)}
    for b in sorted(bodies):
        c.send(src, b)

    def all_dead():
        c.receive(src, MaxNumberOfMessages=10, VisibilityTimeout=0)
        return c.attrs(dlq, ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"] == "6"
    assert sqs_clients.wait_until(all_dead, 10)
    time.sleep(0.5)  # let the moves into the dead-letter queue reach the store
    handle = c.call("StartMessageMoveTask", SourceArn=sqs_clients.queue_arn(dname),
                    MaxNumberOfMessagesPerSecond=1)["TaskHandle"]
    time.sleep(1.5)  # a message or two moved, most still waiting
    s2 = factory.restart(s1, kill9=True)
    c2 = _adapter("json", s2, made)
    tasks = c2.call("ListMessageMoveTasks", SourceArn=sqs_clients.queue_arn(dname))["Results"]
    assert tasks and tasks[0]["Status"] in ("RUNNING", "COMPLETED"), tasks
    assert tasks[0]["Status"] != "RUNNING" or tasks[0]["TaskHandle"] == handle, tasks

    def completed():
        r = c2.call("ListMessageMoveTasks", SourceArn=sqs_clients.queue_arn(dname))["Results"]
        return r and r[0]["Status"] == "COMPLETED"
    assert sqs_clients.wait_until(completed, 20, step=0.5)
    src2 = c2.call("GetQueueUrl", QueueName=sname)["QueueUrl"]
    got = [m["Body"] for m in c2.drain(src2, 6, wait=5)]
    assert sorted(got) == sorted(bodies), got
    dlq2 = c2.call("GetQueueUrl", QueueName=dname)["QueueUrl"]
    assert c2.receive(dlq2, MaxNumberOfMessages=10) == []
