"""Service Quotas (json 1.1) through boto3 1.26 and 1.43 and the AWS CLI v2; `overcast admin
quota` (set, list, ceiling) through a running server and on a stopped data directory; values
surviving a restart. boto 2 has no Service Quotas client. (EC2's enforcement of these quotas is
tested with RunInstances.)"""
import botocore.exceptions
import pytest

from integ import (ACCOUNT, admin, admin_ok, aws_ok, boto3_143, boto3_client, client_error_code,
                   new_account_and_key, run_aws)

VCPUS = "L-1216C47A"
INSTANCES = "L-OVERCAST-INSTANCES"
EC2_NAME = "Amazon Elastic Compute Cloud (Amazon EC2)"
VCPU_NAME = "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances"


@pytest.fixture(scope="module")
def server(module_factory):
    return module_factory.start()


@pytest.fixture
def account(server):
    """A fresh account (acct, key, secret), so that tests on the shared server do not meet."""
    return new_account_and_key(server)


def sq(server, acct_key=None, region="us-east-1"):
    if acct_key:
        return boto3_client(server, "service-quotas", key=acct_key[1], secret=acct_key[2], region=region)
    return boto3_client(server, "service-quotas", region=region)


def sq_error(fn, **params):
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        fn(**params)
    return client_error_code(ei), ei.value.response["ResponseMetadata"]["HTTPStatusCode"]


def test_get_service_quota_describes_the_default(server, account):
    q = sq(server, account, region="eu-west-1").get_service_quota(ServiceCode="ec2", QuotaCode=VCPUS)["Quota"]
    assert q["ServiceCode"] == "ec2" and q["ServiceName"] == EC2_NAME, q
    assert q["QuotaArn"] == "arn:aws:servicequotas:eu-west-1:%s:ec2/%s" % (account[0], VCPUS), q
    assert q["QuotaCode"] == VCPUS and q["QuotaName"] == VCPU_NAME, q
    assert q["Value"] == 32.0 and q["Unit"] == "None", q
    assert q["Adjustable"] is True and q["GlobalQuota"] is False, q
    inst = sq(server, account).get_service_quota(ServiceCode="ec2", QuotaCode=INSTANCES)["Quota"]
    assert inst["Value"] == 20.0 and inst["QuotaName"] == "Running On-Demand instances", inst
    d = sq(server, account).get_aws_default_service_quota(ServiceCode="ec2", QuotaCode=VCPUS)["Quota"]
    assert d["Value"] == 32.0 and d["QuotaArn"] == "arn:aws:servicequotas:us-east-1::ec2/" + VCPUS, d


def test_list_service_quotas_and_services(server, account):
    c = sq(server, account)
    page = c.list_service_quotas(ServiceCode="ec2", MaxResults=1)
    assert [q["QuotaCode"] for q in page["Quotas"]] == [VCPUS], page
    assert page["NextToken"] == INSTANCES, page
    rest = c.list_service_quotas(ServiceCode="ec2", MaxResults=1, NextToken=page["NextToken"])
    assert [q["QuotaCode"] for q in rest["Quotas"]] == [INSTANCES] and "NextToken" not in rest, rest
    pages = c.get_paginator("list_service_quotas").paginate(ServiceCode="ec2", PaginationConfig={"PageSize": 1})
    assert [q["QuotaCode"] for p in pages for q in p["Quotas"]] == [VCPUS, INSTANCES]
    assert c.list_services()["Services"] == [{"ServiceCode": "ec2", "ServiceName": EC2_NAME}]
    assert sq_error(c.list_service_quotas, ServiceCode="ec2", NextToken="nope") == (
        "InvalidPaginationTokenException", 400)


def test_request_increase_approved_at_once_then_read_back(server, account):
    c = sq(server, account)
    rq = c.request_service_quota_increase(ServiceCode="ec2", QuotaCode=VCPUS, DesiredValue=64)["RequestedQuota"]
    assert rq["Status"] == "APPROVED" and rq["DesiredValue"] == 64.0, rq
    assert len(rq["Id"]) == 32 and rq["QuotaCode"] == VCPUS and rq["ServiceName"] == EC2_NAME, rq
    assert rq["QuotaArn"] == "arn:aws:servicequotas:us-east-1:%s:ec2/%s" % (account[0], VCPUS), rq
    assert rq["Created"].year >= 2024, rq
    assert c.get_service_quota(ServiceCode="ec2", QuotaCode=VCPUS)["Quota"]["Value"] == 64.0
    back = c.get_requested_service_quota_change(RequestId=rq["Id"])["RequestedQuota"]
    assert back == rq, (back, rq)
    # Another region and another account are unchanged.
    assert sq(server, account, "us-west-2").get_service_quota(
        ServiceCode="ec2", QuotaCode=VCPUS)["Quota"]["Value"] == 32.0
    assert sq_error(sq(server).get_requested_service_quota_change, RequestId=rq["Id"]) == (
        "NoSuchResourceException", 400)


def test_request_above_the_ceiling_is_denied_and_history_lists_both(server, account):
    c = sq(server, account)
    ok = c.request_service_quota_increase(ServiceCode="ec2", QuotaCode=INSTANCES, DesiredValue=80)
    denied = c.request_service_quota_increase(ServiceCode="ec2", QuotaCode=INSTANCES, DesiredValue=81)
    assert ok["RequestedQuota"]["Status"] == "APPROVED", ok
    assert denied["RequestedQuota"]["Status"] == "DENIED", denied
    assert c.get_service_quota(ServiceCode="ec2", QuotaCode=INSTANCES)["Quota"]["Value"] == 80.0
    hist = c.list_requested_service_quota_change_history_by_quota(ServiceCode="ec2", QuotaCode=INSTANCES)
    assert [r["Id"] for r in hist["RequestedQuotas"]] == [denied["RequestedQuota"]["Id"], ok["RequestedQuota"]["Id"]]
    only = c.list_requested_service_quota_change_history(ServiceCode="ec2", Status="DENIED")["RequestedQuotas"]
    assert [r["DesiredValue"] for r in only] == [81.0], only


def test_errors(server, account):
    c = sq(server, account)
    assert sq_error(c.request_service_quota_increase, ServiceCode="ec2", QuotaCode=VCPUS, DesiredValue=5) == (
        "IllegalArgumentException", 400)
    assert sq_error(c.get_service_quota, ServiceCode="ec2", QuotaCode="L-00000000") == ("NoSuchResourceException", 400)
    assert sq_error(c.get_service_quota, ServiceCode="lambda", QuotaCode=VCPUS) == ("NoSuchResourceException", 400)
    assert sq_error(c.list_service_quotas, ServiceCode="nope") == ("NoSuchResourceException", 400)
    assert sq_error(c.get_requested_service_quota_change, RequestId="0" * 32) == ("NoSuchResourceException", 400)


def test_boto3_143(server, account):
    _, key, secret = account
    res = boto3_143(server, [
        ("get_service_quota", {"ServiceCode": "ec2", "QuotaCode": VCPUS}),
        ("list_service_quotas", {"ServiceCode": "ec2"}),
        ("request_service_quota_increase", {"ServiceCode": "ec2", "QuotaCode": VCPUS, "DesiredValue": 100}),
        ("get_service_quota", {"ServiceCode": "ec2", "QuotaCode": VCPUS}),
        ("list_services", {}),
        ("get_service_quota", {"ServiceCode": "nope", "QuotaCode": VCPUS}),
    ], "service-quotas", key=key, secret=secret)
    assert all(r["ok"] for r in res[:5]), res
    assert res[0]["response"]["Quota"]["Value"] == 32.0, res[0]
    assert res[0]["response"]["Quota"]["QuotaAppliedAtLevel"] == "ACCOUNT", res[0]
    assert [q["QuotaCode"] for q in res[1]["response"]["Quotas"]] == [VCPUS, INSTANCES], res[1]
    rq = res[2]["response"]["RequestedQuota"]
    assert rq["Status"] == "APPROVED" and rq["DesiredValue"] == 100.0, rq
    assert res[3]["response"]["Quota"]["Value"] == 100.0, res[3]
    assert res[4]["response"]["Services"][0]["ServiceCode"] == "ec2", res[4]
    assert not res[5]["ok"] and res[5]["error"]["Code"] == "NoSuchResourceException", res[5]
    assert res[5]["status"] == 400, res[5]


def test_aws_cli(server, account):
    _, key, secret = account
    q = aws_ok(server, "service-quotas", "get-service-quota", "--service-code", "ec2", "--quota-code", VCPUS,
               key=key, secret=secret)["Quota"]
    assert q["Value"] == 32.0 and q["QuotaName"] == VCPU_NAME, q
    rq = aws_ok(server, "service-quotas", "request-service-quota-increase", "--service-code", "ec2",
                "--quota-code", VCPUS, "--desired-value", "48", key=key, secret=secret)["RequestedQuota"]
    assert rq["Status"] == "APPROVED", rq
    back = aws_ok(server, "service-quotas", "get-requested-service-quota-change", "--request-id", rq["Id"],
                  key=key, secret=secret)["RequestedQuota"]
    assert back["DesiredValue"] == 48.0 and back["Status"] == "APPROVED", back
    listed = aws_ok(server, "service-quotas", "list-service-quotas", "--service-code", "ec2",
                    key=key, secret=secret)["Quotas"]
    assert {x["QuotaCode"]: x["Value"] for x in listed} == {VCPUS: 48.0, INSTANCES: 20.0}, listed
    bad = run_aws(server, "service-quotas", "get-service-quota", "--service-code", "ec2", "--quota-code",
                  "L-00000000", key=key, secret=secret)
    assert bad.rc != 0 and "NoSuchResourceException" in bad.stderr, repr(bad)


def test_admin_quota_set_list_and_ceiling(server, account):
    acct = account[0]
    out = admin_ok("quota", "set", "--account", acct, "--region", "us-east-1", "--service", "ec2",
                   "--quota", VCPUS, "--value", "1000", endpoint=server.url)
    assert out == {"AccountId": acct, "Region": "us-east-1", "ServiceCode": "ec2", "QuotaCode": VCPUS,
                   "Value": 1000.0}, out
    # Above the ceiling: the admin's "request form" sets any value.
    assert sq(server, account).get_service_quota(ServiceCode="ec2", QuotaCode=VCPUS)["Quota"]["Value"] == 1000.0
    # Through the running server found by its data directory.
    admin_ok("quota", "set", "--account", acct, "--region", "ap-south-1", "--quota", INSTANCES, "--value", "3",
             data=server.data_dir)
    assert sq(server, account, "ap-south-1").get_service_quota(
        ServiceCode="ec2", QuotaCode=INSTANCES)["Quota"]["Value"] == 3.0
    listed = admin_ok("quota", "list", "--account", acct, "--region", "us-east-1", endpoint=server.url)["Quotas"]
    assert {(x["QuotaCode"], x["Value"], x["Default"], x["Ceiling"]) for x in listed} == {
        (VCPUS, 1000.0, 32.0, 128.0), (INSTANCES, 20.0, 20.0, 80.0)}, listed
    every = admin_ok("quota", "list", "--account", acct, endpoint=server.url)["Quotas"]
    assert {(x["Region"], x["QuotaCode"], x["Value"]) for x in every} == {
        ("*", VCPUS, 32.0), ("*", INSTANCES, 20.0), ("us-east-1", VCPUS, 1000.0), ("ap-south-1", INSTANCES, 3.0)}
    bad = admin("quota", "set", "--account", "999999999999", "--region", "us-east-1", "--quota", VCPUS,
                "--value", "5", endpoint=server.url)
    assert bad.rc != 0 and "InvalidParameterValue" in bad.stderr, repr(bad)
    bad = admin("quota", "set", "--account", acct, "--region", "us-east-1", "--quota", "L-00000000",
                "--value", "5", endpoint=server.url)
    assert bad.rc != 0 and "NoSuchResourceException" in bad.stderr, repr(bad)


def test_admin_ceiling_changes_what_requests_get(factory):
    s = factory.start()
    c = sq(s)
    assert c.request_service_quota_increase(
        ServiceCode="ec2", QuotaCode=VCPUS, DesiredValue=200)["RequestedQuota"]["Status"] == "DENIED"
    out = admin_ok("quota", "ceiling", "--quota", VCPUS, "--value", "256", endpoint=s.url)
    assert out == {"ServiceCode": "ec2", "QuotaCode": VCPUS, "Ceiling": 256.0}, out
    assert c.request_service_quota_increase(
        ServiceCode="ec2", QuotaCode=VCPUS, DesiredValue=200)["RequestedQuota"]["Status"] == "APPROVED"
    assert c.get_service_quota(ServiceCode="ec2", QuotaCode=VCPUS)["Quota"]["Value"] == 200.0


def test_values_survive_a_restart_and_offline_admin(factory):
    s = factory.start()
    rq = sq(s).request_service_quota_increase(ServiceCode="ec2", QuotaCode=VCPUS, DesiredValue=96)["RequestedQuota"]
    admin_ok("quota", "set", "--account", ACCOUNT, "--region", "us-west-2", "--quota", INSTANCES, "--value", "50",
             endpoint=s.url)
    s.stop()
    # On the stopped data directory.
    admin_ok("quota", "set", "--account", ACCOUNT, "--region", "eu-central-1", "--quota", VCPUS, "--value", "7",
             data=s.data_dir)
    ceiling = admin_ok("quota", "ceiling", "--quota", INSTANCES, "--value", "60", data=s.data_dir)
    assert ceiling["Ceiling"] == 60.0, ceiling
    s2 = factory.start(data_dir=s.data_dir)
    assert sq(s2).get_service_quota(ServiceCode="ec2", QuotaCode=VCPUS)["Quota"]["Value"] == 96.0
    assert sq(s2, region="us-west-2").get_service_quota(ServiceCode="ec2", QuotaCode=INSTANCES)["Quota"]["Value"] == 50.0
    assert sq(s2, region="eu-central-1").get_service_quota(ServiceCode="ec2", QuotaCode=VCPUS)["Quota"]["Value"] == 7.0
    assert sq(s2).get_requested_service_quota_change(RequestId=rq["Id"])["RequestedQuota"] == rq
    assert sq(s2).request_service_quota_increase(
        ServiceCode="ec2", QuotaCode=INSTANCES, DesiredValue=61)["RequestedQuota"]["Status"] == "DENIED"
