#!/usr/bin/env python3
"""Generate documentation-free copies of botocore service models as C++ sources.

overcast's protocol layer (src/protocol) is driven by botocore's service-2.json models. Building
must not need botocore, so this script extracts what the codecs need (metadata, operations, shapes
and their wire traits) and writes it into src/protocol/generated/ as raw string literals, which are
committed.

To rerun (after a botocore upgrade, or to add a service):
    python3 tools/gen_models.py            # from the repository root
    python3 tools/gen_models.py --out DIR  # somewhere else
It uses the botocore of the `python3` first on PATH (the newest on this machine), plus Debian's
botocore 1.29 (python3-botocore, /usr/lib/python3/dist-packages) for SQS's query-protocol traits:
newer SQS models are protocol "json" and have lost locationName/flattened names, resultWrapper and
the legacy query error codes (AWS.SimpleQueueService.NonExistentQueue, ...), which boto 2, older
boto3 and AWS CLI v1 clients still send and expect.

SQS merge rules: the model is the newest one; for every shape, member and operation that also
exists in the 1.29 model, the 1.29 query traits (locationName, queryName, flattened, xmlNamespace,
map key/value locationNames, list member locationName, output resultWrapper) are copied in, and the
shape gets "queryTraitsMerged": true so a reader can tell. The JSON codec ignores these traits, as
JSON clients do. Every error shape gets "queryError": {code, httpStatusCode, senderFault} with its
legacy query code (1.29 `error`, else the newest model's `awsQueryError` trait).
The metadata gets "queryXmlNamespace" (1.29's xmlNamespace) and "queryTraitsFrom" (its version).
"""
import argparse
import gzip
import json
import os
import sys

SERVICES = [  # (overcast's name = the signing name, botocore's data folder, api version)
    ("ec2", "ec2", "2016-11-15"),
    ("sqs", "sqs", "2012-11-05"),
    ("sns", "sns", "2010-03-31"),
    ("sts", "sts", "2011-06-15"),
    ("servicequotas", "service-quotas", "2019-06-24"),  # json 1.1
]
LEGACY_BOTOCORE = "/usr/lib/python3/dist-packages/botocore"

META_KEYS = ["protocol", "apiVersion", "xmlNamespace", "targetPrefix", "jsonVersion",
             "signingName", "endpointPrefix", "awsQueryCompatible"]
SHAPE_KEYS = ["type", "required", "member", "key", "value", "flattened", "enum", "min", "max",
              "error", "exception", "fault", "timestampFormat", "locationName", "xmlNamespace",
              "awsQueryError"]
MEMBER_KEYS = ["shape", "locationName", "queryName", "flattened", "xmlNamespace",
               "timestampFormat", "jsonvalue", "xmlAttribute"]
QUERY_MEMBER_TRAITS = ["locationName", "queryName", "flattened", "xmlNamespace"]
QUERY_SHAPE_TRAITS = ["locationName", "flattened", "xmlNamespace"]
PIECE_BYTES = 60000  # one raw-string piece; adjacent literals are concatenated by the compiler
DELIM = "ocmodel"


def load(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def model_path(root, service, version):
    base = os.path.join(root, "data", service, version, "service-2.json")
    return base + ".gz" if os.path.exists(base + ".gz") else base


def pick(obj, keys):
    return {k: obj[k] for k in keys if k in obj}


def strip_member(m):
    return pick(m, MEMBER_KEYS)


def strip_shape(s):
    out = pick(s, SHAPE_KEYS)
    for k in ("member", "key", "value"):
        if k in out:
            out[k] = strip_member(out[k])
    if "members" in s:
        out["members"] = {n: strip_member(m) for n, m in s["members"].items()}
    return out


def strip_operation(name, op):
    out = {"name": name}
    if "http" in op:
        out["http"] = pick(op["http"], ["method", "requestUri"])
    if "input" in op:
        out["input"] = pick(op["input"], ["shape", "locationName", "xmlNamespace"])
    if "output" in op:
        out["output"] = pick(op["output"], ["shape", "resultWrapper"])
    if "errors" in op:
        out["errors"] = [{"shape": e["shape"]} for e in op["errors"]]
    return out


def strip_model(raw):
    return {
        "metadata": pick(raw["metadata"], META_KEYS),
        "operations": {n: strip_operation(n, op) for n, op in raw["operations"].items()},
        "shapes": {n: strip_shape(s) for n, s in raw["shapes"].items()},
    }


def merge_query_traits(model, legacy, legacy_version):
    """Copies the legacy (query protocol) traits into the newest model; see the module doc."""
    model["metadata"]["queryXmlNamespace"] = legacy["metadata"].get("xmlNamespace", "")
    model["metadata"]["queryTraitsFrom"] = "botocore " + legacy_version
    for name, op in model["operations"].items():
        old = legacy["operations"].get(name)
        if old and "output" in op and "resultWrapper" in old.get("output", {}):
            op["output"]["resultWrapper"] = old["output"]["resultWrapper"]
    for name, shape in model["shapes"].items():
        old = legacy["shapes"].get(name)
        merged = False
        if old:
            for k in QUERY_SHAPE_TRAITS:
                if k in old:
                    shape[k] = old[k]
                    merged = True
            for k in ("member", "key", "value"):
                if k in shape and k in old:
                    for t in QUERY_MEMBER_TRAITS:
                        if t in old[k]:
                            shape[k][t] = old[k][t]
                            merged = True
            for mname, member in shape.get("members", {}).items():
                om = old.get("members", {}).get(mname)
                for t in QUERY_MEMBER_TRAITS:
                    if om and t in om:
                        member[t] = om[t]
                        merged = True
        if shape.get("exception"):
            legacy_err = (old or {}).get("error") or shape.get("awsQueryError")
            if legacy_err:
                shape["queryError"] = pick(legacy_err, ["code", "httpStatusCode", "senderFault"])
                merged = True
        if merged:
            shape["queryTraitsMerged"] = True


def cxx_source(service, text, version):
    if ")" + DELIM + '"' in text:
        sys.exit("raw string delimiter occurs in the model text")
    pieces = [text[i:i + PIECE_BYTES] for i in range(0, len(text), PIECE_BYTES)]
    body = "\n".join('    R"%s(%s)%s"' % (DELIM, p, DELIM) for p in pieces)
    return (
        "// Generated by tools/gen_models.py from botocore %s \u2014 do not edit.\n"
        "#include \"protocol/generated/models.h\"\n\n"
        "namespace overcast::protocol::generated {\n\n"
        "namespace {\n"
        "constexpr char kModel[] =\n%s;\n"
        "}  // namespace\n\n"
        "std::string_view %sModelJson() { return {kModel, sizeof(kModel) - 1}; }\n\n"
        "}  // namespace overcast::protocol::generated\n" % (version, body, service))


def header_source(version):
    decls = "\n".join("std::string_view %sModelJson();" % s for s, _, _ in SERVICES)
    rows = "\n".join('    {"%s", &%sModelJson},' % (s, s) for s, _, _ in SERVICES)
    return (
        "// Generated by tools/gen_models.py from botocore %s \u2014 do not edit.\n"
        "// The documentation-free service models, as minified JSON text (see the script's doc).\n"
        "#pragma once\n\n#include <array>\n#include <string_view>\n\n"
        "namespace overcast::protocol::generated {\n\n%s\n\n"
        "struct BuiltinModel {\n  std::string_view service;\n  std::string_view (*json)();\n};\n\n"
        "inline constexpr std::array<BuiltinModel, %d> kBuiltinModels{{\n%s\n}};\n\n"
        "}  // namespace overcast::protocol::generated\n" % (version, decls, len(SERVICES), rows))


def write_if_changed(path, text):
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    import botocore
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(here, "..", "src", "protocol", "generated"))
    args = ap.parse_args()
    root = os.path.dirname(botocore.__file__)
    version = botocore.__version__
    legacy_version = "1.29"
    try:
        with open(os.path.join(LEGACY_BOTOCORE, "__init__.py")) as f:
            for line in f:
                if line.startswith("__version__"):
                    legacy_version = line.split("=")[1].strip().strip("'\"")
    except OSError:
        sys.exit("needs Debian's python3-botocore at " + LEGACY_BOTOCORE)
    os.makedirs(args.out, exist_ok=True)
    for service, folder, api in SERVICES:
        model = strip_model(load(model_path(root, folder, api)))
        if service == "sqs":
            legacy = load(model_path(LEGACY_BOTOCORE, service, api))
            merge_query_traits(model, legacy, legacy_version)
        text = json.dumps(model, separators=(",", ":"), ensure_ascii=True)  # model order
        write_if_changed(os.path.join(args.out, service + "_model.cc"),
                         cxx_source(service, text, version))
    write_if_changed(os.path.join(args.out, "models.h"), header_source(version))


if __name__ == "__main__":
    main()
