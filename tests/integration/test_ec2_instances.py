"""EC2 instances on the none driver through boto 2.49, boto3 (1.26 and 1.43 where present) and
the AWS CLI v2: launch against the quota, lifecycle, termination protection, filters,
attributes, bad input, restart and the test-rig reset."""
import json
import time

import pytest

from integ import (KEY, SECRET, aws_ok, boto2_ec2, boto3_143, boto3_client, client_error_code,
                   http_request, new_account_and_key, py143, run_aws)

IMAGE = "ami-829c16bb182fd27b6"  # the built-in busybox image (src/services/ec2/images.h)
FLAGS = ["--lifecycle-delay-ms", "50", "--allow-reset"]


@pytest.fixture(scope="module")
def srv(module_factory):
    return module_factory.start(FLAGS)


@pytest.fixture()
def fresh(srv):
    """Each test starts from an empty cloud (the reset endpoint, which is itself under test)."""
    status, _, body = http_request(srv, "POST", "/_overcast/reset")
    assert status == 200, body
    return srv


def wait_states(ec2, ids, state, timeout=20):
    deadline = time.time() + timeout
    while True:
        got = {}
        for r in ec2.describe_instances(InstanceIds=ids)["Reservations"]:
            for i in r["Instances"]:
                got[i["InstanceId"]] = i["State"]["Name"]
        if all(got.get(i) == state for i in ids):
            return got
        assert time.time() < deadline, "instances did not reach %s: %s" % (state, got)
        time.sleep(0.05)


def all_instances(ec2, **kw):
    return [i for r in ec2.describe_instances(**kw)["Reservations"] for i in r["Instances"]]


def test_boto2_quota_filters_and_termination_protection(fresh):
    """The closing note's script: min/max against the 20-instance quota, filters, protection."""
    import boto.exception
    conn = boto2_ec2(fresh)
    r1 = conn.run_instances(IMAGE, min_count=18, max_count=18, instance_type="t2.micro")
    assert len(r1.instances) == 18
    r2 = conn.run_instances(IMAGE, min_count=2, max_count=5, instance_type="t2.micro")
    assert len(r2.instances) == 2  # 20 now: exactly 2 of the 5 fit
    with pytest.raises(boto.exception.EC2ResponseError) as e:
        conn.run_instances(IMAGE, min_count=1, max_count=1)
    assert e.value.error_code == "InstanceLimitExceeded"
    assert len(conn.get_only_instances()) == 20

    web = r2.instances[0]
    for _ in range(200):
        web.update()
        if web.state == "running":
            break
        time.sleep(0.05)
    assert web.state == "running" and web.state_code == 16
    conn.create_tags([web.id], {"Name": "web", "env": "prod"})
    found = conn.get_only_instances(filters={"tag:Name": "web"})
    assert [i.id for i in found] == [web.id]
    assert found[0].tags == {"Name": "web", "env": "prod"}
    assert len(conn.get_only_instances(filters={"instance-type": "t2.*"})) == 20
    assert len(conn.get_only_instances(filters={"reservation-id": r1.id})) == 18
    assert len(conn.get_all_reservations(filters={"instance-state-name": ["running", "pending"]})) == 2

    assert conn.modify_instance_attribute(web.id, "disableApiTermination", True)
    attr = conn.get_instance_attribute(web.id, "disableApiTermination")
    assert attr["disableApiTermination"] is True
    with pytest.raises(boto.exception.EC2ResponseError) as e:
        conn.terminate_instances([web.id])
    assert e.value.error_code == "OperationNotPermitted"
    assert "may not be terminated" in e.value.message
    assert conn.modify_instance_attribute(web.id, "disableApiTermination", False)
    done = conn.terminate_instances([web.id])
    assert [i.id for i in done] == [web.id]


def test_boto3_lifecycle_and_status(fresh):
    ec2 = boto3_client(fresh, "ec2")
    res = ec2.run_instances(ImageId=IMAGE, MinCount=2, MaxCount=2, InstanceType="t3.micro",
                            TagSpecifications=[{"ResourceType": "instance",
                                                "Tags": [{"Key": "Name", "Value": "app"}]}],
                            UserData="#!/bin/sh\necho hello\n")
    ids = [i["InstanceId"] for i in res["Instances"]]
    assert all(i["State"] == {"Code": 0, "Name": "pending"} for i in res["Instances"])
    assert res["ReservationId"].startswith("r-") and res["OwnerId"] == "000000000000"
    waiter = ec2.get_waiter("instance_running")
    waiter.wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    inst = all_instances(ec2, InstanceIds=ids)[0]
    for field in ("PrivateIpAddress", "PublicIpAddress", "PrivateDnsName", "PublicDnsName", "SubnetId", "VpcId",
                  "LaunchTime", "Placement", "SecurityGroups", "BlockDeviceMappings", "MetadataOptions", "CpuOptions"):
        assert field in inst, field
    assert inst["PrivateIpAddress"].startswith("172.31.")
    assert inst["PrivateDnsName"].endswith(".ec2.internal")
    assert inst["RootDeviceType"] == "ebs" and inst["Architecture"] == "x86_64"
    ud = ec2.describe_instance_attribute(InstanceId=ids[0], Attribute="userData")
    import base64
    assert base64.b64decode(ud["UserData"]["Value"]) == b"#!/bin/sh\necho hello\n"
    statuses = ec2.describe_instance_status(InstanceIds=ids)["InstanceStatuses"]
    assert {s["InstanceStatus"]["Status"] for s in statuses} == {"ok"}

    stopping = ec2.stop_instances(InstanceIds=[ids[0]])["StoppingInstances"][0]
    assert stopping["PreviousState"]["Name"] == "running" and stopping["CurrentState"]["Name"] == "stopping"
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[ids[0]], WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    with pytest.raises(Exception) as e:
        ec2.modify_instance_attribute(InstanceId=ids[1], InstanceType={"Value": "t3.large"})
    assert client_error_code(e) == "IncorrectInstanceState"
    ec2.modify_instance_attribute(InstanceId=ids[0], InstanceType={"Value": "t3.large"})
    ec2.modify_instance_attribute(InstanceId=ids[0], UserData={"Value": b"new data"})
    ud = ec2.describe_instance_attribute(InstanceId=ids[0], Attribute="userData")
    assert base64.b64decode(ud["UserData"]["Value"]) == b"new data"
    ec2.start_instances(InstanceIds=[ids[0]])
    wait_states(ec2, [ids[0]], "running")
    assert all_instances(ec2, InstanceIds=[ids[0]])[0]["InstanceType"] == "t3.large"
    ec2.reboot_instances(InstanceIds=ids)
    term = ec2.terminate_instances(InstanceIds=ids)["TerminatingInstances"]
    assert {t["CurrentState"]["Name"] for t in term} == {"shutting-down"}
    ec2.get_waiter("instance_terminated").wait(InstanceIds=ids, WaiterConfig={"Delay": 1, "MaxAttempts": 20})
    gone = all_instances(ec2, Filters=[{"Name": "instance-state-code", "Values": ["48"]}])
    assert sorted(i["InstanceId"] for i in gone) == sorted(ids)


def test_boto3_termination_protection_across_zones(fresh):
    ec2 = boto3_client(fresh, "ec2")
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]

    def launch(zone, protect=False):
        return ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, Placement={"AvailabilityZone": zone},
                                 DisableApiTermination=protect)["Instances"][0]["InstanceId"]
    a1, a2, b1 = launch(zones[0], True), launch(zones[0]), launch(zones[1])
    wait_states(ec2, [a1, a2, b1], "running")
    with pytest.raises(Exception) as e:
        ec2.terminate_instances(InstanceIds=[a1, a2, b1])
    assert client_error_code(e) == "OperationNotPermitted"
    states = wait_states(ec2, [b1], "terminated")
    states = {i["InstanceId"]: i["State"]["Name"] for i in all_instances(ec2, InstanceIds=[a1, a2, b1])}
    assert states == {a1: "running", a2: "running", b1: "terminated"}


def test_boto3_filters_pagination_and_wildcards(fresh):
    ec2 = boto3_client(fresh, "ec2")
    for k in range(4):
        ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3, InstanceType="t2.micro" if k % 2 else "t2.small",
                          TagSpecifications=[{"ResourceType": "instance",
                                              "Tags": [{"Key": "Name", "Value": "group-%d" % k}]}])
    assert len(all_instances(ec2)) == 12

    def count(*filters):
        return len(all_instances(ec2, Filters=[{"Name": n, "Values": v} for n, v in filters]))
    assert count(("tag:Name", ["group-1"])) == 3
    assert count(("tag:Name", ["group-?"])) == 12
    assert count(("tag:Name", ["group-1", "group-2"])) == 6
    assert count(("tag:Name", ["group-*"]), ("instance-type", ["t2.micro"])) == 6
    assert count(("tag-key", ["Name"])) == 12
    assert count(("image-id", [IMAGE])) == 12
    assert count(("private-ip-address", ["172.31.*"])) == 12
    assert count(("availability-zone", ["us-east-1*"])) == 12
    assert count(("launch-time", ["20*"])) == 12
    one = all_instances(ec2)[0]
    assert count(("instance-id", [one["InstanceId"]])) == 1
    assert count(("vpc-id", [one["VpcId"]])) == 12
    assert count(("instance.group-id", [one["SecurityGroups"][0]["GroupId"]])) == 12
    assert count(("architecture", ["x86_64"]), ("root-device-type", ["ebs"])) == 12
    pages = ec2.get_paginator("describe_instances").paginate(PaginationConfig={"PageSize": 5})
    seen = [i["InstanceId"] for p in pages for r in p["Reservations"] for i in r["Instances"]]
    assert len(seen) == 12 and len(set(seen)) == 12
    with pytest.raises(Exception) as e:
        ec2.describe_instances(Filters=[{"Name": "bogus-filter", "Values": ["x"]}])
    assert client_error_code(e) == "InvalidParameterValue"


def test_bad_input_changes_nothing(fresh):
    ec2 = boto3_client(fresh, "ec2")
    cases = [
        (dict(ImageId=IMAGE, MinCount=3, MaxCount=2), "InvalidParameterValue"),
        (dict(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t9.enormous"), "InvalidParameterValue"),
        (dict(ImageId="ami-00000000000000000", MinCount=1, MaxCount=1), "InvalidAMIID.NotFound"),
        (dict(ImageId="not-an-ami", MinCount=1, MaxCount=1), "InvalidAMIID.Malformed"),
        (dict(ImageId=IMAGE, MinCount=1, MaxCount=1, KeyName="no-such-key"), "InvalidKeyPair.NotFound"),
        (dict(ImageId=IMAGE, MinCount=1, MaxCount=1, Placement={"AvailabilityZone": "us-east-1z"}),
         "InvalidParameterValue"),
        (dict(ImageId=IMAGE, MinCount=1, MaxCount=1, UserData="x" * (16 * 1024 + 1)), "InvalidParameterValue"),
        (dict(ImageId=IMAGE, MinCount=1, MaxCount=1, DryRun=True), "DryRunOperation"),
    ]
    for params, code in cases:
        with pytest.raises(Exception) as e:
            ec2.run_instances(**params)
        assert client_error_code(e) == code, (params, code)
    for call, params, code in [
        (ec2.terminate_instances, dict(InstanceIds=["i-nothex"]), "InvalidInstanceID.Malformed"),
        (ec2.terminate_instances, dict(InstanceIds=["i-0123456789abcdef0"]), "InvalidInstanceID.NotFound"),
        (ec2.stop_instances, dict(InstanceIds=["i-0123456789abcdef0"]), "InvalidInstanceID.NotFound"),
        (ec2.describe_instances, dict(InstanceIds=["i-0123456789abcdef0"]), "InvalidInstanceID.NotFound"),
        (ec2.describe_instance_attribute, dict(InstanceId="i-0123456789abcdef0", Attribute="instanceType"),
         "InvalidInstanceID.NotFound"),
    ]:
        with pytest.raises(Exception) as e:
            call(**params)
        assert client_error_code(e) == code, (params, code)
    assert all_instances(ec2) == []

    # Another account's instance is not found, and untouched.
    acct, key, secret = new_account_and_key(fresh)
    theirs = boto3_client(fresh, "ec2", key=key, secret=secret)
    tid = theirs.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    for call in (ec2.terminate_instances, ec2.stop_instances):
        with pytest.raises(Exception) as e:
            call(InstanceIds=[tid])
        assert client_error_code(e) == "InvalidInstanceID.NotFound"
    assert all_instances(ec2) == []
    assert [i["InstanceId"] for i in all_instances(theirs)] == [tid]


def test_cli_v2_run_describe_terminate(fresh):
    out = aws_ok(fresh, "ec2", "run-instances", "--image-id", IMAGE, "--count", "2", "--instance-type", "t2.micro",
                 "--tag-specifications", "ResourceType=instance,Tags=[{Key=Name,Value=cli}]")
    ids = [i["InstanceId"] for i in out["Instances"]]
    assert len(ids) == 2
    got = aws_ok(fresh, "ec2", "describe-instances", "--filters", "Name=tag:Name,Values=cli",
                 "--query", "Reservations[].Instances[].InstanceId")
    assert sorted(got) == sorted(ids)
    aws_ok(fresh, "ec2", "wait", "instance-running", "--instance-ids", *ids)
    attr = aws_ok(fresh, "ec2", "describe-instance-attribute", "--instance-id", ids[0], "--attribute", "instanceType")
    assert attr["InstanceType"]["Value"] == "t2.micro"
    term = aws_ok(fresh, "ec2", "terminate-instances", "--instance-ids", *ids)
    assert {t["CurrentState"]["Name"] for t in term["TerminatingInstances"]} == {"shutting-down"}
    bad = run_aws(fresh, "ec2", "describe-instances", "--instance-ids", "i-0123456789abcdef0")
    assert bad.rc != 0 and "InvalidInstanceID.NotFound" in bad.stderr


def test_client_token_is_idempotent(fresh):
    ec2 = boto3_client(fresh, "ec2")
    a = ec2.run_instances(ImageId=IMAGE, MinCount=2, MaxCount=2, ClientToken="deploy-42")
    b = ec2.run_instances(ImageId=IMAGE, MinCount=2, MaxCount=2, ClientToken="deploy-42")
    assert a["ReservationId"] == b["ReservationId"]
    assert sorted(i["InstanceId"] for i in a["Instances"]) == sorted(i["InstanceId"] for i in b["Instances"])
    assert len(all_instances(ec2)) == 2
    with pytest.raises(Exception) as e:
        ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, ClientToken="deploy-42")
    assert client_error_code(e) == "IdempotentParameterMismatch"


def test_vcpu_quota_model(factory):
    s = factory.start(["--quota-model", "vcpus"])
    ec2 = boto3_client(s, "ec2")
    res = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=40, InstanceType="m5.large")
    assert len(res["Instances"]) == 16  # 32 vCPUs / 2
    with pytest.raises(Exception) as e:
        ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1, InstanceType="t2.micro")
    assert client_error_code(e) == "VcpuLimitExceeded"


def test_kill9_keeps_instances_and_resumes_boots(factory):
    s = factory.start(["--lifecycle-delay-ms", "3000"])
    ec2 = boto3_client(s, "ec2")
    ids = [i["InstanceId"] for i in ec2.run_instances(ImageId=IMAGE, MinCount=3, MaxCount=3)["Instances"]]
    s2 = factory.restart(s, kill9=True, args=["--lifecycle-delay-ms", "50"])
    ec2 = boto3_client(s2, "ec2")
    assert sorted(i["InstanceId"] for i in all_instances(ec2)) == sorted(ids)
    wait_states(ec2, ids, "running", timeout=30)


def test_reset_endpoint(factory, fresh):
    ec2 = boto3_client(fresh, "ec2")
    sqs = boto3_client(fresh, "sqs")
    sns = boto3_client(fresh, "sns")
    ec2.run_instances(ImageId=IMAGE, MinCount=2, MaxCount=2)
    sqs.create_queue(QueueName="jobs")
    sns.create_topic(Name="events")
    quotas = boto3_client(fresh, "service-quotas")
    quotas.request_service_quota_increase(ServiceCode="ec2", QuotaCode="L-OVERCAST-INSTANCES", DesiredValue=40)
    assert quotas.get_service_quota(ServiceCode="ec2", QuotaCode="L-OVERCAST-INSTANCES")["Quota"]["Value"] == 40
    status, _, body = http_request(fresh, "POST", "/moto-api/reset")
    assert status == 200, body
    assert all_instances(ec2) == []
    assert sqs.list_queues().get("QueueUrls", []) == []
    assert sns.list_topics()["Topics"] == []
    sqs.create_queue(QueueName="jobs")  # no QueueDeletedRecently after a reset
    assert quotas.get_service_quota(ServiceCode="ec2", QuotaCode="L-OVERCAST-INSTANCES")["Quota"]["Value"] == 20
    images = ec2.describe_images(ImageIds=[IMAGE])["Images"]
    assert [i["ImageId"] for i in images] == [IMAGE]  # platform images stay
    # Without --allow-reset the endpoint refuses.
    plain = factory.start()
    status, _, _ = http_request(plain, "POST", "/_overcast/reset")
    assert status == 403


def test_boto3_143_when_present(fresh):
    if not py143():
        pytest.skip("SKIP: boto3 1.43 (python3 on PATH) not present")
    out = boto3_143(fresh, [("run_instances", {"ImageId": IMAGE, "MinCount": 1, "MaxCount": 1}),
                            ("describe_instances", {})], "ec2")
    assert out[0]["ok"], out[0]
    iid = out[0]["response"]["Instances"][0]["InstanceId"]
    listed = [i["InstanceId"] for r in out[1]["response"]["Reservations"] for i in r["Instances"]]
    assert listed == [iid]
