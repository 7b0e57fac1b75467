"""EC2 images (AMIs) through boto3 1.26 (and 1.43 where present), boto 2.49, the AWS CLI v2 and
`overcast admin image import`: the built-in platform images, DescribeImages with owners,
executable users and filters, RegisterImage/DeregisterImage, CopyImage, CreateImage (once
RunInstances exists), sharing with a second account, and the image attribute calls."""
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from integ import (admin, admin_ok, aws_ok, boto2_ec2, boto3_143, boto3_client, client_error_code,
                   new_account_and_key, run_aws)

X86 = "ami-829c16bb182fd27b6"     # overcast-linux-busybox-x86_64
ARM = "ami-1d51f3dacacd7f7c1"     # overcast-linux-busybox-arm64
PLATFORM_OWNER = "137112412989"
ACCOUNT = "000000000000"          # the default key's account


def unique(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def wait_state(ec2, image_id, state="available", timeout=15):
    deadline = time.monotonic() + timeout
    while True:
        img = ec2.describe_images(ImageIds=[image_id])["Images"][0]
        if img["State"] == state:
            return img
        assert time.monotonic() < deadline, "image %s still %s" % (image_id, img["State"])
        time.sleep(0.05)


def register(ec2, name, **kw):
    params = dict(Name=name, Architecture="x86_64", RootDeviceName="/dev/xvda",
                  VirtualizationType="hvm",
                  BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])
    params.update(kw)
    return ec2.register_image(**params)["ImageId"]


# ---- built-in images ------------------------------------------------------------------------

def test_boto3_platform_images_in_every_region(server):
    for region in ("us-east-1", "eu-west-3", "ap-southeast-2"):
        ec2 = boto3_client(server, "ec2", region=region)
        images = ec2.describe_images(Owners=["amazon"])["Images"]
        assert sorted(i["ImageId"] for i in images) == sorted([X86, ARM]), images
    img = boto3_client(server, "ec2").describe_images(ImageIds=[X86])["Images"][0]
    assert img["Name"] == "overcast-linux-busybox-x86_64"
    assert img["OwnerId"] == PLATFORM_OWNER
    assert img["ImageOwnerAlias"] == "amazon"
    assert img["Public"] is True
    assert img["State"] == "available"
    assert img["Architecture"] == "x86_64"
    assert img["RootDeviceType"] == "ebs"
    assert img["RootDeviceName"] == "/dev/xvda"
    assert img["VirtualizationType"] == "hvm"
    assert img["ImageType"] == "machine"
    assert img["EnaSupport"] is True
    assert img["PlatformDetails"] == "Linux/UNIX"
    assert img["BlockDeviceMappings"] == [{"DeviceName": "/dev/xvda", "Ebs": {
        "DeleteOnTermination": True, "VolumeSize": 1, "VolumeType": "gp2", "Encrypted": False}}]


def test_boto3_filters_owners_and_errors(server):
    ec2 = boto3_client(server, "ec2")
    by_owner_id = ec2.describe_images(Owners=[PLATFORM_OWNER])["Images"]
    assert sorted(i["ImageId"] for i in by_owner_id) == sorted([X86, ARM])
    arm = ec2.describe_images(Filters=[{"Name": "architecture", "Values": ["arm64"]},
                                       {"Name": "owner-alias", "Values": ["amazon"]}])["Images"]
    assert [i["ImageId"] for i in arm] == [ARM]
    named = ec2.describe_images(Filters=[{"Name": "name", "Values": ["overcast-linux-busybox-x86_*"]},
                                         {"Name": "is-public", "Values": ["true"]},
                                         {"Name": "block-device-mapping.device-name",
                                          "Values": ["/dev/xvda"]}])["Images"]
    assert [i["ImageId"] for i in named] == [X86]
    assert ec2.describe_images(Filters=[{"Name": "state", "Values": ["failed"]}])["Images"] == []
    with pytest.raises(ClientError) as e:
        ec2.describe_images(ImageIds=["ami-0000000000000dead"])
    assert client_error_code(e) == "InvalidAMIID.NotFound"
    assert "ami-0000000000000dead" in str(e.value)
    with pytest.raises(ClientError) as e:
        ec2.describe_images(ImageIds=["ami-nothex"])
    assert client_error_code(e) == "InvalidAMIID.Malformed"
    with pytest.raises(ClientError) as e:
        ec2.describe_images(Filters=[{"Name": "colour", "Values": ["x"]}])
    assert client_error_code(e) == "InvalidParameterValue"


# ---- register, deregister, copy, attributes ----------------------------------------------------

def test_boto3_register_describe_deregister(server):
    ec2 = boto3_client(server, "ec2")
    name = unique("reg")
    # boto3 1.26's RegisterImage has no TagSpecifications (1.43's does: test_boto3_143_images).
    image_id = ec2.register_image(Name=name, Description="made by a test")["ImageId"]
    try:
        ec2.create_tags(Resources=[image_id], Tags=[{"Key": "t", "Value": name}])
        img = ec2.describe_images(ImageIds=[image_id])["Images"][0]
        assert img["OwnerId"] == ACCOUNT
        assert img["Public"] is False
        assert img["Architecture"] == "i386"
        assert img["VirtualizationType"] == "paravirtual"
        assert img["Tags"] == [{"Key": "t", "Value": name}]
        assert wait_state(ec2, image_id)["State"] == "available"
        mine = ec2.describe_images(Owners=["self"])["Images"]
        assert image_id in [i["ImageId"] for i in mine]
        tagged = ec2.describe_images(Filters=[{"Name": "tag:t", "Values": [name]}])["Images"]
        assert [i["ImageId"] for i in tagged] == [image_id]
        with pytest.raises(ClientError) as e:
            ec2.register_image(Name=name)
        assert client_error_code(e) == "InvalidAMIName.Duplicate"
        with pytest.raises(ClientError) as e:
            ec2.register_image(Name="x*")
        assert client_error_code(e) == "InvalidAMIName.Malformed"
        # Not in another region.
        west = boto3_client(server, "ec2", region="us-west-2")
        with pytest.raises(ClientError) as e:
            west.describe_images(ImageIds=[image_id])
        assert client_error_code(e) == "InvalidAMIID.NotFound"
    finally:
        assert ec2.deregister_image(ImageId=image_id)["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert image_id not in [i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]]
    with pytest.raises(ClientError) as e:
        ec2.deregister_image(ImageId=X86)
    assert client_error_code(e) == "AuthFailure"


def test_boto3_copy_image(server):
    dest = boto3_client(server, "ec2", region="eu-west-1")
    name = unique("copy")
    token = uuid.uuid4().hex
    image_id = dest.copy_image(SourceImageId=X86, SourceRegion="us-east-1", Name=name,
                               ClientToken=token)["ImageId"]
    try:
        again = dest.copy_image(SourceImageId=X86, SourceRegion="us-east-1", Name=name,
                                ClientToken=token)["ImageId"]
        assert again == image_id
        img = wait_state(dest, image_id)
        assert img["OwnerId"] == ACCOUNT
        assert img["Architecture"] == "x86_64"
        assert img["Name"] == name
        assert img["Description"] == "overcast built-in Linux (BusyBox), x86_64"
        assert "ImageOwnerAlias" not in img
        with pytest.raises(ClientError) as e:
            dest.copy_image(SourceImageId="ami-0000000000000dead", SourceRegion="us-east-1", Name=unique("c"))
        assert client_error_code(e) == "InvalidAMIID.NotFound"
    finally:
        dest.deregister_image(ImageId=image_id)


def test_boto3_share_with_second_account_and_attributes(server):
    ec2 = boto3_client(server, "ec2")
    other_account, key, secret = new_account_and_key(server)
    other = boto3_client(server, "ec2", key=key, secret=secret)
    image_id = register(ec2, unique("share"))
    try:
        wait_state(ec2, image_id)
        with pytest.raises(ClientError) as e:
            other.describe_images(ImageIds=[image_id])
        assert client_error_code(e) == "InvalidAMIID.NotFound"

        ec2.modify_image_attribute(ImageId=image_id,
                                   LaunchPermission={"Add": [{"UserId": other_account}]})
        perms = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
        assert perms["LaunchPermissions"] == [{"UserId": other_account}]
        seen = other.describe_images(ImageIds=[image_id])["Images"]
        assert [i["ImageId"] for i in seen] == [image_id]
        shared = other.describe_images(ExecutableUsers=["self"])["Images"]
        assert [i["ImageId"] for i in shared] == [image_id]
        assert image_id not in [i["ImageId"] for i in other.describe_images(Owners=["self"])["Images"]]
        with pytest.raises(ClientError) as e:
            other.deregister_image(ImageId=image_id)
        assert client_error_code(e) == "AuthFailure"

        with pytest.raises(ClientError) as e:
            ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": "123"}]})
        assert client_error_code(e) == "InvalidUserID.Malformed"

        ec2.modify_image_attribute(ImageId=image_id, Description={"Value": "now described"})
        desc = ec2.describe_image_attribute(ImageId=image_id, Attribute="description")
        assert desc["Description"] == {"Value": "now described"}
        assert desc["ImageId"] == image_id
        bdm = ec2.describe_image_attribute(ImageId=image_id, Attribute="blockDeviceMapping")
        assert bdm["BlockDeviceMappings"][0]["DeviceName"] == "/dev/xvda"
        assert bdm["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"] == 8

        ec2.modify_image_attribute(ImageId=image_id,
                                   LaunchPermission={"Remove": [{"UserId": other_account}],
                                                     "Add": [{"Group": "all"}]})
        perms = ec2.describe_image_attribute(ImageId=image_id, Attribute="launchPermission")
        assert perms["LaunchPermissions"] == [{"Group": "all"}]
        public = other.describe_images(ExecutableUsers=["all"], Owners=[ACCOUNT])["Images"]
        assert [i["ImageId"] for i in public] == [image_id]

        ec2.reset_image_attribute(ImageId=image_id, Attribute="launchPermission")
        with pytest.raises(ClientError) as e:
            other.describe_images(ImageIds=[image_id])
        assert client_error_code(e) == "InvalidAMIID.NotFound"
    finally:
        ec2.deregister_image(ImageId=image_id)


def test_boto3_create_image_from_instance(server):
    ec2 = boto3_client(server, "ec2")
    try:
        run = ec2.run_instances(ImageId=X86, MinCount=1, MaxCount=1, InstanceType="t3.micro")
    except ClientError as e:
        if e.response["Error"]["Code"] == "InvalidAction":
            pytest.skip("SKIP: RunInstances is not implemented yet")
        raise
    instance_id = run["Instances"][0]["InstanceId"]
    image_id = None
    try:
        deadline = time.monotonic() + 15
        while True:
            inst = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
            if inst["State"]["Name"] == "running":
                break
            assert time.monotonic() < deadline, inst["State"]
            time.sleep(0.05)
        name = unique("from-instance")
        image_id = ec2.create_image(InstanceId=instance_id, Name=name, NoReboot=True)["ImageId"]
        img = wait_state(ec2, image_id)
        assert img["Name"] == name
        assert img["RootDeviceName"] == inst["RootDeviceName"]
        assert img["Architecture"] == "x86_64"
        # (boto3 1.26's model has no Image.SourceInstanceId: the filter shows it.)
        by_source = ec2.describe_images(Filters=[{"Name": "source-instance-id",
                                                  "Values": [instance_id]}])["Images"]
        assert [i["ImageId"] for i in by_source] == [image_id]
        with pytest.raises(ClientError) as e:
            ec2.create_image(InstanceId="i-0000000000000dead", Name=unique("none"))
        assert client_error_code(e) == "InvalidInstanceID.NotFound"
    finally:
        if image_id:
            ec2.deregister_image(ImageId=image_id)
        ec2.terminate_instances(InstanceIds=[instance_id])


def test_boto3_143_images(server):
    name = unique("b143")
    res = boto3_143(server, [
        ("describe_images", {"Owners": ["amazon"]}),
        ("register_image", {"Name": name, "Architecture": "x86_64", "TagSpecifications": [
            {"ResourceType": "image", "Tags": [{"Key": "via", "Value": "b143"}]}]}),
        ("describe_images", {"ImageIds": ["ami-0000000000000dead"]}),
    ], "ec2")
    assert res[0]["ok"], res
    assert sorted(i["ImageId"] for i in res[0]["response"]["Images"]) == sorted([X86, ARM])
    assert res[1]["ok"], res
    image_id = res[1]["response"]["ImageId"]
    assert not res[2]["ok"]
    assert "InvalidAMIID.NotFound" in str(res[2]["error"])
    ec2 = boto3_client(server, "ec2")
    assert ec2.describe_images(ImageIds=[image_id])["Images"][0]["Tags"] == [{"Key": "via", "Value": "b143"}]
    ec2.deregister_image(ImageId=image_id)


# ---- boto 2.49 --------------------------------------------------------------------------------

def test_boto2_images(server):
    conn = boto2_ec2(server)
    images = conn.get_all_images(owners=["amazon"])
    assert sorted(i.id for i in images) == sorted([X86, ARM])
    x86 = [i for i in images if i.id == X86][0]
    assert x86.name == "overcast-linux-busybox-x86_64"
    assert x86.owner_alias == "amazon"
    assert x86.is_public is True
    assert x86.root_device_name == "/dev/xvda"
    assert x86.block_device_mapping["/dev/xvda"].size == 1

    other_account, _, _ = new_account_and_key(server)
    name = unique("boto2")
    image_id = conn.register_image(name=name, description="boto 2", architecture="x86_64",
                                   root_device_name="/dev/sda1", virtualization_type="hvm")
    try:
        assert image_id.startswith("ami-")
        wait_state(boto3_client(server, "ec2"), image_id)
        img = conn.get_all_images(image_ids=[image_id])[0]
        assert img.name == name
        assert img.description == "boto 2"
        assert img.ownerId == ACCOUNT
        assert conn.modify_image_attribute(image_id, attribute="launchPermission", operation="add",
                                           user_ids=[other_account]) is True
        attr = conn.get_image_attribute(image_id, attribute="launchPermission")
        assert attr.attrs["user_ids"] == [other_account]
        assert conn.modify_image_attribute(image_id, operation="add", groups=["all"]) is True
        attr = conn.get_image_attribute(image_id, attribute="launchPermission")
        assert attr.attrs["groups"] == ["all"]
        assert conn.modify_image_attribute(image_id, operation="remove", user_ids=[other_account],
                                           groups=["all"]) is True
        attr = conn.get_image_attribute(image_id, attribute="launchPermission")
        assert "user_ids" not in attr.attrs and "groups" not in attr.attrs
    finally:
        assert conn.deregister_image(image_id) is True


# ---- AWS CLI v2 -------------------------------------------------------------------------------

def test_cli_describe_images(server):
    out = aws_ok(server, "ec2", "describe-images", "--owners", "amazon")
    assert sorted(i["ImageId"] for i in out["Images"]) == sorted([X86, ARM])
    out = aws_ok(server, "ec2", "describe-images", "--filters", "Name=architecture,Values=arm64",
                 "--owners", "amazon", "--region", "sa-east-1")
    assert [i["ImageId"] for i in out["Images"]] == [ARM]
    name = unique("cli")
    made = aws_ok(server, "ec2", "register-image", "--name", name, "--architecture", "x86_64")
    image_id = made["ImageId"]
    try:
        attr = aws_ok(server, "ec2", "describe-image-attribute", "--image-id", image_id,
                      "--attribute", "launchPermission")
        assert attr["LaunchPermissions"] == []
    finally:
        r = run_aws(server, "ec2", "deregister-image", "--image-id", image_id)
        assert r.rc == 0, repr(r)
    r = run_aws(server, "ec2", "describe-images", "--image-ids", image_id)
    assert r.rc != 0 and "InvalidAMIID.NotFound" in r.stderr, repr(r)


# ---- overcast admin image import ---------------------------------------------------------------

def test_admin_image_import(server):
    out = admin_ok("image", "import", "--id", "ami-12c6146b", "--name", "imported-image",
                   "--description", "from admin", endpoint=server.url)
    assert out["ImageId"] == "ami-12c6146b"
    for region in ("us-east-1", "eu-central-1"):
        ec2 = boto3_client(server, "ec2", region=region)
        img = ec2.describe_images(ImageIds=["ami-12c6146b"])["Images"][0]
        assert img["Name"] == "imported-image"
        assert img["Description"] == "from admin"
        assert img["ImageOwnerAlias"] == "amazon"
        assert img["State"] == "available"
        assert img["Public"] is True
        owned = ec2.describe_images(Owners=["amazon"])["Images"]
        assert "ami-12c6146b" in [i["ImageId"] for i in owned]
    dup = admin("image", "import", "--id", "ami-12c6146b", endpoint=server.url)
    assert dup.rc != 0 and "already exists" in dup.stderr, repr(dup)
    bad = admin("image", "import", "--id", "ami-xyz", endpoint=server.url)
    assert bad.rc != 0 and "InvalidAMIID.Malformed" in bad.stderr, repr(bad)
    # One region only, through the data directory of the running server.
    out = admin_ok("image", "import", "--id", "ami-0abcdef0123456789", "--region", "eu-west-2",
                   "--architecture", "arm64", data=server.data_dir)
    assert out["Region"] == "eu-west-2"
    img = boto3_client(server, "ec2", region="eu-west-2").describe_images(
        ImageIds=["ami-0abcdef0123456789"])["Images"][0]
    assert img["Architecture"] == "arm64"
    with pytest.raises(ClientError) as e:
        boto3_client(server, "ec2", region="eu-west-1").describe_images(ImageIds=["ami-0abcdef0123456789"])
    assert client_error_code(e) == "InvalidAMIID.NotFound"
