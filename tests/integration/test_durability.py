"""State survives a clean restart and kill -9: accounts, keys, key deletions, AZ mapping."""
import json
import re

import botocore.exceptions
import pytest

from integ import (KEY, SECRET, admin_ok, az_mapping, boto3_client, client_error_code,
                   new_account_and_key)

REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"]


def identity(server, key, secret):
    return boto3_client(server, "sts", key=key, secret=secret).get_caller_identity()


def test_sigterm_exits_zero(factory):
    s = factory.start()
    rc = s.stop()
    assert rc == 0, "SIGTERM exit status %s\n%s" % (rc, s.diagnostics())


@pytest.mark.parametrize("kill9", [False, True], ids=["sigterm", "kill9"])
def test_key_survives_restart(factory, kill9):
    s = factory.start()
    acct, key, secret = new_account_and_key(s)
    before = az_mapping(s, key, secret, REGIONS)
    s2 = factory.restart(s, kill9=kill9)
    assert identity(s2, key, secret)["Account"] == acct
    assert identity(s2, KEY, SECRET)["Account"] == "000000000000"
    assert az_mapping(s2, key, secret, REGIONS) == before


def test_kill9_right_after_acknowledgement(factory):
    """Durable before acknowledged: every key the admin API returned survives kill -9."""
    s = factory.start()
    made = [new_account_and_key(s) for _ in range(3)]
    extra = admin_ok("create-key", "--account-id", made[0][0], endpoint=s.url)
    s2 = factory.restart(s, kill9=True)
    for acct, key, secret in made:
        assert identity(s2, key, secret)["Account"] == acct
    assert identity(s2, extra["AccessKeyId"], extra["SecretAccessKey"])["Account"] == made[0][0]


def test_deleted_key_stays_deleted_after_kill9(factory):
    s = factory.start()
    _, key, secret = new_account_and_key(s)
    admin_ok("delete-key", "--access-key-id", key, endpoint=s.url)
    s2 = factory.restart(s, kill9=True)
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        identity(s2, key, secret)
    assert client_error_code(ei) == "InvalidClientTokenId"


def test_repeated_kill9_cycles(factory):
    s = factory.start()
    made = []
    for _ in range(3):
        made.append(new_account_and_key(s))
        s = factory.restart(s, kill9=True)
    for acct, key, secret in made:
        assert identity(s, key, secret)["Account"] == acct


def test_initial_credentials_not_regenerated(factory):
    """A restart keeps account 000000000000 (does not re-create a fresh store)."""
    s = factory.start()
    acct, key, secret = new_account_and_key(s)
    accounts_before = admin_ok("list-accounts", endpoint=s.url)
    s2 = factory.restart(s, kill9=True)
    accounts_after = admin_ok("list-accounts", endpoint=s2.url)
    assert acct in str(accounts_after)
    ids = lambda doc: set(re.findall(r"\b\d{12}\b", json.dumps(doc)))
    assert ids(accounts_before) == ids(accounts_after), (accounts_before, accounts_after)
