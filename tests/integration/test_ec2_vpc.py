"""EC2 default VPC, subnets, internet gateway, security groups, DescribeAccountAttributes and
DescribeInstanceTypes through boto3 1.26, boto3 1.43 (where present), boto 2.49 and the AWS CLI v2."""
import ipaddress

import pytest
from botocore.exceptions import ClientError

from integ import aws_ok, boto2_ec2, boto3_143, boto3_client, client_error_code, new_account_and_key, run_aws

ACCOUNT = "000000000000"
# Default subnets by zone name, as AWS lays them out: /20s from 172.31.0.0 in zone order.
CIDRS = {"us-east-1" + z: "172.31.%d.0/20" % (16 * i) for i, z in enumerate("abcdef")}


def default_vpc(ec2):
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    assert len(vpcs) == 1, vpcs
    return vpcs[0]


def check_default_vpc(vpc, owner):
    assert vpc["CidrBlock"] == "172.31.0.0/16"
    assert vpc["IsDefault"] is True
    assert vpc["State"] == "available"
    assert vpc["OwnerId"] == owner
    assert vpc["InstanceTenancy"] == "default"
    assert vpc["DhcpOptionsId"].startswith("dopt-")
    assoc = vpc["CidrBlockAssociationSet"]
    assert [(a["CidrBlock"], a["CidrBlockState"]["State"]) for a in assoc] == [("172.31.0.0/16", "associated")]


# ---- boto3 1.26 ------------------------------------------------------------------------------

def test_boto3_default_vpc_subnets_gateway(server):
    ec2 = boto3_client(server, "ec2")
    vpc = default_vpc(ec2)
    check_default_vpc(vpc, ACCOUNT)
    vpc_id = vpc["VpcId"]
    assert ec2.describe_vpcs(VpcIds=[vpc_id])["Vpcs"][0]["VpcId"] == vpc_id

    zones = {z["ZoneName"]: z["ZoneId"] for z in ec2.describe_availability_zones()["AvailabilityZones"]}
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [vpc_id]}])["Subnets"]
    assert {s["AvailabilityZone"]: s["CidrBlock"] for s in subnets} == CIDRS
    for s in subnets:
        assert s["AvailabilityZoneId"] == zones[s["AvailabilityZone"]]
        assert s["DefaultForAz"] is True and s["MapPublicIpOnLaunch"] is True
        assert s["AvailableIpAddressCount"] == 4091
        assert s["State"] == "available"
        assert s["SubnetArn"] == "arn:aws:ec2:us-east-1:%s:subnet/%s" % (ACCOUNT, s["SubnetId"])
        assert ipaddress.ip_network(s["CidrBlock"]).subnet_of(ipaddress.ip_network("172.31.0.0/16"))
    one = ec2.describe_subnets(Filters=[{"Name": "availability-zone", "Values": ["us-east-1c"]},
                                        {"Name": "default-for-az", "Values": ["true"]}])["Subnets"]
    assert [s["CidrBlock"] for s in one] == ["172.31.32.0/20"]
    page = ec2.describe_subnets(MaxResults=5)
    assert len(page["Subnets"]) == 5
    rest = ec2.describe_subnets(MaxResults=5, NextToken=page["NextToken"])
    assert len(rest["Subnets"]) == 1 and "NextToken" not in rest

    igws = ec2.describe_internet_gateways(
        Filters=[{"Name": "attachment.vpc-id", "Values": [vpc_id]}])["InternetGateways"]
    assert len(igws) == 1
    assert igws[0]["Attachments"] == [{"State": "available", "VpcId": vpc_id}]

    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs(VpcIds=["vpc-0123456789abcdef0"])
    assert client_error_code(e) == "InvalidVpcID.NotFound"
    with pytest.raises(ClientError) as e:
        ec2.describe_subnets(SubnetIds=["subnet-0123456789abcdef0"])
    assert client_error_code(e) == "InvalidSubnetID.NotFound"


def test_boto3_default_security_group(server):
    ec2 = boto3_client(server, "ec2")
    vpc_id = default_vpc(ec2)["VpcId"]
    groups = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"]
    assert len(groups) == 1
    g = groups[0]
    assert g["Description"] == "default VPC security group"
    assert g["VpcId"] == vpc_id and g["OwnerId"] == ACCOUNT
    assert [(p["IpProtocol"], p["UserIdGroupPairs"][0]["GroupId"]) for p in g["IpPermissions"]] == \
        [("-1", g["GroupId"])]
    assert [(p["IpProtocol"], p["IpRanges"]) for p in g["IpPermissionsEgress"]] == \
        [("-1", [{"CidrIp": "0.0.0.0/0"}])]
    with pytest.raises(ClientError) as e:
        ec2.delete_security_group(GroupId=g["GroupId"])
    assert client_error_code(e) == "CannotDelete"


def test_boto3_security_group_lifecycle(server):
    ec2 = boto3_client(server, "ec2")
    vpc_id = default_vpc(ec2)["VpcId"]
    made = ec2.create_security_group(
        GroupName="it-web", Description="web servers",
        TagSpecifications=[{"ResourceType": "security-group", "Tags": [{"Key": "env", "Value": "it"}]}])
    gid = made["GroupId"]
    try:
        assert gid.startswith("sg-")
        assert made["Tags"] == [{"Key": "env", "Value": "it"}]
        with pytest.raises(ClientError) as e:
            ec2.create_security_group(GroupName="it-web", Description="again")
        assert client_error_code(e) == "InvalidGroup.Duplicate"
        with pytest.raises(ClientError) as e:
            ec2.create_security_group(GroupName="default", Description="d")
        assert client_error_code(e) == "InvalidGroup.Reserved"

        auth = ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
             "IpRanges": [{"CidrIp": "10.1.2.3/8", "Description": "ssh"}]}])
        assert auth["Return"] is True
        rules = auth["SecurityGroupRules"]
        assert len(rules) == 1 and rules[0]["SecurityGroupRuleId"].startswith("sgr-")
        assert (rules[0]["CidrIpv4"], rules[0]["FromPort"], rules[0]["ToPort"], rules[0]["IsEgress"]) == \
            ("10.0.0.0/8", 22, 22, False)
        ec2.authorize_security_group_ingress(GroupId=gid, IpProtocol="tcp", FromPort=443, ToPort=443,
                                             CidrIp="0.0.0.0/0")
        with pytest.raises(ClientError) as e:
            ec2.authorize_security_group_ingress(GroupId=gid, IpProtocol="tcp", FromPort=22, ToPort=22,
                                                 CidrIp="10.0.0.0/8")
        assert client_error_code(e) == "InvalidPermission.Duplicate"

        g = ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]
        assert g["GroupName"] == "it-web" and g["VpcId"] == vpc_id
        assert g["Tags"] == [{"Key": "env", "Value": "it"}]
        perms = sorted((p["IpProtocol"], p["FromPort"], p["ToPort"], [r["CidrIp"] for r in p["IpRanges"]])
                       for p in g["IpPermissions"])
        assert perms == [("tcp", 22, 22, ["10.0.0.0/8"]), ("tcp", 443, 443, ["0.0.0.0/0"])]
        found = ec2.describe_security_groups(Filters=[{"Name": "ip-permission.to-port", "Values": ["443"]}])
        assert [x["GroupId"] for x in found["SecurityGroups"]] == [gid]
        found = ec2.describe_security_groups(Filters=[{"Name": "tag:env", "Values": ["it"]}])
        assert [x["GroupId"] for x in found["SecurityGroups"]] == [gid]

        revoked = ec2.revoke_security_group_ingress(GroupId=gid, IpProtocol="tcp", FromPort=22, ToPort=22,
                                                    CidrIp="10.0.0.0/8")
        assert revoked["Return"] is True
        with pytest.raises(ClientError) as e:
            ec2.revoke_security_group_ingress(GroupId=gid, IpProtocol="tcp", FromPort=22, ToPort=22,
                                              CidrIp="10.0.0.0/8")
        assert client_error_code(e) == "InvalidPermission.NotFound"

        ec2.revoke_security_group_egress(GroupId=gid, IpPermissions=[
            {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
        ec2.authorize_security_group_egress(GroupId=gid, IpPermissions=[
            {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "IpRanges": [{"CidrIp": "10.0.0.2/32"}]}])
        g = ec2.describe_security_groups(GroupIds=[gid])["SecurityGroups"][0]
        assert [(p["IpProtocol"], p["FromPort"]) for p in g["IpPermissionsEgress"]] == [("udp", 53)]
        assert [p["FromPort"] for p in g["IpPermissions"]] == [443]
    finally:
        ec2.delete_security_group(GroupId=gid)
    with pytest.raises(ClientError) as e:
        ec2.describe_security_groups(GroupIds=[gid])
    assert client_error_code(e) == "InvalidGroup.NotFound"
    with pytest.raises(ClientError) as e:
        ec2.delete_security_group(GroupId=gid)
    assert client_error_code(e) == "InvalidGroup.NotFound"


def test_boto3_group_referenced_by_another_cannot_be_deleted(server):
    ec2 = boto3_client(server, "ec2")
    app = ec2.create_security_group(GroupName="it-app", Description="app")["GroupId"]
    db = ec2.create_security_group(GroupName="it-db", Description="db")["GroupId"]
    try:
        ec2.authorize_security_group_ingress(GroupId=db, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": app}]}])
        with pytest.raises(ClientError) as e:
            ec2.delete_security_group(GroupId=app)
        assert client_error_code(e) == "DependencyViolation"
    finally:
        ec2.delete_security_group(GroupName="it-db")
        ec2.delete_security_group(GroupId=app)
    names = [g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]]
    assert names == ["default"]


def test_boto3_account_attributes_and_instance_types(server):
    ec2 = boto3_client(server, "ec2")
    attrs = {a["AttributeName"]: [v["AttributeValue"] for v in a["AttributeValues"]]
             for a in ec2.describe_account_attributes()["AccountAttributes"]}
    assert attrs["supported-platforms"] == ["VPC"]
    assert attrs["default-vpc"] == [default_vpc(ec2)["VpcId"]]
    assert attrs["max-instances"] == ["20"]
    assert attrs["vpc-max-security-groups-per-interface"] == ["5"]
    assert attrs["max-elastic-ips"] == ["5"] and attrs["vpc-max-elastic-ips"] == ["5"]

    t = ec2.describe_instance_types(InstanceTypes=["m5.large"])["InstanceTypes"]
    assert len(t) == 1
    assert t[0]["VCpuInfo"]["DefaultVCpus"] == 2 and t[0]["MemoryInfo"]["SizeInMiB"] == 8192
    assert t[0]["ProcessorInfo"]["SupportedArchitectures"] == ["x86_64"]
    assert t[0]["BurstablePerformanceSupported"] is False
    with pytest.raises(ClientError) as e:
        ec2.describe_instance_types(InstanceTypes=["x9.huge"])
    assert client_error_code(e) == "InvalidInstanceType"
    names = []
    for page in ec2.get_paginator("describe_instance_types").paginate(PaginationConfig={"PageSize": 5}):
        assert len(page["InstanceTypes"]) <= 5
        names += [x["InstanceType"] for x in page["InstanceTypes"]]
    assert len(names) == len(set(names)) and {"t2.micro", "t3.micro", "m5.large", "t4g.micro"} <= set(names)


def test_two_accounts_get_their_own_default_vpc(server):
    _, key, secret = new_account_and_key(server)
    mine = default_vpc(boto3_client(server, "ec2"))
    other = boto3_client(server, "ec2", key=key, secret=secret)
    theirs = default_vpc(other)
    assert theirs["CidrBlock"] == "172.31.0.0/16"
    assert theirs["VpcId"] != mine["VpcId"]
    assert theirs["OwnerId"] != ACCOUNT
    # My groups are not theirs.
    gid = boto3_client(server, "ec2").create_security_group(GroupName="it-mine", Description="m")["GroupId"]
    try:
        with pytest.raises(ClientError) as e:
            other.describe_security_groups(GroupIds=[gid])
        assert client_error_code(e) == "InvalidGroup.NotFound"
    finally:
        boto3_client(server, "ec2").delete_security_group(GroupId=gid)


# ---- boto3 1.43 ------------------------------------------------------------------------------

def test_boto3_143_vpcs_and_groups(server):
    res = boto3_143(server, [
        ("describe_vpcs", {}),
        ("describe_subnets", {"Filters": [{"Name": "availability-zone", "Values": ["us-east-1b"]}]}),
        ("create_security_group", {"GroupName": "it-143", "Description": "new boto3"}),
        ("describe_security_groups", {"GroupNames": ["it-143"]}),
        ("delete_security_group", {"GroupName": "it-143"}),
        ("describe_security_groups", {"GroupNames": ["it-143"]}),
    ], "ec2")
    assert all(r["ok"] for r in res[:5]), res
    assert [v["CidrBlock"] for v in res[0]["response"]["Vpcs"]] == ["172.31.0.0/16"]
    assert [s["CidrBlock"] for s in res[1]["response"]["Subnets"]] == ["172.31.16.0/20"]
    gid = res[2]["response"]["GroupId"]
    assert res[3]["response"]["SecurityGroups"][0]["GroupId"] == gid
    assert res[4]["response"]["Return"] is True
    assert not res[5]["ok"] and "InvalidGroup.NotFound" in str(res[5]["error"])


# ---- boto 2.49 -------------------------------------------------------------------------------

def test_boto2_security_groups(server):
    ec2 = boto2_ec2(server)
    default = [g for g in ec2.get_all_security_groups() if g.name == "default"]
    assert len(default) == 1 and default[0].vpc_id.startswith("vpc-")
    g = ec2.create_security_group("it-boto2", "from boto 2")
    try:
        assert g.id.startswith("sg-")
        assert g.authorize(ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="192.168.0.0/16") is True
        assert ec2.authorize_security_group(group_id=g.id, src_security_group_group_id=default[0].id,
                                            ip_protocol="tcp", from_port=80, to_port=80) is True
        got = ec2.get_all_security_groups(group_ids=[g.id])[0]
        assert got.name == "it-boto2" and got.description == "from boto 2"
        rules = sorted((r.ip_protocol, r.from_port, r.to_port, [str(x) for x in r.grants]) for r in got.rules)
        assert rules[0][:3] == ("tcp", "22", "22") and rules[0][3] == ["192.168.0.0/16"]
        assert rules[1][:3] == ("tcp", "80", "80") and default[0].id in rules[1][3][0]
        assert len(got.rules_egress) == 1
        assert g.revoke(ip_protocol="tcp", from_port=22, to_port=22, cidr_ip="192.168.0.0/16") is True
        assert ec2.revoke_security_group(group_id=g.id, src_security_group_group_id=default[0].id,
                                         ip_protocol="tcp", from_port=80, to_port=80) is True
        assert ec2.get_all_security_groups(group_ids=[g.id])[0].rules == []
    finally:
        assert ec2.delete_security_group(group_id=g.id) is True
    assert "it-boto2" not in [x.name for x in ec2.get_all_security_groups()]


def test_boto2_vpc_and_account_attributes(server):
    ec2 = boto2_ec2(server)
    attrs = {a.attribute_name: a.attribute_values for a in ec2.describe_account_attributes()}
    assert attrs["supported-platforms"] == ["VPC"]
    assert attrs["default-vpc"][0].startswith("vpc-")
    zones = sorted(z.name for z in ec2.get_all_zones())
    assert zones == sorted(CIDRS)


# ---- AWS CLI v2 ------------------------------------------------------------------------------

def test_cli_describe_vpcs_attributes_instance_types(server):
    vpcs = aws_ok(server, "ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true")["Vpcs"]
    assert len(vpcs) == 1
    check_default_vpc(vpcs[0], ACCOUNT)
    attrs = aws_ok(server, "ec2", "describe-account-attributes", "--attribute-names", "default-vpc",
                   "max-instances")["AccountAttributes"]
    got = {a["AttributeName"]: [v["AttributeValue"] for v in a["AttributeValues"]] for a in attrs}
    assert got == {"default-vpc": [vpcs[0]["VpcId"]], "max-instances": ["20"]}
    types = aws_ok(server, "ec2", "describe-instance-types", "--filters",
                   "Name=processor-info.supported-architecture,Values=arm64")["InstanceTypes"]
    assert sorted(t["InstanceType"] for t in types) == ["t4g.micro", "t4g.small"]
    # The CLI pages through every type on its own.
    every = aws_ok(server, "ec2", "describe-instance-types", "--page-size", "5")["InstanceTypes"]
    assert len(every) == len({t["InstanceType"] for t in every}) >= 30
    subnets = aws_ok(server, "ec2", "describe-subnets")["Subnets"]
    assert {s["AvailabilityZone"]: s["CidrBlock"] for s in subnets} == CIDRS
    r = run_aws(server, "ec2", "describe-instance-types", "--instance-types", "x9.huge")
    assert r.rc != 0 and "InvalidInstanceType" in r.stderr


def test_cli_security_group(server):
    gid = aws_ok(server, "ec2", "create-security-group", "--group-name", "it-cli",
                 "--description", "from the CLI")["GroupId"]
    try:
        out = aws_ok(server, "ec2", "authorize-security-group-ingress", "--group-id", gid, "--protocol", "tcp",
                     "--port", "8080", "--cidr", "10.0.0.0/16")
        assert out["Return"] is True and out["SecurityGroupRules"][0]["FromPort"] == 8080
        g = aws_ok(server, "ec2", "describe-security-groups", "--group-ids", gid)["SecurityGroups"][0]
        assert [(p["FromPort"], p["IpRanges"][0]["CidrIp"]) for p in g["IpPermissions"]] == [(8080, "10.0.0.0/16")]
    finally:
        run_aws(server, "ec2", "delete-security-group", "--group-id", gid)
    r = run_aws(server, "ec2", "delete-security-group", "--group-id", gid)
    assert r.rc != 0 and "InvalidGroup.NotFound" in r.stderr
