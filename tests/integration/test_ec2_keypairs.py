"""EC2 key pairs (CreateKeyPair, ImportKeyPair, DescribeKeyPairs, DeleteKeyPair) through boto3
1.26, boto3 1.43, boto 2.49 and the AWS CLI v2. Fingerprints are checked against values this
test computes itself with the openssl / ssh-keygen CLIs (aws-reference §B5); PPK files are
parsed and their MAC recomputed here (PuTTY's version-2 rules)."""
import base64
import hashlib
import hmac
import os
import re
import shutil
import subprocess
import tempfile

import pytest
from botocore.exceptions import ClientError

from integ import aws_ok, boto2_ec2, boto3_143, boto3_client, client_error_code, run_aws

OPENSSL = shutil.which("openssl")
SSH_KEYGEN = shutil.which("ssh-keygen")
KEY_ID_RE = re.compile(r"^key-[0-9a-f]{17}$")
SHA1_COLON_RE = re.compile(r"^([0-9a-f]{2}:){19}[0-9a-f]{2}$")


@pytest.fixture
def tmp():
    d = tempfile.mkdtemp(prefix="overcast-keys-")
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture
def ec2(server):
    client = boto3_client(server, "ec2")
    yield client
    # Leave nothing behind.
    for kp in client.describe_key_pairs()["KeyPairs"]:
        client.delete_key_pair(KeyName=kp["KeyName"])


def sh(cmd, data=None):
    p = subprocess.run(cmd, shell=True, input=data, capture_output=True, timeout=60)
    assert p.returncode == 0, (cmd, p.stderr)
    return p.stdout


def write(path, text, mode=0o600):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def colon_of(openssl_out):
    # "SHA1(stdin)= aa:bb:..." / "MD5(stdin)= ..."
    return openssl_out.decode().strip().split("= ")[-1]


def rsa_created_fingerprint(pem_path):
    """SHA-1 of the DER PKCS#8 private key, as aws-reference §B5 computes it."""
    if not OPENSSL:
        pytest.skip("SKIP: openssl not present")
    return colon_of(sh("%s pkcs8 -in %s -inform PEM -outform DER -topk8 -nocrypt | %s sha1 -c"
                       % (OPENSSL, pem_path, OPENSSL)))


def ed25519_fingerprint(path):
    if not SSH_KEYGEN:
        pytest.skip("SKIP: ssh-keygen not present")
    out = sh("%s -l -f %s" % (SSH_KEYGEN, path)).decode()
    # ssh-keygen drops the base64 padding; AWS keeps it ("Amazon EC2 might append padding to
    # the fingerprint with = characters. Other tools, such as ssh-keygen, might omit this
    # padding": UserGuide/verify-keys.html). A SHA-256 is 32 bytes: 43 characters and one "=".
    return re.search(r"SHA256:(\S+)", out).group(1) + "="


def ssh_string(b):
    return len(b).to_bytes(4, "big") + b


def read_ssh_string(buf, i):
    n = int.from_bytes(buf[i:i + 4], "big")
    return buf[i + 4:i + 4 + n], i + 4 + n


def parse_ppk_v2(text):
    lines = text.split("\n")
    assert lines[0].startswith("PuTTY-User-Key-File-2: "), text
    alg = lines[0].split(": ", 1)[1]
    assert lines[1] == "Encryption: none", text
    assert lines[2].startswith("Comment: "), text
    comment = lines[2].split(": ", 1)[1]
    assert lines[3].startswith("Public-Lines: ")
    n = int(lines[3].split(": ")[1])
    pub = base64.b64decode("".join(lines[4:4 + n]))
    i = 4 + n
    assert lines[i].startswith("Private-Lines: ")
    m = int(lines[i].split(": ")[1])
    priv = base64.b64decode("".join(lines[i + 1:i + 1 + m]))
    mac_line = lines[i + 1 + m]
    assert mac_line.startswith("Private-MAC: ")
    mac = mac_line.split(": ")[1]
    key = hashlib.sha1(b"putty-private-key-file-mac-key").digest()
    data = b"".join(ssh_string(x) for x in (alg.encode(), b"none", comment.encode(), pub, priv))
    assert hmac.new(key, data, hashlib.sha1).hexdigest() == mac, "bad PPK MAC"
    return alg, comment, pub, priv


def check_rsa_ppk(text, name):
    alg, comment, pub, priv = parse_ppk_v2(text)
    assert alg == "ssh-rsa" and comment == name
    t, i = read_ssh_string(pub, 0)
    assert t == b"ssh-rsa"
    e, i = read_ssh_string(pub, i)
    n, i = read_ssh_string(pub, i)
    e, n = int.from_bytes(e, "big"), int.from_bytes(n, "big")
    vals = []
    i = 0
    for _ in range(4):
        v, i = read_ssh_string(priv, i)
        vals.append(int.from_bytes(v, "big"))
    d, p, q, iqmp = vals
    assert i == len(priv)
    assert p * q == n
    assert n.bit_length() == 2048
    assert (iqmp * q) % p == 1
    assert (e * d) % ((p - 1) * (q - 1) // __import__("math").gcd(p - 1, q - 1)) == 1
    return pub


def check_ed25519_ppk(text, name):
    alg, comment, pub, priv = parse_ppk_v2(text)
    assert alg == "ssh-ed25519" and comment == name
    seed, i = read_ssh_string(priv, 0)
    assert i == len(priv) and len(seed) <= 32
    return pub


def openssh_blob(line):
    return base64.b64decode(line.split()[1])


# ---- boto3 1.26 --------------------------------------------------------------------------

def test_boto3_create_rsa_pem_fingerprint_and_describe(ec2, tmp):
    r = ec2.create_key_pair(KeyName="rsa-pem", TagSpecifications=[
        {"ResourceType": "key-pair", "Tags": [{"Key": "team", "Value": "red"}]}])
    assert KEY_ID_RE.match(r["KeyPairId"]), r
    assert r["KeyName"] == "rsa-pem"
    assert r["Tags"] == [{"Key": "team", "Value": "red"}]
    material = r["KeyMaterial"]
    assert material.startswith("-----BEGIN RSA PRIVATE KEY-----\n"), material[:60]
    assert material.rstrip().endswith("-----END RSA PRIVATE KEY-----")
    assert SHA1_COLON_RE.match(r["KeyFingerprint"]), r["KeyFingerprint"]
    pem = write(os.path.join(tmp, "k.pem"), material)
    assert r["KeyFingerprint"] == rsa_created_fingerprint(pem)

    d = ec2.describe_key_pairs(KeyNames=["rsa-pem"], IncludePublicKey=True)["KeyPairs"]
    assert len(d) == 1
    kp = d[0]
    assert kp["KeyPairId"] == r["KeyPairId"]
    assert kp["KeyFingerprint"] == r["KeyFingerprint"]
    assert kp["KeyType"] == "rsa"
    assert kp["Tags"] == [{"Key": "team", "Value": "red"}]
    assert kp["CreateTime"].year >= 2020
    assert "KeyMaterial" not in kp
    if SSH_KEYGEN:
        derived = sh("%s -y -f %s" % (SSH_KEYGEN, pem)).decode().split()[:2]
        assert kp["PublicKey"].split()[:2] == derived
    assert "PublicKey" not in ec2.describe_key_pairs(KeyNames=["rsa-pem"])["KeyPairs"][0]


def test_boto3_create_ed25519_pem_is_openssh(ec2, tmp):
    r = ec2.create_key_pair(KeyName="ed-pem", KeyType="ed25519")
    material = r["KeyMaterial"]
    assert material.startswith("-----BEGIN OPENSSH PRIVATE KEY-----\n"), material[:60]
    if not SSH_KEYGEN:
        pytest.skip("SKIP: ssh-keygen not present")
    path = write(os.path.join(tmp, "ed.pem"), material)
    derived = sh("%s -y -f %s" % (SSH_KEYGEN, path)).decode().split()
    assert derived[0] == "ssh-ed25519"
    assert r["KeyFingerprint"] == ed25519_fingerprint(path)
    kp = ec2.describe_key_pairs(KeyPairIds=[r["KeyPairId"]], IncludePublicKey=True)["KeyPairs"][0]
    assert kp["KeyType"] == "ed25519"
    assert kp["PublicKey"].split()[:2] == derived[:2]


def test_boto3_create_ppk(ec2, tmp):
    rsa = ec2.create_key_pair(KeyName="rsa-ppk", KeyFormat="ppk")
    pub = check_rsa_ppk(rsa["KeyMaterial"], "rsa-ppk")
    ed = ec2.create_key_pair(KeyName="ed-ppk", KeyType="ed25519", KeyFormat="ppk")
    edpub = check_ed25519_ppk(ed["KeyMaterial"], "ed-ppk")
    assert ed["KeyFingerprint"] == base64.b64encode(hashlib.sha256(edpub).digest()).decode()
    kps = {k["KeyName"]: k for k in ec2.describe_key_pairs(IncludePublicKey=True)["KeyPairs"]}
    assert openssh_blob(kps["rsa-ppk"]["PublicKey"]) == pub
    assert openssh_blob(kps["ed-ppk"]["PublicKey"]) == edpub
    # The MAC and the key arithmetic are checked above; PuTTY's own reader where it is present.
    puttygen = shutil.which("puttygen")
    if not puttygen:
        print("SKIP: puttygen not present (PPK checked by MAC and key arithmetic only)")
        return
    for name, kp in (("rsa-ppk", rsa), ("ed-ppk", ed)):
        path = write(os.path.join(tmp, name + ".ppk"), kp["KeyMaterial"])
        out = sh("%s %s -O public-openssh" % (puttygen, path)).decode().split()
        assert out[:2] == kps[name]["PublicKey"].split()[:2]


def test_boto3_import_openssh_keys(ec2, tmp):
    if not SSH_KEYGEN:
        pytest.skip("SKIP: ssh-keygen not present")
    sh("%s -q -t rsa -b 2048 -N '' -C imp@test -f %s/rsa" % (SSH_KEYGEN, tmp))
    sh("%s -q -t ed25519 -N '' -C imp@test -f %s/ed" % (SSH_KEYGEN, tmp))
    rsa_pub = open(os.path.join(tmp, "rsa.pub"), "rb").read()
    ed_pub = open(os.path.join(tmp, "ed.pub"), "rb").read()
    expect_md5 = colon_of(sh("%s -f %s/rsa.pub -e -m PKCS8 | %s pkey -pubin -outform DER | %s md5 -c"
                             % (SSH_KEYGEN, tmp, OPENSSL, OPENSSL)))
    r = ec2.import_key_pair(KeyName="imp-rsa", PublicKeyMaterial=rsa_pub)
    assert r["KeyFingerprint"] == expect_md5
    assert KEY_ID_RE.match(r["KeyPairId"])
    assert "KeyMaterial" not in r
    e = ec2.import_key_pair(KeyName="imp-ed", PublicKeyMaterial=ed_pub,
                            TagSpecifications=[{"ResourceType": "key-pair",
                                                "Tags": [{"Key": "k", "Value": "v"}]}])
    assert e["KeyFingerprint"] == ed25519_fingerprint(os.path.join(tmp, "ed.pub"))
    assert e["Tags"] == [{"Key": "k", "Value": "v"}]
    # RFC 4716 form of the same RSA key.
    rfc = sh("%s -e -f %s/rsa.pub" % (SSH_KEYGEN, tmp))
    r2 = ec2.import_key_pair(KeyName="imp-rfc", PublicKeyMaterial=rfc)
    assert r2["KeyFingerprint"] == expect_md5
    kps = {k["KeyName"]: k for k in ec2.describe_key_pairs(IncludePublicKey=True)["KeyPairs"]}
    assert kps["imp-rsa"]["KeyType"] == "rsa" and kps["imp-ed"]["KeyType"] == "ed25519"
    assert kps["imp-ed"]["PublicKey"].split()[:2] == ed_pub.decode().split()[:2]

    with pytest.raises(ClientError) as ei:
        ec2.import_key_pair(KeyName="imp-bad", PublicKeyMaterial=b"ssh-rsa not-a-key")
    assert client_error_code(ei) == "InvalidKeyPair.Format"
    assert ei.value.response["Error"]["Message"] == "Key is not in valid OpenSSH public key format"


def test_boto3_filters_errors_and_delete(ec2):
    a = ec2.create_key_pair(KeyName="f-alpha", KeyType="ed25519", TagSpecifications=[
        {"ResourceType": "key-pair", "Tags": [{"Key": "team", "Value": "red"}]}])
    b = ec2.create_key_pair(KeyName="f-beta", KeyType="ed25519")
    c = ec2.create_key_pair(KeyName="f-gamma")

    def names(**kw):
        return sorted(k["KeyName"] for k in ec2.describe_key_pairs(**kw)["KeyPairs"])

    assert names(Filters=[{"Name": "key-name", "Values": ["f-a*", "f-g*"]}]) == ["f-alpha", "f-gamma"]
    assert names(Filters=[{"Name": "key-pair-id", "Values": [b["KeyPairId"]]}]) == ["f-beta"]
    assert names(Filters=[{"Name": "fingerprint", "Values": [c["KeyFingerprint"]]}]) == ["f-gamma"]
    assert names(Filters=[{"Name": "key-type", "Values": ["ed25519"]}]) == ["f-alpha", "f-beta"]
    assert names(Filters=[{"Name": "tag:team", "Values": ["red"]}]) == ["f-alpha"]
    assert names(Filters=[{"Name": "tag-key", "Values": ["team"]}]) == ["f-alpha"]
    assert names(Filters=[{"Name": "tag-value", "Values": ["re?"]}]) == ["f-alpha"]
    assert names(KeyPairIds=[a["KeyPairId"], c["KeyPairId"]]) == ["f-alpha", "f-gamma"]

    with pytest.raises(ClientError) as ei:
        ec2.create_key_pair(KeyName="f-alpha")
    assert client_error_code(ei) == "InvalidKeyPair.Duplicate"
    assert ei.value.response["Error"]["Message"] == "The keypair 'f-alpha' already exists."
    with pytest.raises(ClientError) as ei:
        ec2.describe_key_pairs(KeyNames=["f-missing"])
    assert client_error_code(ei) == "InvalidKeyPair.NotFound"
    assert ei.value.response["Error"]["Message"] == "The key pair 'f-missing' does not exist"

    # botocore 1.29's model has no DeleteKeyPair output (Return and KeyPairId came later; the
    # boto3 1.43 test below reads them), so here the effect is what is checked.
    ec2.delete_key_pair(KeyName="f-alpha")
    ec2.delete_key_pair(KeyPairId=b["KeyPairId"])
    ec2.delete_key_pair(KeyName="f-alpha")  # unknown now: still answers
    assert names() == ["f-gamma"]


# ---- boto3 1.43 (subprocess) ------------------------------------------------------------

def test_boto3_143_round_trip(server, ec2):
    res = boto3_143(server, [
        ("create_key_pair", {"KeyName": "b143", "KeyType": "ed25519"}),
        ("describe_key_pairs", {"KeyNames": ["b143"], "IncludePublicKey": True}),
        ("create_key_pair", {"KeyName": "b143"}),
        ("delete_key_pair", {"KeyName": "b143"}),
        ("describe_key_pairs", {"KeyNames": ["b143"]}),
    ], "ec2")
    assert res[0]["ok"], res[0]
    made = res[0]["response"]
    assert made["KeyMaterial"].startswith("-----BEGIN OPENSSH PRIVATE KEY-----")
    assert res[1]["ok"], res[1]
    kp = res[1]["response"]["KeyPairs"][0]
    assert kp["KeyFingerprint"] == made["KeyFingerprint"]
    blob = openssh_blob(kp["PublicKey"])
    assert made["KeyFingerprint"] == base64.b64encode(hashlib.sha256(blob).digest()).decode()
    assert not res[2]["ok"] and "InvalidKeyPair.Duplicate" in str(res[2]["error"]), res[2]
    assert res[3]["ok"] and res[3]["response"]["Return"] is True, res[3]
    assert res[3]["response"]["KeyPairId"] == made["KeyPairId"], res[3]
    assert not res[4]["ok"] and "InvalidKeyPair.NotFound" in str(res[4]["error"]), res[4]


# ---- boto 2.49 --------------------------------------------------------------------------

def test_boto2_create_import_describe_delete(server, ec2, tmp):
    conn = boto2_ec2(server)
    kp = conn.create_key_pair("boto2-key")
    assert kp.name == "boto2-key"
    assert kp.material.startswith("-----BEGIN RSA PRIVATE KEY-----")
    pem = write(os.path.join(tmp, "b2.pem"), kp.material)
    assert kp.fingerprint == rsa_created_fingerprint(pem)

    if SSH_KEYGEN:
        sh("%s -q -t rsa -b 2048 -N '' -f %s/imp" % (SSH_KEYGEN, tmp))
        pub = open(os.path.join(tmp, "imp.pub"), "rb").read()
        expect = colon_of(sh("%s -f %s/imp.pub -e -m PKCS8 | %s pkey -pubin -outform DER | %s md5 -c"
                             % (SSH_KEYGEN, tmp, OPENSSL, OPENSSL)))
        imp = conn.import_key_pair("boto2-imp", pub)
        assert imp.fingerprint == expect

    got = conn.get_all_key_pairs(keynames=["boto2-key"])
    assert [(k.name, k.fingerprint) for k in got] == [("boto2-key", kp.fingerprint)]
    filtered = conn.get_all_key_pairs(filters={"key-name": "boto2-*"})
    assert sorted(k.name for k in filtered) == (["boto2-imp", "boto2-key"] if SSH_KEYGEN else ["boto2-key"])
    from boto.exception import EC2ResponseError
    with pytest.raises(EC2ResponseError) as ei:
        conn.get_all_key_pairs(keynames=["boto2-none"])
    assert ei.value.error_code == "InvalidKeyPair.NotFound"
    with pytest.raises(EC2ResponseError) as ei:
        conn.create_key_pair("boto2-key")
    assert ei.value.error_code == "InvalidKeyPair.Duplicate"
    assert conn.delete_key_pair("boto2-key") is True
    assert conn.delete_key_pair("boto2-key") is True
    assert [k.name for k in conn.get_all_key_pairs()] == (["boto2-imp"] if SSH_KEYGEN else [])


# ---- AWS CLI v2 -------------------------------------------------------------------------

def test_cli_create_key_material_and_import(server, ec2, tmp):
    r = run_aws(server, "ec2", "create-key-pair", "--key-name", "cli-key", "--query", "KeyMaterial",
                "--output", "text")
    assert r.rc == 0, repr(r)
    assert r.stdout.startswith("-----BEGIN RSA PRIVATE KEY-----"), r.stdout[:80]
    pem = write(os.path.join(tmp, "cli.pem"), r.stdout)
    d = aws_ok(server, "ec2", "describe-key-pairs", "--key-names", "cli-key")
    assert d["KeyPairs"][0]["KeyFingerprint"] == rsa_created_fingerprint(pem)

    r = run_aws(server, "ec2", "create-key-pair", "--key-name", "cli-ed", "--key-type", "ed25519",
                "--key-format", "ppk", "--query", "KeyMaterial", "--output", "text")
    assert r.rc == 0, repr(r)
    check_ed25519_ppk(r.stdout, "cli-ed")

    if SSH_KEYGEN:
        sh("%s -q -t ed25519 -N '' -f %s/cimp" % (SSH_KEYGEN, tmp))
        out = aws_ok(server, "ec2", "import-key-pair", "--key-name", "cli-imp",
                     "--public-key-material", "fileb://%s/cimp.pub" % tmp)
        assert out["KeyFingerprint"] == ed25519_fingerprint(os.path.join(tmp, "cimp.pub"))
    d = aws_ok(server, "ec2", "describe-key-pairs", "--filters", "Name=key-name,Values=cli-*")
    assert sorted(k["KeyName"] for k in d["KeyPairs"]) == (
        ["cli-ed", "cli-imp", "cli-key"] if SSH_KEYGEN else ["cli-ed", "cli-key"])

    r = run_aws(server, "ec2", "create-key-pair", "--key-name", "cli-key")
    assert r.rc != 0 and "InvalidKeyPair.Duplicate" in r.stderr, repr(r)
    r = run_aws(server, "ec2", "describe-key-pairs", "--key-names", "cli-nope")
    assert r.rc != 0 and "InvalidKeyPair.NotFound" in r.stderr, repr(r)
    # CLI v2.9's model has no DeleteKeyPair output: it prints nothing.
    aws_ok(server, "ec2", "delete-key-pair", "--key-name", "cli-key")
    d = aws_ok(server, "ec2", "describe-key-pairs", "--filters", "Name=key-name,Values=cli-*")
    assert "cli-key" not in [k["KeyName"] for k in d["KeyPairs"]]
