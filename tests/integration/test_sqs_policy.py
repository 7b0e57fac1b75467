"""SQS queue policies, AddPermission/RemovePermission and cross-account access."""
import json

import pytest

import integ
import sqs_clients
from sqs_clients import SqsError, qname, queue_arn, queue_url, sqs2, sqs_pool, helper  # noqa: F401



def test_policy_attribute_roundtrip(sqs2):
    name = qname("pol")
    url = sqs2.create_queue(name)
    policy = {"Version": "2012-10-17", "Statement": [{
        "Sid": "s1", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sqs:SendMessage",
        "Resource": queue_arn(name)}]}
    sqs2.call("SetQueueAttributes", QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    assert json.loads(sqs2.attrs(url, ["Policy"])["Policy"]) == policy


def test_add_remove_permission(sqs2):
    name = qname("perm")
    url = sqs2.create_queue(name)
    sqs2.call("AddPermission", QueueUrl=url, Label="lbl", AWSAccountIds=["111111111111"],
              Actions=["SendMessage", "ReceiveMessage"])
    pol = json.loads(sqs2.attrs(url, ["Policy"])["Policy"])
    st = [s for s in pol["Statement"] if s["Sid"] == "lbl"]
    assert st and st[0]["Effect"] == "Allow", pol
    sqs2.call("RemovePermission", QueueUrl=url, Label="lbl")
    pol = sqs2.attrs(url, ["Policy"]).get("Policy")
    assert not pol or not [s for s in json.loads(pol)["Statement"] if s["Sid"] == "lbl"]


def test_cross_account_access(server, sqs_pool):
    owner = sqs_pool.get("query", server)
    name = qname("xacct")
    url = owner.create_queue(name)
    acct, key, secret = integ.new_account_and_key(server)
    other = sqs_clients.make("json", server, key=key, secret=secret)
    try:
        with pytest.raises(SqsError):
            other.send(url, "denied")
        owner.call("AddPermission", QueueUrl=url, Label="x", AWSAccountIds=[acct],
                   Actions=["SendMessage"])
        other.send(url, "allowed")
        assert [m["Body"] for m in owner.receive(url)] == ["allowed"]
        # the other account's own namespace does not see the queue by name
        with pytest.raises(SqsError):
            other.call("GetQueueUrl", QueueName=name)
        assert other.call("GetQueueUrl", QueueName=name, QueueOwnerAWSAccountId=integ.ACCOUNT)[
            "QueueUrl"] == queue_url(server, name)
    finally:
        other.close()
