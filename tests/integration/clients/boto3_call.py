"""Runs boto3 calls described by JSON on stdin and prints the results as JSON.

Executed by a different interpreter than the test runner (boto3 1.43 on PATH), so it imports
nothing from the tests. Input: {"endpoint", "service", "region", "key", "secret", "token",
"verify", "calls": [{"operation", "params"}]}.
"""
import json
import sys

import boto3
import botocore
from botocore.config import Config


def main():
    spec = json.load(sys.stdin)
    session = boto3.session.Session(aws_access_key_id=spec["key"],
                                    aws_secret_access_key=spec["secret"],
                                    aws_session_token=spec.get("token"),
                                    region_name=spec["region"])
    client = session.client(spec["service"], endpoint_url=spec["endpoint"],
                            verify=spec.get("verify"),
                            config=Config(retries={"total_max_attempts": 1},
                                          connect_timeout=10, read_timeout=60))
    results = []
    for call in spec["calls"]:
        try:
            resp = getattr(client, call["operation"])(**call.get("params", {}))
            results.append({"ok": True, "response": resp,
                            "status": resp["ResponseMetadata"]["HTTPStatusCode"]})
        except botocore.exceptions.ClientError as e:
            results.append({"ok": False, "error": e.response.get("Error", {}),
                            "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")})
    print(json.dumps({"boto3": boto3.__version__, "botocore": botocore.__version__,
                      "results": results}, default=str))


if __name__ == "__main__":
    main()
