"""`overcast admin`: offline on a stopped data dir, through a running server via --data, and via
--endpoint with an admin key."""
import json
import re

import botocore.exceptions
import pytest

from integ import (ACCOUNT, admin, admin_ok, boto3_client, client_error_code, new_account_and_key)


def identity(server, key, secret):
    return boto3_client(server, "sts", key=key, secret=secret).get_caller_identity()


def sts_error(server, key, secret):
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        identity(server, key, secret)
    return client_error_code(ei)


@pytest.fixture(scope="module")
def server(module_factory):
    return module_factory.start()


def test_offline_admin_on_stopped_data_dir(factory):
    s = factory.start()
    s.stop()
    accounts = admin_ok("list-accounts", data=s.data_dir)
    assert ACCOUNT in json.dumps(accounts), accounts
    acct = admin_ok("create-account", data=s.data_dir)["AccountId"]
    assert re.fullmatch(r"\d{12}", acct) and acct != ACCOUNT, acct
    key = admin_ok("create-key", "--account-id", acct, data=s.data_dir)
    assert key["AccountId"] == acct and key["AccessKeyId"] and key["SecretAccessKey"], key
    assert acct in json.dumps(admin_ok("list-accounts", data=s.data_dir))
    assert key["AccessKeyId"] in json.dumps(admin_ok("list-keys", data=s.data_dir))
    s2 = factory.start(data_dir=s.data_dir)
    ident = identity(s2, key["AccessKeyId"], key["SecretAccessKey"])
    assert ident["Account"] == acct, ident


def test_online_admin_via_data_dir(server):
    acct, key, secret = new_account_and_key(server, via="data")
    ident = identity(server, key, secret)
    assert ident["Account"] == acct and ident["Arn"] == "arn:aws:iam::%s:root" % acct, ident


def test_online_admin_via_endpoint(server):
    acct, key, secret = new_account_and_key(server, via="endpoint")
    assert identity(server, key, secret)["Account"] == acct
    assert acct in json.dumps(admin_ok("list-accounts", endpoint=server.url))


def test_create_account_with_id(server):
    out = admin_ok("create-account", "--account-id", "123412341234", endpoint=server.url)
    assert out["AccountId"] == "123412341234", out
    again = admin("create-account", "--account-id", "123412341234", endpoint=server.url)
    assert again.rc != 0, "duplicate account id accepted: %r" % again


def test_create_account_with_bad_id_refused(server):
    r = admin("create-account", "--account-id", "12ab", endpoint=server.url)
    assert r.rc != 0, repr(r)


def test_create_key_for_missing_account_refused(server):
    r = admin("create-key", "--account-id", "999999999990", endpoint=server.url)
    assert r.rc != 0, repr(r)


def test_list_keys_by_account(server):
    acct, key, _ = new_account_and_key(server)
    keys = admin_ok("list-keys", "--account-id", acct, endpoint=server.url)
    text = json.dumps(keys)
    assert key in text, keys
    assert '"test"' not in text, "key 'test' of %s listed for %s: %s" % (ACCOUNT, acct, keys)
    everything = json.dumps(admin_ok("list-keys", endpoint=server.url))
    assert key in everything and "test" in everything


def test_delete_key_refused_at_once(server):
    acct, key, secret = new_account_and_key(server)
    assert identity(server, key, secret)["Account"] == acct
    admin_ok("delete-key", "--access-key-id", key, endpoint=server.url)
    assert sts_error(server, key, secret) == "InvalidClientTokenId"
    with pytest.raises(botocore.exceptions.ClientError) as ei:
        boto3_client(server, "ec2", key=key, secret=secret).describe_availability_zones()
    assert client_error_code(ei) == "AuthFailure"
    assert key not in json.dumps(admin_ok("list-keys", endpoint=server.url))


def test_delete_key_via_data_dir_on_running_server(server):
    acct, key, secret = new_account_and_key(server, via="data")
    assert identity(server, key, secret)["Account"] == acct
    admin_ok("delete-key", "--access-key-id", key, data=server.data_dir)
    assert sts_error(server, key, secret) == "InvalidClientTokenId"


def test_second_key_in_same_account(server):
    acct, key1, secret1 = new_account_and_key(server)
    k2 = admin_ok("create-key", "--account-id", acct, endpoint=server.url)
    assert k2["AccessKeyId"] != key1
    assert identity(server, k2["AccessKeyId"], k2["SecretAccessKey"])["Account"] == acct
    admin_ok("delete-key", "--access-key-id", key1, endpoint=server.url)
    assert identity(server, k2["AccessKeyId"], k2["SecretAccessKey"])["Account"] == acct


def test_non_admin_key_refused_by_admin_api(server):
    _, key, secret = new_account_and_key(server, admin_key=False)
    r = admin("create-account", endpoint=server.url, key=key, secret=secret)
    assert r.rc != 0, "non-admin key could create accounts: %r" % r
    r = admin("list-accounts", endpoint=server.url, key=key, secret=secret)
    assert r.rc != 0, "non-admin key could list accounts: %r" % r


def test_admin_key_accepted_by_admin_api(server):
    acct, key, secret = new_account_and_key(server, admin_key=True)
    out = admin_ok("create-account", endpoint=server.url, key=key, secret=secret)
    assert re.fullmatch(r"\d{12}", out["AccountId"]), out


def test_admin_api_wrong_secret_refused(server):
    r = admin("list-accounts", endpoint=server.url, key="test", secret="wrong")
    assert r.rc != 0, repr(r)
    r = admin("list-accounts", endpoint=server.url, key="AKIANOSUCH", secret="test")
    assert r.rc != 0, repr(r)


def test_accounts_are_isolated_identities(server):
    a1, k1, s1 = new_account_and_key(server)
    a2, k2, s2 = new_account_and_key(server)
    assert a1 != a2
    assert identity(server, k1, s1)["Account"] == a1
    assert identity(server, k2, s2)["Account"] == a2
    # A key's secret does not work with another key id.
    assert sts_error(server, k1, s2) == "SignatureDoesNotMatch"
