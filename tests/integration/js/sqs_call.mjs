// Runs SQS calls with the AWS SDK for JavaScript v3 (@aws-sdk/client-sqs, JSON protocol) and
// prints one JSON document with a result per call. Driven by the pytest integration tests.
//
// Input: a JSON list of calls, as argv[2] or on stdin (or, with argv[2] = "--lines", one call per
// stdin line answered by one result per stdout line, for a long-lived client process):
//   [{"command": "SendMessage", "input": {...}}, {"sleepMs": 100}, ...]
// Binary values are written {"$bytes": "<base64>"} in inputs and come back the same way in outputs.
// Each call's "ms" option (optional) is unused; every result carries startMs/endMs (epoch ms).
// Environment: OVERCAST_ENDPOINT (required), AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN (optional), AWS_REGION (default us-east-1).
// Output: {"sdk": version, "node": version, "results": [{ok: true, output, status, startMs, endMs} |
//          {ok: false, error: name, code, type, message, status, fault, startMs, endMs}]}
// The SDK's own checks (body MD5 on SendMessage/SendMessageBatch/ReceiveMessage) stay ON: a wrong
// MD5 shows up as a failed call whose error is not an AWS error (status null).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import * as sqs from "@aws-sdk/client-sqs";

const require = createRequire(import.meta.url);

function decodeIn(v) {
  if (Array.isArray(v)) return v.map(decodeIn);
  if (v && typeof v === "object") {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === "$bytes") return new Uint8Array(Buffer.from(v.$bytes, "base64"));
    const out = {};
    for (const k of keys) out[k] = decodeIn(v[k]);
    return out;
  }
  return v;
}

function encodeOut(v) {
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString("base64") };
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(encodeOut);
  if (v && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v)) out[k] = encodeOut(v[k]);
    return out;
  }
  return v;
}

function makeClient() {
  const endpoint = process.env.OVERCAST_ENDPOINT;
  if (!endpoint) throw new Error("OVERCAST_ENDPOINT is not set");
  const credentials = {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID || "test",
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY || "test",
  };
  if (process.env.AWS_SESSION_TOKEN) credentials.sessionToken = process.env.AWS_SESSION_TOKEN;
  const client = new sqs.SQSClient({
    endpoint,
    region: process.env.AWS_REGION || "us-east-1",
    credentials,
    maxAttempts: 1,
  });
  return client;
}

async function runOne(client, call) {
    const startMs = Date.now();
    if (call.sleepMs !== undefined) {
      await new Promise((r) => setTimeout(r, call.sleepMs));
      return { ok: true, output: {}, startMs, endMs: Date.now() };
    }
    const Cmd = sqs[call.command + "Command"];
    if (!Cmd) {
      return { ok: false, error: "UnknownCommand", message: call.command, status: null, startMs, endMs: startMs };
    }
    try {
      const out = await client.send(new Cmd(decodeIn(call.input || {})));
      const { $metadata, ...rest } = out;
      return { ok: true, output: encodeOut(rest), status: $metadata && $metadata.httpStatusCode,
               requestId: $metadata && $metadata.requestId, startMs, endMs: Date.now() };
    } catch (e) {
      const md = e.$metadata || {};
      return {
        ok: false,
        error: e.name,
        code: e.Code !== undefined ? e.Code : null,
        type: e.Type !== undefined ? e.Type : null,
        message: e.message,
        fault: e.$fault || null,
        status: md.httpStatusCode !== undefined ? md.httpStatusCode : null,
        startMs,
        endMs: Date.now(),
      };
    }
}

function sdkVersion() {
  let version = null;
  try {
    version = require("@aws-sdk/client-sqs/package.json").version;
  } catch (e) {
    version = null;
  }
  return version;
}

async function main() {
  const client = makeClient();
  if (process.argv[2] === "--lines") {
    // Long-lived mode for the tests: one call per stdin line, one result per stdout line,
    // after a first line {"sdk", "node"}.
    process.stdout.write(JSON.stringify({ sdk: sdkVersion(), node: process.version }) + "\n");
    const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) {
      if (!line.trim()) continue;
      const r = await runOne(client, JSON.parse(line));
      process.stdout.write(JSON.stringify(r) + "\n");
    }
    client.destroy();
    return;
  }
  const text = process.argv[2] !== undefined ? process.argv[2] : readFileSync(0, "utf8");
  const calls = JSON.parse(text);
  const results = [];
  for (const call of calls) results.push(await runOne(client, call));
  client.destroy();
  process.stdout.write(JSON.stringify({ sdk: sdkVersion(), node: process.version, results }) + "\n");
}

main().catch((e) => {
  process.stderr.write(String((e && e.stack) || e) + "\n");
  process.exit(2);
});
