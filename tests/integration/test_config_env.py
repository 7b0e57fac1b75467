"""Flags read from OVERCAST_* environment variables; --region as the routing fallback."""
import json
import os

from integ import az_mapping, boto2_ec2, boto3_client, http_get


def test_listen_and_data_from_env(factory):
    data = factory.new_data_dir()
    s = factory.make(args=[], env={"OVERCAST_LISTEN": "127.0.0.1:0", "OVERCAST_DATA": data},
                     default_flags=False).start()
    assert boto3_client(s, "sts").get_caller_identity()["Account"] == "000000000000"
    status, _, body = http_get(s.url + "/_overcast/info")
    assert status == 200
    assert os.path.realpath(json.loads(body)["data_dir"]) == os.path.realpath(data)


def test_fresh_data_dir_prints_credentials(factory):
    s = factory.start()
    out = s.stdout_text() + s.stderr_text()
    assert "000000000000" in out, out
    assert "test" in out, out


def test_region_flag_is_boto2_fallback(factory):
    # boto 2 signs scope region "0": the zones come from the --region default.
    s = factory.start(["--region", "eu-west-1"])
    zones = sorted(z.name for z in boto2_ec2(s).get_all_zones())
    assert zones == ["eu-west-1a", "eu-west-1b", "eu-west-1c"], zones


def test_region_from_env_is_boto2_fallback(factory):
    s = factory.start(env={"OVERCAST_REGION": "us-east-2"})
    zones = sorted(z.name for z in boto2_ec2(s).get_all_zones())
    assert zones == ["us-east-2a", "us-east-2b", "us-east-2c"], zones
    # boto3 still uses the scope's region.
    z = boto3_client(s, "ec2", region="us-west-2").describe_availability_zones()
    assert len(z["AvailabilityZones"]) == 4


def test_uniform_az_mapping_from_env(factory):
    """OVERCAST_UNIFORM_AZ_MAPPING=1 behaves as --uniform-az-mapping."""
    s = factory.start(["--accept-any-key"], env={"OVERCAST_UNIFORM_AZ_MAPPING": "1"})
    regions = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1", "ap-southeast-1"]
    a = az_mapping(s, "111111111111", "x", regions)
    b = az_mapping(s, "222222222222", "x", regions)
    c = az_mapping(s, "333333333333", "x", regions)
    assert a == b == c
