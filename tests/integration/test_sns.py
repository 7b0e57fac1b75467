"""SNS through boto3 1.26, boto 2.49 (JSON answers) and the AWS CLI v2: topics, subscriptions,
confirmation by link and by ConfirmSubscription, delivery to SQS (envelope and raw), HTTP
(signed, retried) and mail (outbox and a real SMTP sink), filter policies, bad input."""
import json
import queue
import time

import pytest
from botocore.exceptions import ClientError

import integ
from sns_helpers import (HttpEndpoint, HttpsEndpoint, SmtpSink, body_text, link_in, outbox_mails, queue_arn, receive_one,
                         verify_signature, wait_for)


@pytest.fixture(scope="module")
def sns(server):
    return integ.boto3_client(server, "sns")


@pytest.fixture(scope="module")
def sqs(server):
    return integ.boto3_client(server, "sqs")


@pytest.fixture
def endpoint():
    e = HttpEndpoint()
    yield e
    e.close()


def new_queue(sqs, name, **attrs):
    url = sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
    return url, queue_arn(sqs, url)


def http_subscription(sns, arn, endpoint, retries, delay):
    """Subscribes the endpoint, confirms it with ConfirmSubscription, and gives it a retry policy
    of `retries` retries `delay` seconds apart; returns the subscription ARN."""
    sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=endpoint.url)
    doc = json.loads(endpoint.next()[1])
    sub = sns.confirm_subscription(TopicArn=arn, Token=doc["Token"])["SubscriptionArn"]
    policy = {"healthyRetryPolicy": {"numRetries": retries, "minDelayTarget": delay, "maxDelayTarget": delay}}
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(policy))
    return sub


def error(excinfo):
    return excinfo.value.response["Error"]["Code"], excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


# --- topics ----------------------------------------------------------------------------------

def test_topic_lifecycle(sns):
    arn = sns.create_topic(Name="lifecycle", Attributes={"DisplayName": "Life"},
                           Tags=[{"Key": "team", "Value": "a"}])["TopicArn"]
    assert arn == "arn:aws:sns:us-east-1:000000000000:lifecycle"
    assert sns.create_topic(Name="lifecycle")["TopicArn"] == arn  # idempotent
    with pytest.raises(ClientError) as e:
        sns.create_topic(Name="lifecycle", Attributes={"DisplayName": "Other"})
    assert error(e) == ("InvalidParameter", 400)
    attrs = sns.get_topic_attributes(TopicArn=arn)["Attributes"]
    assert attrs["DisplayName"] == "Life" and attrs["Owner"] == "000000000000" and attrs["TopicArn"] == arn
    assert attrs["SubscriptionsConfirmed"] == "0" and attrs["SubscriptionsPending"] == "0"
    assert json.loads(attrs["Policy"])["Statement"][0]["Resource"] == arn
    assert json.loads(attrs["EffectiveDeliveryPolicy"])["http"]["defaultHealthyRetryPolicy"]["numRetries"] == 3
    sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="Renamed")
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"] == "Renamed"
    sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
    sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert sns.list_tags_for_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]
    sns.delete_topic(TopicArn=arn)
    with pytest.raises(ClientError) as e:
        sns.get_topic_attributes(TopicArn=arn)
    assert error(e) == ("NotFound", 404)
    sns.delete_topic(TopicArn=arn)  # deleting a missing topic succeeds, as on AWS


def test_list_topics_pages(sns):
    made = {sns.create_topic(Name="page-%03d" % i)["TopicArn"] for i in range(105)}
    seen, token, pages = set(), None, 0
    while True:
        r = sns.list_topics(**({"NextToken": token} if token else {}))
        pages += 1
        seen |= {t["TopicArn"] for t in r["Topics"]}
        token = r.get("NextToken")
        if not token:
            break
    assert made <= seen and pages >= 2
    for arn in made:
        sns.delete_topic(TopicArn=arn)


def test_list_subscriptions_pages(sns):
    arn = sns.create_topic(Name="many-subscribers")["TopicArn"]
    made = {sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:q%03d" % i)
            ["SubscriptionArn"] for i in range(105)}
    for list_call in (lambda **kw: sns.list_subscriptions_by_topic(TopicArn=arn, **kw), sns.list_subscriptions):
        seen, token, pages = [], None, 0
        while True:
            r = list_call(**({"NextToken": token} if token else {}))
            pages += 1
            assert len(r["Subscriptions"]) <= 100
            seen += [s["SubscriptionArn"] for s in r["Subscriptions"] if s["TopicArn"] == arn]
            token = r.get("NextToken")
            if not token:
                break
        assert pages >= 2 and len(seen) == len(set(seen)) and set(seen) == made
    sns.delete_topic(TopicArn=arn)


def test_fifo_topic_rules(sns, sqs):
    with pytest.raises(ClientError) as e:
        sns.create_topic(Name="plain.fifo")
    assert error(e)[0] == "InvalidParameter"
    arn = sns.create_topic(Name="orders.fifo", Attributes={"FifoTopic": "true", "ContentBasedDeduplication": "true"})["TopicArn"]
    url, qarn = new_queue(sqs, "orders.fifo", FifoQueue="true")
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
    with pytest.raises(ClientError) as e:
        sns.publish(TopicArn=arn, Message="no group")
    assert error(e)[0] == "InvalidParameter"
    seqs = [sns.publish(TopicArn=arn, Message="m%d" % i, MessageGroupId="g")["SequenceNumber"] for i in range(3)]
    assert seqs == sorted(seqs) and len(set(seqs)) == 3
    got = [json.loads(receive_one(sqs, url)["Body"])["Message"] for _ in range(3)]
    assert got == ["m0", "m1", "m2"]


# --- SQS delivery ----------------------------------------------------------------------------

def test_sqs_envelope_is_signed_and_complete(sns, sqs):
    arn = sns.create_topic(Name="to-queue")["TopicArn"]
    url, qarn = new_queue(sqs, "from-topic")
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
    assert sub.startswith(arn + ":")  # same account: confirmed at once
    listed = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert listed == [{"SubscriptionArn": sub, "Owner": "000000000000", "Protocol": "sqs", "Endpoint": qarn,
                       "TopicArn": arn}]
    mid = sns.publish(TopicArn=arn, Message="snapshot done", Subject="Backup",
                      MessageAttributes={"kind": {"DataType": "String", "StringValue": "snap"},
                                         "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}})["MessageId"]
    doc = json.loads(receive_one(sqs, url)["Body"])
    assert doc["Type"] == "Notification" and doc["MessageId"] == mid and doc["TopicArn"] == arn
    assert doc["Message"] == "snapshot done" and doc["Subject"] == "Backup"
    assert doc["MessageAttributes"] == {"kind": {"Type": "String", "Value": "snap"},
                                        "blob": {"Type": "Binary", "Value": "AP8="}}
    assert doc["SignatureVersion"] == "1" and "UnsubscribeURL" in doc and doc["Timestamp"].endswith("Z")
    assert verify_signature(doc)
    tampered = dict(doc, Message="something else")
    assert not verify_signature(tampered)
    sns.set_topic_attributes(TopicArn=arn, AttributeName="SignatureVersion", AttributeValue="2")
    sns.publish(TopicArn=arn, Message="v2")
    doc = json.loads(receive_one(sqs, url)["Body"])
    assert doc["SignatureVersion"] == "2" and verify_signature(doc)


def test_raw_delivery_and_message_structure(sns, sqs):
    arn = sns.create_topic(Name="raw")["TopicArn"]
    url, qarn = new_queue(sqs, "raw-q")
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn,
                        Attributes={"RawMessageDelivery": "true"})["SubscriptionArn"]
    assert sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["RawMessageDelivery"] == "true"
    sns.publish(TopicArn=arn, Message="plain", MessageAttributes={
        "n": {"DataType": "Number", "StringValue": "42"}, "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01"}})
    m = receive_one(sqs, url, MessageAttributeNames=["All"])
    assert m["Body"] == "plain"
    assert m["MessageAttributes"]["n"] == {"StringValue": "42", "DataType": "Number"}
    assert m["MessageAttributes"]["b"]["BinaryValue"] == b"\x00\x01"
    sns.publish(TopicArn=arn, MessageStructure="json", Message=json.dumps({"default": "d", "sqs": "for queues"}))
    assert receive_one(sqs, url)["Body"] == "for queues"


def test_filter_policies(sns, sqs):
    arn = sns.create_topic(Name="filtered")["TopicArn"]
    url_attr, qarn_attr = new_queue(sqs, "only-red")
    url_body, qarn_body = new_queue(sqs, "only-big")
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn_attr,
                  Attributes={"FilterPolicy": json.dumps({"color": ["red"]}), "RawMessageDelivery": "true"})
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn_body, Attributes={
        "FilterPolicy": json.dumps({"size": [{"numeric": [">", 10]}]}), "FilterPolicyScope": "MessageBody",
        "RawMessageDelivery": "true"})["SubscriptionArn"]
    for color in ("blue", "red"):
        sns.publish(TopicArn=arn, Message=json.dumps({"size": 5}),
                    MessageAttributes={"color": {"DataType": "String", "StringValue": color}})
    sns.publish(TopicArn=arn, Message=json.dumps({"size": 50}))
    assert json.loads(receive_one(sqs, url_attr)["Body"]) == {"size": 5}
    assert json.loads(receive_one(sqs, url_body)["Body"]) == {"size": 50}
    time.sleep(0.3)
    assert not sqs.receive_message(QueueUrl=url_attr).get("Messages")
    assert not sqs.receive_message(QueueUrl=url_body).get("Messages")
    assert sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["FilterPolicyScope"] == "MessageBody"
    with pytest.raises(ClientError) as e:
        sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="FilterPolicy", AttributeValue="{not json")
    assert error(e) == ("InvalidParameter", 400)


def test_publish_batch(sns, sqs):
    arn = sns.create_topic(Name="batch")["TopicArn"]
    url, qarn = new_queue(sqs, "batch-q")
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
    r = sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
        {"Id": "a", "Message": "one"}, {"Id": "b", "Message": "two"}, {"Id": "c", "Message": ""}])
    assert sorted(s["Id"] for s in r["Successful"]) == ["a", "b"]
    assert [(f["Id"], f["Code"], f["SenderFault"]) for f in r["Failed"]] == [("c", "InvalidParameter", True)]
    bodies = sorted(receive_one(sqs, url)["Body"] for _ in range(2))
    assert bodies == ["one", "two"]
    with pytest.raises(ClientError) as e:
        sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[{"Id": "x", "Message": "1"}, {"Id": "x", "Message": "2"}])
    assert error(e)[0] == "BatchEntryIdsNotDistinct"


def test_unsubscribe_stops_delivery(sns, sqs):
    arn = sns.create_topic(Name="unsub")["TopicArn"]
    url, qarn = new_queue(sqs, "unsub-q")
    sub = sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
    sns.unsubscribe(SubscriptionArn=sub)
    with pytest.raises(ClientError) as e:
        sns.get_subscription_attributes(SubscriptionArn=sub)
    assert error(e) == ("NotFound", 404)
    assert sns.get_topic_attributes(TopicArn=arn)["Attributes"]["SubscriptionsDeleted"] == "1"
    sns.publish(TopicArn=arn, Message="nobody")
    time.sleep(0.3)
    assert not sqs.receive_message(QueueUrl=url).get("Messages")


# --- HTTP delivery ---------------------------------------------------------------------------

def test_http_confirm_by_link_then_signed_notifications(sns, endpoint):
    arn = sns.create_topic(Name="webhook")["TopicArn"]
    assert sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=endpoint.url)["SubscriptionArn"] == "pending confirmation"
    headers, body, _ = endpoint.next()
    doc = json.loads(body)
    assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
    assert headers["x-amz-sns-topic-arn"] == arn and headers["x-amz-sns-message-id"] == doc["MessageId"]
    assert doc["Type"] == "SubscriptionConfirmation" and doc["TopicArn"] == arn and doc["Token"]
    assert verify_signature(doc)
    [pending] = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert pending["SubscriptionArn"] == "PendingConfirmation"
    status, _, answer = integ.http_get(doc["SubscribeURL"])  # unsigned, as a browser or SDK does
    assert status == 200 and b"<SubscriptionArn>" in answer, answer
    [confirmed] = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    sub = confirmed["SubscriptionArn"]
    assert sub.startswith(arn + ":")
    mid = sns.publish(TopicArn=arn, Message="hello hook", Subject="Hi")["MessageId"]
    headers, body, _ = endpoint.next()
    doc = json.loads(body)
    assert headers["x-amz-sns-message-type"] == "Notification" and headers["x-amz-sns-subscription-arn"] == sub
    assert headers["content-type"].startswith("text/plain") and "Amazon Simple Notification Service Agent" in headers["user-agent"]
    assert doc["MessageId"] == mid and doc["Message"] == "hello hook" and verify_signature(doc)
    status, _, _ = integ.http_get(doc["UnsubscribeURL"])
    assert status == 200
    headers, body, _ = endpoint.next()
    assert headers["x-amz-sns-message-type"] == "UnsubscribeConfirmation"
    assert verify_signature(json.loads(body))
    assert sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"] == []


def test_http_retries_with_the_same_message_id(sns, endpoint):
    arn = sns.create_topic(Name="flaky")["TopicArn"]
    http_subscription(sns, arn, endpoint, retries=2, delay=1)
    endpoint.statuses = [500, 503]
    mid = sns.publish(TopicArn=arn, Message="eventually")["MessageId"]
    attempts = [endpoint.next(timeout=20) for _ in range(3)]
    assert [a[2] for a in attempts] == [500, 503, 200]
    assert {json.loads(a[1])["MessageId"] for a in attempts} == {mid}
    assert {a[0]["x-amz-sns-message-id"] for a in attempts} == {mid}


# --- mail ------------------------------------------------------------------------------------

def test_email_through_the_outbox(server, sns):
    arn = sns.create_topic(Name="mail-outbox", Attributes={"DisplayName": "Ops"})["TopicArn"]
    assert sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="ops@example.com")["SubscriptionArn"] == "pending confirmation"
    mails = wait_for(lambda: [m for _, m in outbox_mails(server) if m["To"] == "ops@example.com"])
    assert mails and mails[0]["Subject"] == "AWS Notification - Subscription Confirmation"
    status, _, _ = integ.http_get(link_in(body_text(mails[0]), "ConfirmSubscription"))
    assert status == 200
    [s] = sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
    assert s["SubscriptionArn"] != "PendingConfirmation"
    sns.publish(TopicArn=arn, Message="the snapshot completed", Subject="Snapshot completed")
    notes = wait_for(lambda: [m for _, m in outbox_mails(server)
                              if m["To"] == "ops@example.com" and m["Subject"] == "Snapshot completed"])
    assert notes and "the snapshot completed" in body_text(notes[0])
    assert notes[0]["From"].addresses[0].display_name == "Ops"  # the topic's DisplayName, as AWS sends it
    listed = integ.admin_ok("mail", data=server.data_dir)["Mails"]  # `overcast admin mail`
    assert {"To": "ops@example.com", "Subject": "Snapshot completed"}.items() <= \
        next(m for m in listed if m["Subject"] == "Snapshot completed").items()
    assert all(m["File"].endswith(".eml") and m["Time"].endswith("Z") for m in listed)
    status, _, _ = integ.http_get(link_in(body_text(notes[0]), "Unsubscribe"))
    assert status == 200
    assert sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"] == []


def test_email_json_through_a_real_smtp_relay(factory):
    sink = SmtpSink()
    try:
        srv = factory.start(["--smtp", sink.url, "--mail-from", "sns@overcast.test"])
        sns = integ.boto3_client(srv, "sns")
        arn = sns.create_topic(Name="relay")["TopicArn"]
        sns.subscribe(TopicArn=arn, Protocol="email-json", Endpoint="dev@example.org")
        sender, rcpts, msg = sink.next()
        assert sender == "sns@overcast.test" and rcpts == ["dev@example.org"]
        doc = json.loads(body_text(msg))
        assert doc["Type"] == "SubscriptionConfirmation" and verify_signature(doc)
        sns.confirm_subscription(TopicArn=arn, Token=doc["Token"])
        sns.publish(TopicArn=arn, Message="via smtp")
        _, _, msg = sink.next()
        doc = json.loads(body_text(msg))
        assert doc["Type"] == "Notification" and doc["Message"] == "via smtp" and verify_signature(doc)
        assert outbox_mails(srv) == []  # with a relay nothing is left in the outbox
    finally:
        sink.close()


# --- clients: boto 2 (JSON answers) and the AWS CLI v2 ------------------------------------------

def test_boto2_uses_json_answers(server, sqs):
    import boto.sns
    from boto.regioninfo import RegionInfo
    c = boto.sns.SNSConnection(aws_access_key_id=integ.KEY, aws_secret_access_key=integ.SECRET, is_secure=False,
                               port=server.port, region=RegionInfo(name="us-east-1", endpoint="127.0.0.1"))
    arn = c.create_topic("boto2-topic")["CreateTopicResponse"]["CreateTopicResult"]["TopicArn"]
    topics = c.get_all_topics()["ListTopicsResponse"]["ListTopicsResult"]["Topics"]
    assert {"TopicArn": arn} in topics
    url, qarn = new_queue(sqs, "boto2-q")
    c.subscribe(arn, "sqs", qarn)
    c.publish(topic=arn, message="from boto 2", subject="b2")
    doc = json.loads(receive_one(sqs, url)["Body"])
    assert doc["Message"] == "from boto 2" and doc["Subject"] == "b2"
    subs = c.get_all_subscriptions_by_topic(arn)["ListSubscriptionsByTopicResponse"]["ListSubscriptionsByTopicResult"]
    assert subs["Subscriptions"][0]["Endpoint"] == qarn
    c.delete_topic(arn)


def test_aws_cli_v2(server, sqs):
    arn = integ.aws_ok(server, "sns", "create-topic", "--name", "cli-topic")["TopicArn"]
    url, qarn = new_queue(sqs, "cli-q")
    integ.aws_ok(server, "sns", "subscribe", "--topic-arn", arn, "--protocol", "sqs", "--notification-endpoint", qarn)
    mid = integ.aws_ok(server, "sns", "publish", "--topic-arn", arn, "--message", "from the cli")["MessageId"]
    doc = json.loads(receive_one(sqs, url)["Body"])
    assert doc["MessageId"] == mid
    listed = integ.aws_ok(server, "sns", "list-subscriptions")["Subscriptions"]
    assert any(s["TopicArn"] == arn for s in listed)


# --- bad input and other accounts ------------------------------------------------------------

def test_bad_input(sns, sqs):
    arn = sns.create_topic(Name="strict")["TopicArn"]
    cases = [
        (lambda: sns.create_topic(Name="bad name!"), "InvalidParameter"),
        (lambda: sns.get_topic_attributes(TopicArn="not-an-arn"), "InvalidParameter"),
        (lambda: sns.subscribe(TopicArn=arn, Protocol="email", Endpoint="no-at-sign"), "InvalidParameter"),
        (lambda: sns.subscribe(TopicArn=arn, Protocol="https", Endpoint="http://insecure.example/"), "InvalidParameter"),
        (lambda: sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint="arn:aws:sqs:us-east-1:000000000000:q",
                               Attributes={"FilterPolicy": "{oops"}), "InvalidParameter"),
        (lambda: sns.subscribe(TopicArn=arn, Protocol="carrier-pigeon", Endpoint="x"), "InvalidParameter"),
        (lambda: sns.publish(TopicArn=arn, Message="x" * (256 * 1024 + 1)), "InvalidParameter"),
        (lambda: sns.publish(TopicArn=arn, Message="x", Subject="two\nlines"), "InvalidParameter"),
        (lambda: sns.publish(TopicArn=arn, Message=json.dumps({"sqs": "no default"}), MessageStructure="json"), "InvalidParameter"),
        (lambda: sns.publish(TopicArn=arn, Message="x", MessageDeduplicationId="d"), "InvalidParameter"),
        (lambda: sns.publish(TopicArn=arn + "-missing", Message="x"), "NotFound"),
        (lambda: sns.set_topic_attributes(TopicArn=arn, AttributeName="NoSuchThing", AttributeValue="1"), "InvalidParameter"),
        (lambda: sns.confirm_subscription(TopicArn=arn, Token="not-a-token"), "InvalidParameter"),
        (lambda: sns.unsubscribe(SubscriptionArn=arn + ":00000000-0000-0000-0000-000000000000"), "NotFound"),
    ]
    for call, code in cases:
        with pytest.raises(ClientError) as e:
            call()
        assert error(e)[0] == code, (code, e.value.response)
    assert sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"] == []  # nothing stored


def test_another_accounts_topic_needs_permission(server, sns):
    arn = sns.create_topic(Name="private")["TopicArn"]
    acct, key, secret = integ.new_account_and_key(server)
    other = integ.boto3_client(server, "sns", key=key, secret=secret)
    for call in (lambda: other.publish(TopicArn=arn, Message="x"), lambda: other.get_topic_attributes(TopicArn=arn),
                 lambda: other.subscribe(TopicArn=arn, Protocol="email", Endpoint="a@b.c")):
        with pytest.raises(ClientError) as e:
            call()
        assert error(e) == ("AuthorizationError", 403)
    assert other.list_topics()["Topics"] == []
    sns.add_permission(TopicArn=arn, Label="let-them-publish", AWSAccountId=[acct], ActionName=["Publish"])
    assert other.publish(TopicArn=arn, Message="allowed now")["MessageId"]
    with pytest.raises(ClientError) as e:
        other.get_topic_attributes(TopicArn=arn)  # only Publish was granted
    assert error(e) == ("AuthorizationError", 403)
    with pytest.raises(ClientError) as e:
        sns.add_permission(TopicArn=arn, Label="let-them-publish", AWSAccountId=[acct], ActionName=["Publish"])
    assert error(e) == ("InvalidParameter", 400)
    sns.remove_permission(TopicArn=arn, Label="let-them-publish")
    with pytest.raises(ClientError) as e:
        other.publish(TopicArn=arn, Message="revoked")
    assert error(e) == ("AuthorizationError", 403)


def test_deliveries_survive_kill9(factory, endpoint):
    srv = factory.start()
    sns = integ.boto3_client(srv, "sns")
    arn = sns.create_topic(Name="durable")["TopicArn"]
    http_subscription(sns, arn, endpoint, retries=5, delay=2)
    endpoint.statuses = [500]  # the first attempt fails; the retry is due 2 s later
    mids = [sns.publish(TopicArn=arn, Message="m%d" % i)["MessageId"] for i in range(5)]
    time.sleep(0.2)
    srv = factory.restart(srv, kill9=True)
    got = set()
    deadline = time.time() + 30
    while set(mids) - got and time.time() < deadline:
        headers, body, status = endpoint.next(timeout=30)
        if status == 200:
            got.add(json.loads(body)["MessageId"])
    assert set(mids) <= got


def test_a_hanging_endpoint_delays_nobody_else(sns, endpoint):
    stuck = HttpEndpoint(hang=30)
    try:
        arn = sns.create_topic(Name="one-slow")["TopicArn"]
        stuck_sub = sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=stuck.url, ReturnSubscriptionArn=True)
        doc = json.loads(stuck.next()[1])  # its confirmation arrived (and hangs unanswered)
        sns.confirm_subscription(TopicArn=arn, Token=doc["Token"])
        http_subscription(sns, arn, endpoint, retries=0, delay=1)
        for i in range(6):
            started = time.time()
            sns.publish(TopicArn=arn, Message="m%d" % i)
            assert time.time() - started < 2, "Publish waited on an endpoint"
        got = set()
        deadline = time.time() + 5  # well inside the stuck endpoint's 15 s timeout
        while len(got) < 6 and time.time() < deadline:
            got.add(json.loads(endpoint.next(timeout=5)[1])["Message"])
        assert got == {"m%d" % i for i in range(6)}
        assert stuck_sub["SubscriptionArn"].startswith(arn + ":")
    finally:
        stuck.close()


def test_dead_letter_queue_after_the_last_retry(sns, sqs, endpoint):
    arn = sns.create_topic(Name="to-dlq")["TopicArn"]
    dlq_url, dlq_arn = new_queue(sqs, "sns-dlq")
    sub = http_subscription(sns, arn, endpoint, retries=1, delay=1)
    sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RedrivePolicy",
                                    AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
    endpoint.statuses = [500, 500]
    mid = sns.publish(TopicArn=arn, Message="undeliverable")["MessageId"]
    assert [endpoint.next(timeout=20)[2] for _ in range(2)] == [500, 500]
    r = sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=10)
    doc = json.loads(r["Messages"][0]["Body"])
    assert doc["MessageId"] == mid and doc["Message"] == "undeliverable"


def test_another_accounts_queue_confirms_through_the_queue(server, sns, sqs):
    arn = sns.create_topic(Name="shared")["TopicArn"]
    acct, key, secret = integ.new_account_and_key(server)
    other_sns = integ.boto3_client(server, "sns", key=key, secret=secret)
    other_sqs = integ.boto3_client(server, "sqs", key=key, secret=secret)
    url, qarn = new_queue(other_sqs, "inbox")
    # The topic lets the other account subscribe; the queue lets this topic send.
    sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": acct},
                                                 "Action": ["sns:Subscribe"], "Resource": arn}]}))
    assert other_sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"] == "pending confirmation"
    sns.publish(TopicArn=arn, Message="not yet")  # pending: not delivered
    time.sleep(0.5)
    assert not other_sqs.receive_message(QueueUrl=url).get("Messages")  # no policy on the queue yet
    other_sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                                                 "Action": "sqs:SendMessage", "Resource": qarn,
                                                 "Condition": {"ArnEquals": {"aws:SourceArn": arn}}}]})})
    doc = json.loads(receive_one(other_sqs, url)["Body"])  # the confirmation job retries until allowed
    assert doc["Type"] == "SubscriptionConfirmation" and verify_signature(doc)
    other_sns.confirm_subscription(TopicArn=arn, Token=doc["Token"])
    sns.publish(TopicArn=arn, Message="now")
    assert json.loads(receive_one(other_sqs, url)["Body"])["Message"] == "now"


def test_https_delivery_verifies_certificates(factory, tmp_path):
    endpoint = HttpsEndpoint(str(tmp_path))
    try:
        for trusted in (False, True):
            srv = factory.start(["--sns-ca-bundle", endpoint.ca_file] if trusted else [])
            sns = integ.boto3_client(srv, "sns")
            arn = sns.create_topic(Name="secure")["TopicArn"]
            sns.subscribe(TopicArn=arn, Protocol="https", Endpoint=endpoint.url)
            if not trusted:  # a self-signed endpoint gets nothing without --sns-ca-bundle
                with pytest.raises(queue.Empty):
                    endpoint.next(timeout=3)
            else:
                headers, body, _ = endpoint.next()
                assert headers["x-amz-sns-message-type"] == "SubscriptionConfirmation"
            srv.stop()
    finally:
        endpoint.close()


def test_signing_certificate_is_served_over_the_tls_listener(factory, sqs):
    srv = factory.start(["--tls-listen", "127.0.0.1:0"], tls=True)
    sns = integ.boto3_client(srv, "sns")
    sqs = integ.boto3_client(srv, "sqs")
    arn = sns.create_topic(Name="tls-cert")["TopicArn"]
    url, qarn = new_queue(sqs, "tls-cert-q")
    sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
    sns.publish(TopicArn=arn, Message="over https")
    doc = json.loads(receive_one(sqs, url)["Body"])
    assert doc["SigningCertURL"].startswith(srv.https_url + "/SimpleNotificationService-")
    import ssl
    import urllib.request
    pem = urllib.request.urlopen(doc["SigningCertURL"], context=ssl.create_default_context(cafile=srv.ca_path),
                                 timeout=10).read()
    assert b"BEGIN CERTIFICATE" in pem


def test_boto3_143_and_aws_cli_v1(server, sqs):
    """The newer boto3 (and CLI v1) on the PATH python, where present; SNS is query there too."""
    url, qarn = new_queue(sqs, "new-boto3-q")
    res = integ.boto3_143(server, [("create_topic", {"Name": "new-boto3"})], "sns")
    assert res[0]["ok"], res
    arn = res[0]["response"]["TopicArn"]
    res = integ.boto3_143(server, [
        ("subscribe", {"TopicArn": arn, "Protocol": "sqs", "Endpoint": qarn,
                       "Attributes": {"RawMessageDelivery": "true"}}),
        ("publish", {"TopicArn": arn, "Message": "from boto3 1.43"}),
        ("get_topic_attributes", {"TopicArn": arn + "-missing"}),
    ], "sns")
    assert res[0]["ok"] and res[1]["ok"], res
    assert not res[2]["ok"] and res[2]["error"]["Code"] == "NotFound" and res[2]["status"] == 404, res[2]
    assert receive_one(sqs, url)["Body"] == "from boto3 1.43"
    if integ.aws_v1():
        out = integ.aws_ok(server, "sns", "list-topics", cli=integ.aws_v1())
        assert {"TopicArn": arn} in out["Topics"]
