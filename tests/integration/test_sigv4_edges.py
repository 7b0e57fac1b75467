"""SigV4 canonicalization corners that real clients produce; each request is signed by botocore
and must be accepted (the server's canonical request must match the client's)."""
from integ import http_request, sign


def test_header_value_whitespace_collapsed(server):
    body = b"Action=GetCallerIdentity&Version=2011-06-15"
    headers = sign(server, body, "sts", headers={"X-Amz-Meta-Spaces": "  a   b    c  "})
    status, _, resp = http_request(server, "POST", "/", body=body, headers=headers)
    assert status == 200, resp


def test_unicode_filter_value(server):
    body = ("Action=DescribeAvailabilityZones&Version=2016-11-15&Filter.1.Name=zone-name"
            "&Filter.1.Value.1=%C3%BC%E2%82%AC").encode()
    headers = sign(server, body, "ec2")
    status, _, resp = http_request(server, "POST", "/", body=body, headers=headers)
    assert status == 200, resp
    assert b"<zoneName>" not in resp, resp


def test_params_split_between_query_and_body(server):
    path = "/?Action=DescribeAvailabilityZones&Version=2016-11-15"
    body = b"ZoneName.1=us-east-1e"
    headers = sign(server, body, "ec2", path=path)
    status, _, resp = http_request(server, "POST", path, body=body, headers=headers)
    assert status == 200, resp
    assert b"<zoneName>us-east-1e</zoneName>" in resp, resp
    assert b"us-east-1a" not in resp, resp


def test_get_with_encoded_characters(server):
    # A filter value with characters that must be percent-encoded, written canonically.
    path = ("/?Action=DescribeRegions&Version=2016-11-15&Filter.1.Name=region-name"
            "&Filter.1.Value.1=a%20b%2Fc%2A~")
    headers = sign(server, b"", "ec2", method="GET", path=path)
    status, _, resp = http_request(server, "GET", path, headers=headers)
    assert status == 200, resp
    assert b"<regionName>" not in resp, resp


def test_get_with_noncanonical_escapes(server):
    """SigV4 canonicalizes the query from the decoded parameters: a URL written with lowercase
    hex (%2a) and an escaped unreserved character (%7E) is signed as %2A and ~."""
    canonical = ("/?Action=DescribeRegions&Version=2016-11-15&Filter.1.Name=region-name"
                 "&Filter.1.Value.1=a%2Ab~c")
    sent = ("/?Action=DescribeRegions&Version=2016-11-15&Filter.1.Name=region-name"
            "&Filter.1.Value.1=a%2ab%7Ec")
    headers = sign(server, b"", "ec2", method="GET", path=canonical)
    status, _, resp = http_request(server, "GET", sent, headers=headers)
    assert status == 200, resp


def test_repeated_query_parameter_sorted_by_value(server):
    path = ("/?Action=DescribeAvailabilityZones&Version=2016-11-15&ZoneName.1=us-east-1b"
            "&Filter.1.Name=zone-name&Filter.1.Value.2=us-east-1b&Filter.1.Value.1=us-east-1a")
    headers = sign(server, b"", "ec2", method="GET", path=path)
    status, _, resp = http_request(server, "GET", path, headers=headers)
    assert status == 200, resp
    assert b"<zoneName>us-east-1b</zoneName>" in resp, resp


def test_old_ec2_api_version_accepted(server):
    for version in ("2014-10-01", "2016-11-15"):
        body = ("Action=DescribeRegions&Version=%s&RegionName.1=us-east-1" % version).encode()
        headers = sign(server, body, "ec2")
        status, _, resp = http_request(server, "POST", "/", body=body, headers=headers)
        assert status == 200, (version, resp)
