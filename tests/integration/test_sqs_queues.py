"""SQS queues: create/get/list/delete/purge, attributes, tags — on query and JSON clients."""
import time

import pytest

from sqs_clients import (SqsError, assert_error, qname, queue_arn, queue_url, sqs, sqs_pool,  # noqa: F401
                         helper)

DEFAULTS = {"VisibilityTimeout": "30", "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "345600", "DelaySeconds": "0",
            "ReceiveMessageWaitTimeSeconds": "0"}


def test_create_queue_url_and_get_queue_url(sqs, server):
    name = qname()
    url = sqs.create_queue(name)
    assert url == queue_url(server, name)
    assert sqs.call("GetQueueUrl", QueueName=name)["QueueUrl"] == url


def test_create_queue_idempotent_same_attributes(sqs, server):
    name = qname()
    url = sqs.create_queue(name, {"VisibilityTimeout": 45, "DelaySeconds": 2})
    assert sqs.create_queue(name, {"VisibilityTimeout": 45, "DelaySeconds": 2}) == url
    # defaults given explicitly are the same attributes
    name2 = qname()
    url2 = sqs.create_queue(name2)
    assert sqs.create_queue(name2, {"VisibilityTimeout": 30}) == url2
    assert sqs.create_queue(name2) == url2


def test_create_queue_different_attributes_is_queue_exists(sqs):
    name = qname()
    sqs.create_queue(name, {"VisibilityTimeout": 45})
    with pytest.raises(SqsError) as e:
        sqs.create_queue(name, {"VisibilityTimeout": 46})
    assert_error(e, "QueueNameExists", "QueueAlreadyExists")


@pytest.mark.parametrize("bad", ["has space", "q" * 81, "dot.name", "slash/name", "star*", "ünï"])
def test_create_queue_bad_names(sqs, bad):
    with pytest.raises(SqsError) as e:
        sqs.create_queue(bad)
    assert_error(e, "InvalidParameterValue")


def test_create_queue_name_limits_ok(sqs, server):
    name = ("Q_-9" + qname())[:40].ljust(80, "z")
    assert len(name) == 80
    assert sqs.create_queue(name) == queue_url(server, name)
    # names are case-sensitive: a different queue
    lower = qname("case").lower()
    upper = lower.upper()
    u1, u2 = sqs.create_queue(lower), sqs.create_queue(upper)
    assert u1 != u2


def test_get_queue_url_unknown(sqs):
    with pytest.raises(SqsError) as e:
        sqs.call("GetQueueUrl", QueueName=qname("nope"))
    assert_error(e, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")


def test_list_queues_prefix_and_pagination(sqs, server):
    prefix = qname("lst")
    urls = sorted(sqs.create_queue(prefix + "-%d" % i) for i in range(5))
    sqs.create_queue(qname("other"))
    got = sqs.call("ListQueues", QueueNamePrefix=prefix)
    assert sorted(got.get("QueueUrls", [])) == urls
    assert "NextToken" not in got or not got["NextToken"]
    # pagination
    seen, token, pages = [], None, 0
    while True:
        params = {"QueueNamePrefix": prefix, "MaxResults": 2}
        if token:
            params["NextToken"] = token
        page = sqs.call("ListQueues", **params)
        pages += 1
        assert len(page.get("QueueUrls", [])) <= 2, page
        seen += page.get("QueueUrls", [])
        token = page.get("NextToken")
        if not token:
            break
        assert pages < 10, "pagination does not end: %r" % page
    assert sorted(seen) == urls
    assert pages == 3
    # unknown prefix: empty
    assert sqs.call("ListQueues", QueueNamePrefix=qname("none")).get("QueueUrls", []) == []
    # no prefix: includes ours
    all_urls = sqs.call("ListQueues").get("QueueUrls", [])
    assert set(urls) <= set(all_urls)


def test_delete_queue(sqs):
    name = qname()
    url = sqs.create_queue(name)
    sqs.call("DeleteQueue", QueueUrl=url)
    with pytest.raises(SqsError) as e:
        sqs.call("GetQueueUrl", QueueName=name)
    assert_error(e, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")
    with pytest.raises(SqsError) as e:
        sqs.send(url, "x")
    assert_error(e, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")
    assert url not in sqs.call("ListQueues", QueueNamePrefix=name).get("QueueUrls", [])
    with pytest.raises(SqsError) as e:
        sqs.call("DeleteQueue", QueueUrl=url)
    assert_error(e, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")


def test_purge_queue(sqs):
    url = sqs.create_queue()
    for i in range(3):
        sqs.send(url, "m%d" % i)
    assert sqs.attrs(url, ["ApproximateNumberOfMessages"])["ApproximateNumberOfMessages"] == "3"
    sqs.call("PurgeQueue", QueueUrl=url)
    assert sqs.receive(url, MaxNumberOfMessages=10) == []
    a = sqs.attrs(url)
    assert a["ApproximateNumberOfMessages"] == "0", a
    assert a["ApproximateNumberOfMessagesNotVisible"] == "0", a
    # the queue still works after a purge
    sqs.send(url, "after")
    assert [m["Body"] for m in sqs.drain(url, 1)] == ["after"]


def test_default_attributes(sqs):
    name = qname()
    url = sqs.create_queue(name)
    before = int(time.time()) - 5
    a = sqs.attrs(url)
    for k, v in DEFAULTS.items():
        assert a.get(k) == v, (k, a)
    assert a["QueueArn"] == queue_arn(name)
    for k in ("ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
              "ApproximateNumberOfMessagesDelayed"):
        assert a[k] == "0", (k, a)
    for k in ("CreatedTimestamp", "LastModifiedTimestamp"):
        assert a[k].isdigit() and before - 60 <= int(a[k]) <= int(time.time()) + 5, (k, a)
    assert "FifoQueue" not in a, a
    # each attribute on its own
    for k in list(DEFAULTS) + ["QueueArn", "ApproximateNumberOfMessages", "CreatedTimestamp"]:
        one = sqs.attrs(url, [k])
        assert one == {k: a[k]}, (k, one)
    # no names: no attributes
    got = sqs.call("GetQueueAttributes", QueueUrl=url)
    assert not got.get("Attributes"), got


def test_counters(sqs):
    url = sqs.create_queue()
    sqs.send(url, "a")
    sqs.send(url, "b")
    sqs.send(url, "delayed", DelaySeconds=60)
    assert len(sqs.receive(url, MaxNumberOfMessages=1, VisibilityTimeout=60)) == 1
    a = sqs.attrs(url)
    assert (a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"],
            a["ApproximateNumberOfMessagesDelayed"]) == ("1", "1", "1"), a


def test_set_queue_attributes(sqs):
    url = sqs.create_queue()
    new = {"VisibilityTimeout": "45", "MessageRetentionPeriod": "120", "DelaySeconds": "5",
           "ReceiveMessageWaitTimeSeconds": "3", "MaximumMessageSize": "2048"}
    sqs.call("SetQueueAttributes", QueueUrl=url, Attributes=new)
    a = sqs.attrs(url)
    for k, v in new.items():
        assert a[k] == v, (k, a)
    # limits are accepted
    edge = {"VisibilityTimeout": "43200", "MessageRetentionPeriod": "1209600", "DelaySeconds": "900",
            "ReceiveMessageWaitTimeSeconds": "20", "MaximumMessageSize": "1024"}
    sqs.call("SetQueueAttributes", QueueUrl=url, Attributes=edge)
    a = sqs.attrs(url)
    for k, v in edge.items():
        assert a[k] == v, (k, a)
    edge = {"VisibilityTimeout": "0", "MessageRetentionPeriod": "60", "DelaySeconds": "0",
            "ReceiveMessageWaitTimeSeconds": "0", "MaximumMessageSize": "1048576"}
    sqs.call("SetQueueAttributes", QueueUrl=url, Attributes=edge)
    a = sqs.attrs(url)
    for k, v in edge.items():
        assert a[k] == v, (k, a)


@pytest.mark.parametrize("name,value", [
    ("VisibilityTimeout", "43201"), ("VisibilityTimeout", "-1"), ("VisibilityTimeout", "abc"),
    ("MessageRetentionPeriod", "59"), ("MessageRetentionPeriod", "1209601"),
    ("DelaySeconds", "901"), ("ReceiveMessageWaitTimeSeconds", "21"),
    ("MaximumMessageSize", "1023"), ("MaximumMessageSize", "1048577")])
def test_set_queue_attributes_out_of_range(sqs, name, value):
    url = sqs.create_queue()
    with pytest.raises(SqsError) as e:
        sqs.call("SetQueueAttributes", QueueUrl=url, Attributes={name: value})
    assert_error(e, "InvalidAttributeValue")
    # unchanged
    assert sqs.attrs(url, [name])[name] == DEFAULTS[name]
    # same on CreateQueue
    with pytest.raises(SqsError) as e:
        sqs.create_queue(qname(), {name: value})
    assert_error(e, "InvalidAttributeValue")


def test_set_queue_attributes_unknown_name(sqs):
    url = sqs.create_queue()
    with pytest.raises(SqsError) as e:
        sqs.call("SetQueueAttributes", QueueUrl=url, Attributes={"Bogus": "1"})
    assert_error(e, "InvalidAttributeName")
    with pytest.raises(SqsError) as e:
        sqs.call("SetQueueAttributes", QueueUrl=url, Attributes={"QueueArn": "arn:x"})
    assert_error(e, "InvalidAttributeName")
    with pytest.raises(SqsError) as e:
        sqs.call("GetQueueAttributes", QueueUrl=url, AttributeNames=["Bogus"])
    assert_error(e, "InvalidAttributeName")


def test_attributes_unknown_queue(sqs, server):
    url = queue_url(server, qname("gone"))
    with pytest.raises(SqsError) as e:
        sqs.attrs(url)
    assert_error(e, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")
    with pytest.raises(SqsError) as e:
        sqs.call("SetQueueAttributes", QueueUrl=url, Attributes={"DelaySeconds": "1"})
    assert_error(e, "QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue")


def test_tags(sqs):
    url = sqs.create_queue(tags={"team": "a", "env": "test"})
    assert sqs.call("ListQueueTags", QueueUrl=url).get("Tags") == {"team": "a", "env": "test"}
    sqs.call("TagQueue", QueueUrl=url, Tags={"env": "prod", "cost": "42"})
    assert sqs.call("ListQueueTags", QueueUrl=url).get("Tags") == {"team": "a", "env": "prod",
                                                                    "cost": "42"}
    sqs.call("UntagQueue", QueueUrl=url, TagKeys=["team", "cost", "absent"])
    assert sqs.call("ListQueueTags", QueueUrl=url).get("Tags") == {"env": "prod"}
    sqs.call("UntagQueue", QueueUrl=url, TagKeys=["env"])
    assert not sqs.call("ListQueueTags", QueueUrl=url).get("Tags")
    plain = sqs.create_queue()
    assert not sqs.call("ListQueueTags", QueueUrl=plain).get("Tags")


def test_queue_url_follows_host_header(helper, server):
    """The URL is built from the request's Host: localhost instead of 127.0.0.1."""
    import sqs_clients
    name = qname()
    other = sqs_clients.make("query", server, url="http://localhost:%d" % server.port)
    url = other.create_queue(name)
    assert url == "http://localhost:%d/000000000000/%s" % (server.port, name)
    assert helper.call("GetQueueUrl", QueueName=name)["QueueUrl"] == queue_url(server, name)
