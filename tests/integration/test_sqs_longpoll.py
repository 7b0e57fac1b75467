"""SQS long polling: WaitTimeSeconds returns early when a message arrives, empty after the wait."""
import threading
import time

import pytest

from sqs_clients import (SqsError, assert_error, sqs, sqs2, sqs_pool, helper)  # noqa: F401


def _poll_in_thread(sqs, url, **kw):
    out = {}

    def run():
        out["start"] = time.monotonic()
        try:
            out["msgs"] = sqs.receive(url, **kw)
        except Exception as e:  # noqa: BLE001
            out["error"] = e
        out["end"] = time.monotonic()

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, out


def test_long_poll_returns_early(sqs2, helper):
    sqs = sqs2
    url = sqs.create_queue()
    t, out = _poll_in_thread(sqs, url, WaitTimeSeconds=10)
    time.sleep(1.0)
    assert t.is_alive(), "long poll returned before any message was sent: %r" % out
    helper.send(url, "wake up")
    sent = time.monotonic()
    t.join(15)
    assert "error" not in out, out
    assert [m["Body"] for m in out["msgs"]] == ["wake up"], out
    latency = out["end"] - sent
    # Far below the 10 s wait: the receive returned because of the send. (The server wakes a
    # waiter in about a millisecond, bench/sqs-longpoll; here the clients' own overhead counts.)
    assert latency < 3.0, "long poll answered %.3f s after the send" % latency


def test_long_poll_empty_after_wait(sqs2):
    sqs = sqs2
    url = sqs.create_queue()
    t0 = time.monotonic()
    assert sqs.receive(url, WaitTimeSeconds=2) == []
    took = time.monotonic() - t0
    assert 1.8 <= took < 4.5, took


def test_queue_receive_wait_time_default(sqs2):
    sqs = sqs2
    url = sqs.create_queue(attributes={"ReceiveMessageWaitTimeSeconds": 1})
    t0 = time.monotonic()
    assert sqs.receive(url) == []
    took = time.monotonic() - t0
    assert 0.8 <= took < 3.5, took
    # an explicit 0 is a short poll
    t0 = time.monotonic()
    assert sqs.receive(url, WaitTimeSeconds=0) == []
    assert time.monotonic() - t0 < 0.95  # the queue's default wait would take a full second


def test_long_poll_message_already_there(sqs):
    url = sqs.create_queue()
    sqs.send(url, "ready")
    t0 = time.monotonic()
    assert [m["Body"] for m in sqs.receive(url, WaitTimeSeconds=10)] == ["ready"]
    assert time.monotonic() - t0 < 5.0  # not the 10 s wait


def test_long_poll_wakes_one_of_two(sqs2, helper, server):
    import sqs_clients
    sqs = sqs2
    other = sqs_clients.make(sqs.name, server)  # a second connection of the same kind
    try:
        url = sqs.create_queue()
        t1, o1 = _poll_in_thread(sqs, url, WaitTimeSeconds=3)
        t2, o2 = _poll_in_thread(other, url, WaitTimeSeconds=3)
        time.sleep(0.8)
        helper.send(url, "only one")
        t1.join(10)
        t2.join(10)
        assert "error" not in o1 and "error" not in o2, (o1, o2)
        bodies = [m["Body"] for m in o1["msgs"] + o2["msgs"]]
        assert bodies == ["only one"], (o1, o2)
    finally:
        other.close()


def test_wait_time_out_of_range(sqs):
    url = sqs.create_queue()
    with pytest.raises(SqsError) as e:
        sqs.receive(url, WaitTimeSeconds=21)
    assert_error(e, "InvalidParameterValue")


def test_delete_queue_during_long_poll(sqs2, helper):
    """A long poll on a queue deleted meanwhile ends (with no messages or QueueDoesNotExist)."""
    sqs = sqs2
    url = sqs.create_queue()
    t, out = _poll_in_thread(sqs, url, WaitTimeSeconds=5)
    time.sleep(0.5)
    helper.call("DeleteQueue", QueueUrl=url)
    t.join(10)
    assert not t.is_alive()
    if "error" in out:
        assert_error(out["error"], "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")
    else:
        assert out["msgs"] == [], out
