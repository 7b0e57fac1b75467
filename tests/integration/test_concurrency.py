"""Many clients at once: every request answered correctly, the server stays healthy."""
import concurrent.futures
import subprocess

from integ import admin_ok, boto3_client, http_get, new_account_and_key


def hammer(server, n, workers, fn):
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda i: fn(i), range(n)))


def test_parallel_sts_and_ec2(server):
    sts = [boto3_client(server, "sts") for _ in range(8)]
    ec2 = [boto3_client(server, "ec2", region=r)
           for r in ("us-east-1", "us-west-2", "eu-west-1", "us-east-2")]

    def one(i):
        if i % 2:
            return sts[i % len(sts)].get_caller_identity()["Account"]
        return len(ec2[i % len(ec2)].describe_availability_zones()["AvailabilityZones"])

    results = hammer(server, 400, 16, one)
    for i, r in enumerate(results):
        if i % 2:
            assert r == "000000000000"
        else:
            assert r == [6, 4, 3, 3][(i % len(ec2))], (i, r)
    assert http_get(server.url + "/_overcast/health")[0] == 200


def test_parallel_wrong_and_right_keys(server):
    good = boto3_client(server, "sts")
    bad = boto3_client(server, "sts", secret="wrong")
    import botocore.exceptions

    def one(i):
        if i % 3 == 0:
            try:
                bad.get_caller_identity()
                return "accepted"
            except botocore.exceptions.ClientError as e:
                return e.response["Error"]["Code"]
        return good.get_caller_identity()["Account"]

    for i, r in enumerate(hammer(server, 150, 12, one)):
        assert r == ("SignatureDoesNotMatch" if i % 3 == 0 else "000000000000"), (i, r)


def test_admin_while_serving_single_thread(factory):
    """With one I/O thread, admin calls (which wait on the store) do not stall the API."""
    s = factory.start(["--threads", "1"])
    sts = boto3_client(s, "sts")
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        made = [pool.submit(new_account_and_key, s, "data") for _ in range(3)]
        calls = [pool.submit(sts.get_caller_identity) for _ in range(30)]
        for c in calls:
            assert c.result(timeout=60)["Account"] == "000000000000"
        for m in made:
            acct, key, secret = m.result(timeout=60)
            assert boto3_client(s, "sts", key=key, secret=secret).get_caller_identity()["Account"] == acct
