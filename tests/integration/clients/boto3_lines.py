"""A long-lived boto3 client process: one JSON call per stdin line, one JSON result per stdout line.

Run by a different interpreter than the test runner (boto3 1.43 on PATH), so it imports nothing
from the tests. The first line is the spec {"endpoint", "service", "region", "key", "secret",
"token"}; it answers {"boto3": version, "botocore": version}. Each later line is
{"operation": "SendMessage", "params": {...}}; bytes are written {"$bytes": base64} both ways.
Results: {"ok": true, "response": ..., "status": n} or {"ok": false, "error": {...}, "status": n}.
"""
import base64
import datetime
import json
import sys

import boto3
import botocore
from botocore.config import Config


def decode(v):
    if isinstance(v, list):
        return [decode(x) for x in v]
    if isinstance(v, dict):
        if list(v) == ["$bytes"]:
            return base64.b64decode(v["$bytes"])
        return {k: decode(x) for k, x in v.items()}
    return v


def encode(v):
    if isinstance(v, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(v)).decode()}
    if isinstance(v, list):
        return [encode(x) for x in v]
    if isinstance(v, dict):
        return {k: encode(x) for k, x in v.items()}
    if isinstance(v, datetime.datetime):
        return v.isoformat()
    return v


def main():
    spec = json.loads(sys.stdin.readline())
    session = boto3.session.Session(aws_access_key_id=spec["key"],
                                    aws_secret_access_key=spec["secret"],
                                    aws_session_token=spec.get("token"),
                                    region_name=spec["region"])
    client = session.client(spec["service"], endpoint_url=spec["endpoint"],
                            config=Config(retries={"total_max_attempts": 1},
                                          connect_timeout=10, read_timeout=60))
    print(json.dumps({"boto3": boto3.__version__, "botocore": botocore.__version__}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        call = json.loads(line)
        op = botocore.xform_name(call["operation"])
        try:
            resp = getattr(client, op)(**decode(call.get("params", {})))
            status = resp["ResponseMetadata"]["HTTPStatusCode"]
            resp.pop("ResponseMetadata", None)
            out = {"ok": True, "response": encode(resp), "status": status}
        except botocore.exceptions.ClientError as e:
            out = {"ok": False, "error": encode(e.response.get("Error", {})),
                   "status": e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")}
        except Exception as e:  # noqa: BLE001 - connection errors etc.
            out = {"ok": False, "error": {"Code": type(e).__name__, "Message": str(e)},
                   "status": None}
        print(json.dumps(out, default=str), flush=True)


if __name__ == "__main__":
    main()
