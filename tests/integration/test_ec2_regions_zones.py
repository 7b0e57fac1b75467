"""EC2 DescribeRegions and DescribeAvailabilityZones through all four clients (and CLI v1)."""
import re

import pytest

from integ import aws_ok, boto2_ec2, boto3_143, boto3_client, require_aws_v1

# Regions that every AWS account has enabled (no opt-in): DescribeRegions must list them all.
CORE_REGIONS = {
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
    "ap-south-1",
}
# Zones as AWS has them: region -> (zone letters, zone id prefix).
ZONES = {
    "us-east-1": ("abcdef", "use1"),
    "us-east-2": ("abc", "use2"),
    "us-west-2": ("abcd", "usw2"),
    "eu-west-1": ("abc", "euw1"),
    "eu-central-1": ("abc", "euc1"),
}
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


def check_regions(names):
    names = list(names)
    assert len(names) == len(set(names)), names
    missing = CORE_REGIONS - set(names)
    assert not missing, "missing regions %s in %s" % (sorted(missing), names)
    for n in names:
        assert REGION_RE.match(n), n
        assert not n.startswith(("us-gov-", "cn-", "us-iso")), "not a commercial region: " + n


def check_zones(region, zones):
    """zones: list of (name, id, state, region)."""
    letters, prefix = ZONES[region]
    names = sorted(z[0] for z in zones)
    assert names == [region + c for c in letters], (region, zones)
    ids = sorted(z[1] for z in zones)
    assert ids == sorted("%s-az%d" % (prefix, i + 1) for i in range(len(letters))), (region, zones)
    for name, zid, state, rname in zones:
        assert state == "available", zones
        assert rname == region, zones


def b3_zones(resp):
    return [(z["ZoneName"], z["ZoneId"], z["State"], z["RegionName"])
            for z in resp["AvailabilityZones"]]


# ---- boto3 1.26, in process ------------------------------------------------------------------

def test_boto3_describe_regions(server):
    resp = boto3_client(server, "ec2").describe_regions()
    check_regions(r["RegionName"] for r in resp["Regions"])
    for r in resp["Regions"]:
        assert r["Endpoint"], r
    assert resp["ResponseMetadata"]["RequestId"]


def test_boto3_describe_regions_all_regions_is_superset(server):
    ec2 = boto3_client(server, "ec2")
    default = {r["RegionName"] for r in ec2.describe_regions()["Regions"]}
    every = {r["RegionName"] for r in ec2.describe_regions(AllRegions=True)["Regions"]}
    assert default <= every
    check_regions(every)


def test_boto3_describe_regions_region_name_filter(server):
    ec2 = boto3_client(server, "ec2")
    resp = ec2.describe_regions(Filters=[{"Name": "region-name",
                                          "Values": ["eu-west-1", "us-west-2"]}])
    assert sorted(r["RegionName"] for r in resp["Regions"]) == ["eu-west-1", "us-west-2"], resp
    resp = ec2.describe_regions(Filters=[{"Name": "region-name", "Values": ["nowhere-1"]}])
    assert resp["Regions"] == [], resp


def test_boto3_describe_regions_by_name(server):
    resp = boto3_client(server, "ec2").describe_regions(RegionNames=["ap-south-1"])
    assert [r["RegionName"] for r in resp["Regions"]] == ["ap-south-1"], resp


def test_boto3_describe_regions_endpoint_filter(server):
    ec2 = boto3_client(server, "ec2")
    regions = ec2.describe_regions()["Regions"]
    target = next(r for r in regions if r["RegionName"] == "eu-central-1")
    resp = ec2.describe_regions(Filters=[{"Name": "endpoint", "Values": [target["Endpoint"]]}])
    assert [r["RegionName"] for r in resp["Regions"]] == ["eu-central-1"], resp


@pytest.mark.parametrize("region", sorted(ZONES))
def test_boto3_describe_availability_zones(server, region):
    resp = boto3_client(server, "ec2", region=region).describe_availability_zones()
    check_zones(region, b3_zones(resp))


def test_boto3_zone_filters(server):
    ec2 = boto3_client(server, "ec2", region="us-east-1")
    zones = b3_zones(ec2.describe_availability_zones())
    name, zid = zones[0][0], zones[0][1]

    def names(filters):
        return sorted(z["ZoneName"] for z in
                      ec2.describe_availability_zones(Filters=filters)["AvailabilityZones"])

    assert names([{"Name": "zone-name", "Values": [name]}]) == [name]
    assert names([{"Name": "zone-id", "Values": [zid]}]) == [name]
    assert names([{"Name": "zone-name", "Values": ["us-east-1a", "us-east-1c"]}]) == \
        ["us-east-1a", "us-east-1c"]
    assert len(names([{"Name": "state", "Values": ["available"]}])) == 6
    assert names([{"Name": "state", "Values": ["impaired"]}]) == []
    assert len(names([{"Name": "region-name", "Values": ["us-east-1"]}])) == 6
    assert names([{"Name": "region-name", "Values": ["eu-west-1"]}]) == []
    # Two filters are ANDed.
    assert names([{"Name": "zone-name", "Values": [name]},
                  {"Name": "zone-id", "Values": [zid]}]) == [name]
    other = next(z[1] for z in zones if z[0] != name)
    assert names([{"Name": "zone-name", "Values": [name]},
                  {"Name": "zone-id", "Values": [other]}]) == []


def test_boto3_zone_names_param(server):
    ec2 = boto3_client(server, "ec2", region="us-east-1")
    resp = ec2.describe_availability_zones(ZoneNames=["us-east-1b"])
    assert [z["ZoneName"] for z in resp["AvailabilityZones"]] == ["us-east-1b"], resp


def test_boto3_zones_stable_between_calls(server):
    ec2 = boto3_client(server, "ec2", region="us-east-1")
    a = sorted(b3_zones(ec2.describe_availability_zones()))
    b = sorted(b3_zones(ec2.describe_availability_zones()))
    assert a == b


# ---- boto3 1.43, subprocess ------------------------------------------------------------------

def test_boto3_143_regions_and_zones(server):
    res = boto3_143(server, [
        ("describe_regions", {}),
        ("describe_availability_zones", {}),
        ("describe_availability_zones", {"Filters": [{"Name": "zone-name",
                                                      "Values": ["eu-west-1b"]}]}),
    ], "ec2", region="eu-west-1")
    assert all(r["ok"] for r in res), res
    check_regions(r["RegionName"] for r in res[0]["response"]["Regions"])
    check_zones("eu-west-1", b3_zones(res[1]["response"]))
    assert [z["ZoneName"] for z in res[2]["response"]["AvailabilityZones"]] == ["eu-west-1b"]


# ---- boto 2.49 (SigV4 with scope 0/127 for host 127.0.0.1) ------------------------------------

def test_boto2_get_all_regions(server):
    regions = boto2_ec2(server).get_all_regions()
    check_regions(r.name for r in regions)
    for r in regions:
        assert r.endpoint, r


def test_boto2_get_all_regions_filter(server):
    regions = boto2_ec2(server).get_all_regions(filters={"region-name": "sa-east-1"})
    assert [r.name for r in regions] == ["sa-east-1"]


def test_boto2_get_all_zones_default_region(server):
    # boto 2 signs region "0": the server falls back to its default region (us-east-1).
    zones = boto2_ec2(server).get_all_zones()
    check_zones("us-east-1", [(z.name, getattr(z, "zoneId", None), z.state, z.region_name)
                              for z in zones])


def test_boto2_get_all_zones_filters(server):
    conn = boto2_ec2(server)
    zones = conn.get_all_zones(filters={"zone-name": "us-east-1d"})
    assert [z.name for z in zones] == ["us-east-1d"]
    zones = conn.get_all_zones(zones=["us-east-1a", "us-east-1f"])
    assert sorted(z.name for z in zones) == ["us-east-1a", "us-east-1f"]
    zones = conn.get_all_zones(filters={"state": "available", "region-name": "us-east-1"})
    assert len(zones) == 6


# ---- AWS CLI v2 and v1 ------------------------------------------------------------------------

def cli_zones(out):
    return [(z["ZoneName"], z["ZoneId"], z["State"], z["RegionName"])
            for z in out["AvailabilityZones"]]


def test_cli_v2_regions_and_zones(server):
    out = aws_ok(server, "ec2", "describe-regions")
    check_regions(r["RegionName"] for r in out["Regions"])
    out = aws_ok(server, "ec2", "describe-availability-zones", region="us-west-2")
    check_zones("us-west-2", cli_zones(out))
    out = aws_ok(server, "ec2", "describe-availability-zones", "--filters",
                 "Name=zone-id,Values=usw2-az2", region="us-west-2")
    assert [z["ZoneId"] for z in out["AvailabilityZones"]] == ["usw2-az2"], out
    out = aws_ok(server, "ec2", "describe-regions", "--region-names", "us-east-2", "eu-north-1")
    assert sorted(r["RegionName"] for r in out["Regions"]) == ["eu-north-1", "us-east-2"], out


def test_cli_v1_regions_and_zones(server):
    cli = require_aws_v1()
    out = aws_ok(server, "ec2", "describe-regions", cli=cli)
    check_regions(r["RegionName"] for r in out["Regions"])
    out = aws_ok(server, "ec2", "describe-availability-zones", cli=cli, region="us-east-2")
    check_zones("us-east-2", cli_zones(out))
