"""CreateTags, DeleteTags and DescribeTags on every kind of EC2 resource, through boto3, boto 2.49
and the AWS CLI v2, with AWS's limits."""
import pytest

from integ import aws_ok, boto2_ec2, boto3_client, client_error_code, run_aws

IMAGE = "ami-829c16bb182fd27b6"


def test_tags_on_every_kind_through_three_clients(server):
    ec2 = boto3_client(server, "ec2")
    iid = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    kid = ec2.create_key_pair(KeyName="tagged-key")["KeyPairId"]
    vpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    sg = ec2.create_security_group(GroupName="tagged", Description="d")["GroupId"]
    ami = ec2.register_image(Name="tagged-image", RootDeviceName="/dev/xvda", Architecture="x86_64",
                             VirtualizationType="hvm")["ImageId"]
    ids = [iid, kid, vpc, subnet, sg, ami]
    ec2.create_tags(Resources=ids, Tags=[{"Key": "team", "Value": "ops"}, {"Key": "env", "Value": "prod"}])
    tags = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["team"]}])["Tags"]
    assert sorted((t["ResourceId"], t["ResourceType"]) for t in tags) == sorted(
        [(iid, "instance"), (kid, "key-pair"), (vpc, "vpc"), (subnet, "subnet"), (sg, "security-group"),
         (ami, "image")])
    only = ec2.describe_tags(Filters=[{"Name": "resource-type", "Values": ["instance"]},
                                      {"Name": "value", "Values": ["pr*"]}])["Tags"]
    assert only == [{"Key": "env", "ResourceId": iid, "ResourceType": "instance", "Value": "prod"}]
    # The tags show on the resources themselves, and filter them.
    inst = ec2.describe_instances(Filters=[{"Name": "tag:team", "Values": ["ops"]}])["Reservations"]
    assert [i["InstanceId"] for r in inst for i in r["Instances"]] == [iid]
    assert {"Key": "env", "Value": "prod"} in ec2.describe_key_pairs(KeyNames=["tagged-key"])["KeyPairs"][0]["Tags"]

    # DeleteTags: a value that does not match leaves the tag; no value removes it.
    ec2.delete_tags(Resources=[iid], Tags=[{"Key": "team", "Value": "dev"}])
    assert len(ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [iid]}])["Tags"]) == 2
    ec2.delete_tags(Resources=[iid], Tags=[{"Key": "team"}])
    assert [t["Key"] for t in ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [iid]}])["Tags"]] == ["env"]

    # boto 2
    conn = boto2_ec2(server)
    conn.create_tags([iid], {"Name": "from-boto2"})
    got = {t.name: t.value for t in conn.get_all_tags(filters={"resource-id": iid})}
    assert got == {"env": "prod", "Name": "from-boto2"}
    conn.delete_tags([iid], {"Name": None})
    assert {t.name for t in conn.get_all_tags(filters={"resource-id": iid})} == {"env"}

    # AWS CLI v2
    aws_ok(server, "ec2", "create-tags", "--resources", sg, "--tags", "Key=cli,Value=yes")
    out = aws_ok(server, "ec2", "describe-tags", "--filters", "Name=key,Values=cli")
    assert [(t["ResourceId"], t["Value"]) for t in out["Tags"]] == [(sg, "yes")]


def test_tag_limits_and_unknown_ids_change_nothing(server):
    ec2 = boto3_client(server, "ec2")
    iid = ec2.run_instances(ImageId=IMAGE, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    before = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [iid]}])["Tags"]
    cases = [
        (dict(Resources=[iid], Tags=[{"Key": "aws:reserved", "Value": "x"}]), "InvalidParameterValue"),
        (dict(Resources=[iid], Tags=[{"Key": "k" * 129, "Value": "x"}]), "InvalidParameterValue"),
        (dict(Resources=[iid], Tags=[{"Key": "k", "Value": "v" * 257}]), "InvalidParameterValue"),
        (dict(Resources=[iid], Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(51)]), "TagLimitExceeded"),
        (dict(Resources=[iid, "i-0123456789abcdef0"], Tags=[{"Key": "a", "Value": "b"}]), "InvalidInstanceID.NotFound"),
        (dict(Resources=["sg-0123456789abcdef0"], Tags=[{"Key": "a", "Value": "b"}]), "InvalidGroup.NotFound"),
        (dict(Resources=["nonsense"], Tags=[{"Key": "a", "Value": "b"}]), "InvalidID"),
    ]
    for params, code in cases:
        with pytest.raises(Exception) as e:
            ec2.create_tags(**params)
        assert client_error_code(e) == code, (params, code)
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [iid]}])["Tags"] == before
    bad = run_aws(server, "ec2", "describe-tags", "--filters", "Name=no-such,Values=x")
    assert bad.rc != 0 and "InvalidParameterValue" in bad.stderr
