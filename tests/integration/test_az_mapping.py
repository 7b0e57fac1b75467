"""Per-account AZ name -> zone id mapping: differs between accounts, stable for an account
(across calls and restarts), and identical for all accounts under --uniform-az-mapping."""
import pytest

from integ import KEY, SECRET, az_mapping, boto3_client, new_account_and_key


def all_regions(server):
    return sorted(r["RegionName"] for r in boto3_client(server, "ec2").describe_regions()["Regions"])


def check_same_zones(m1, m2):
    """Same zone names and the same zone ids per region; only the pairing may differ."""
    assert m1.keys() == m2.keys()
    for region in m1:
        assert sorted(m1[region]) == sorted(m2[region]), region
        assert sorted(m1[region].values()) == sorted(m2[region].values()), region
        assert len(set(m1[region].values())) == len(m1[region]), ("ids not distinct", m1[region])


@pytest.fixture(scope="module")
def mapped(module_factory):
    s = module_factory.start()
    acct, key, secret = new_account_and_key(s)
    regions = all_regions(s)
    first = az_mapping(s, KEY, SECRET, regions)
    second = az_mapping(s, key, secret, regions)
    return {"server": s, "regions": regions, "key": key, "secret": secret, "acct": acct,
            "first": first, "second": second}


def test_second_account_mapping_differs(mapped):
    check_same_zones(mapped["first"], mapped["second"])
    differing = [r for r in mapped["regions"] if mapped["first"][r] != mapped["second"][r]]
    assert differing, ("account %s has the same AZ mapping as 000000000000 in every region: %s"
                       % (mapped["acct"], mapped["first"]))


def test_mapping_stable_between_calls(mapped):
    s = mapped["server"]
    assert az_mapping(s, mapped["key"], mapped["secret"], mapped["regions"]) == mapped["second"]
    assert az_mapping(s, KEY, SECRET, mapped["regions"]) == mapped["first"]


def test_mapping_stable_across_restart(mapped, module_factory):
    s2 = module_factory.restart(mapped["server"])
    mapped["server"] = s2
    assert az_mapping(s2, mapped["key"], mapped["secret"], mapped["regions"]) == mapped["second"]
    assert az_mapping(s2, KEY, SECRET, mapped["regions"]) == mapped["first"]


def test_uniform_az_mapping(factory):
    s = factory.start(["--uniform-az-mapping"])
    regions = all_regions(s)
    _, key, secret = new_account_and_key(s)
    first = az_mapping(s, KEY, SECRET, regions)
    second = az_mapping(s, key, secret, regions)
    check_same_zones(first, second)
    assert first == second


def test_accept_any_key_accounts_get_their_own_mapping(factory):
    """Accounts selected by a 12-digit key have a stable mapping too, some differing."""
    s = factory.start(["--accept-any-key"])
    regions = all_regions(s)
    maps = [az_mapping(s, acct, "x", regions)
            for acct in ("111111111111", "222222222222", "333333333333")]
    for m in maps[1:]:
        check_same_zones(maps[0], m)
    assert maps[0] != maps[1] or maps[0] != maps[2], "three accounts, one mapping"
    assert az_mapping(s, "222222222222", "y", regions) == maps[1]
