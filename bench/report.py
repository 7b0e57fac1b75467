#!/usr/bin/env python3
"""Turns bench/run's results.jsonl into the Markdown table for BENCHMARKS.md (bench/README.md)."""
import argparse
import json
import os
import platform


def fmt_latency(us):
    if us is None:
        return "—"
    if us < 1000:
        return f"{us:.0f} µs"
    if us < 1_000_000:
        return f"{us / 1000:.2f} ms"
    return f"{us / 1_000_000:.2f} s"


def fmt_rps(rps):
    return f"{rps:,.0f}" if rps >= 100 else f"{rps:,.1f}"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--started", default="")
    ap.add_argument("--duration", default="")
    ap.add_argument("--warmup", default="")
    ap.add_argument("--commit", default="")
    ap.add_argument("--noise-max", type=float, default=25.0)
    args = ap.parse_args()

    all_rows = [json.loads(line) for line in open(args.results) if line.strip()]
    fanout = [r for r in all_rows if r.get("kind") == "fanout"]
    ec2_fills = [r for r in all_rows if r.get("kind") == "ec2_fill"]
    rows = [r for r in all_rows if r.get("kind") not in ("fanout", "ec2_fill")]
    by_key = {(r["peer"], r["action"], r["connections"]): r for r in rows if "na" not in r}

    print(f"### overcast and its peers, {args.started}")
    print()
    print(f"Commit {args.commit}; {cpu_model()}, {os.cpu_count()} cores, Linux "
          f"{platform.release()}. Server pinned to core 1, overcast-loadgen to core 0; "
          f"{args.duration} s measured after {args.warmup} s of warm-up per row; keep-alive "
          f"connections, one request in flight on each.")
    print()
    print("| peer | scenario | conns | req/s | p50 | p99 | % of nginx | overcast/moto "
          "| server CPU/req | gen CPU | non-200 | errors | reconnects | others' CPU |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    noisy = False
    generator_bound = False
    unsigned = set()
    for r in rows:
        peer, action, conns = r["peer"], r["action"], r["connections"]
        if "na" in r:
            print(f"| {peer} | {action} | {conns} | n/a | | | | | | | | | | |")
            continue
        ceiling = by_key.get(("nginx", action, conns))
        pct = f"{100 * r['rps'] / ceiling['rps']:.1f}%" if ceiling and ceiling["rps"] else "—"
        ratio = "—"
        if peer == "overcast":
            moto = by_key.get(("moto", action, conns))
            ratio = f"{r['rps'] / moto['rps']:,.0f}×" if moto and moto["rps"] else "—"
        cpu = r.get("server_cpu_us_per_req")
        cpu_s = "—" if cpu is None else (f"{cpu:.1f} µs" if cpu < 1000 else f"{cpu / 1000:.2f} ms")
        others = r.get("others_cpu_pct", 0.0)
        flag = " ⚠" if others > args.noise_max else ""
        noisy = noisy or bool(flag)
        wall = r.get("wall_s") or 0
        gen = 100 * r.get("cpu_s", 0.0) / wall if wall else 0.0
        gen_s = f"{gen:.0f}%" + (" ▲" if gen > 90 else "")
        generator_bound = generator_bound or gen > 90
        if action != "raw-get" and not r.get("signed", True):
            unsigned.add(peer)
        print(f"| {peer} | {action} | {conns} | {fmt_rps(r['rps'])} | {fmt_latency(r['p50_us'])} "
              f"| {fmt_latency(r['p99_us'])} | {pct} | {ratio} | {cpu_s} | {gen_s} | {r['non200']} "
              f"| {r['errors']} | {r['reconnects']} | {others:.1f}%{flag} |")
    print()
    print("req/s: responses completed per second of the measured window. p50/p99: request "
          "latency at the generator (connect included where the server closed the previous "
          "connection). % of nginx: req/s over nginx's on the same scenario and connection "
          "count. server CPU/req: the server process's CPU time (warm-up included) over its "
          "requests. gen CPU: the load generator's CPU over the row, in % of its core. others' CPU: what every other process on the machine used during the row, "
          "in % of one core.")
    print()
    print("The signed scenarios send the same SigV4-signed bytes to every peer: overcast "
          "verifies the signature; moto, nginx and overcast-fixed-server do not look at it.")
    if unsigned:
        print()
        print(f"Sent UNSIGNED (the load generator was built without a signer): "
              f"{', '.join(sorted(unsigned))}.")
    if noisy:
        print()
        print(f"⚠: other processes used more than {args.noise_max:.0f}% of a core during the row; "
              "treat it with suspicion.")
    if generator_bound:
        print()
        print("▲: the load generator used over 90% of its core: that row may measure the "
              "generator as much as the server.")
    cycle = [r for r in rows if "na" not in r and "msg_per_s" in r]
    if cycle:
        print()
        print("SQS cycle (each connection: 10 × SendMessage, ReceiveMessage of up to 10, "
              "DeleteMessageBatch of what came back; then the queue is drained and every "
              "message counted):")
        print()
        print("| peer | scenario | conns | msg/s | overcast/fauxqs | server CPU/msg | sent "
              "| received | lost | duplicated | unconfirmed | other MessageId | drained |")
        print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|")
        for r in cycle:
            peer, action, conns = r["peer"], r["action"], r["connections"]
            ratio = "—"
            if peer == "overcast":
                fq = by_key.get(("fauxqs", action, conns))  # fauxqs: JSON protocol only
                ratio = f"{r['msg_per_s'] / fq['msg_per_s']:,.2f}×" if fq and fq["msg_per_s"] else "—"
            per_req = r.get("server_cpu_us_per_req")
            per_msg = (per_req * r["requests"] / r["messages"]) if per_req and r["messages"] else None
            cpu_s = "—" if per_msg is None else (
                f"{per_msg:.1f} µs" if per_msg < 1000 else f"{per_msg / 1000:.2f} ms")
            drained = "yes" if r.get("drained") else f"no ({r.get('drain_s', 0):.0f} s)"
            print(f"| {peer} | {action} | {conns} | {fmt_rps(r['msg_per_s'])} | {ratio} | {cpu_s} "
                  f"| {r['sent']} | {r['received']} | {r['lost']} | {r['duplicated']} "
                  f"| {r['unconfirmed']} | {r.get('id_mismatch', '—')} | {drained} |")
        print()
        print("msg/s: messages received and deleted (DeleteMessageBatch successes) per second of "
              "the measured window. sent/received/lost/duplicated count the whole row (warm-up and "
              "drain included): lost = a send answered 200 whose message never came back; "
              "duplicated = receipts beyond a message's first; unconfirmed = received although "
              "its send was not answered 200; other MessageId = received with another MessageId than "
              "its send was answered with. server CPU/msg is approximate (warm-up and drain "
              "CPU over the window's messages).")
    sns_table(rows, by_key)
    ec2_table(rows, ec2_fills)
    fanout_table(fanout)
    for r in rows:
        if "na" in r and (r["connections"] == min(x["connections"] for x in rows)
                          or r["na"].startswith("not measured")):
            print(f"\nn/a: {r['peer']} on {r['action']}: {r['na']}")


def fmt_cpu(us):
    if us is None:
        return "—"
    return f"{us:.1f} µs" if us < 1000 else f"{us / 1000:.2f} ms"


def sns_table(rows, by_key):
    sns = [r for r in rows if "na" not in r and "sns_subscriptions" in r]
    if not sns:
        return
    raw = any(r.get("sns_raw") for r in sns)
    print()
    print(f"SNS Publish to N SQS subscriptions ({'RawMessageDelivery' if raw else 'JSON envelope, RawMessageDelivery false'}; "
          "each publish a unique 256-byte message; copies counted after the row):")
    print()
    print("| peer | subscriptions | conns | publishes/s | overcast/fauxqs | overcast/moto "
          "| cost vs 1 subscription | server CPU/publish | not 200 | 200 without MessageId "
          "| unanswered | copies expected | copies found | missing | extra |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in sns:
        peer, action, conns, n = r["peer"], r["action"], r["connections"], r["sns_subscriptions"]
        ratios = []
        for other in ("fauxqs", "moto"):
            o = by_key.get((other, action, conns))
            if peer == "overcast" and o and o.get("publishes_per_s"):
                ratios.append(f"{r['publishes_per_s'] / o['publishes_per_s']:,.2f}×")
            else:
                ratios.append("—")
        cost = "—"
        one = by_key.get((peer, "sns-publish-1", conns))
        if n != 1 and one and one.get("publishes_per_s") and r.get("publishes_per_s"):
            cost = f"{one['publishes_per_s'] / r['publishes_per_s']:.2f}×"
        per_req = r.get("server_cpu_us_per_req")
        print(f"| {peer} | {n} | {conns} | {fmt_rps(r['publishes_per_s'])} | {ratios[0]} | {ratios[1]} "
              f"| {cost} | {fmt_cpu(per_req)} | {r['publishes_failed']} | {r['publishes_no_id']} "
              f"| {r['publishes_unanswered']} | {r['copies_expected']:,} | {r['copies_found']:,} "
              f"| {r['copies_missing']:,} | {r['copies_extra']:,} |")
    print()
    print("publishes/s: Publish answers with status 200 and a MessageId per second of the window. "
          "cost vs 1 subscription: publishes/s with 1 subscription over publishes/s with N (same "
          "peer and connections). not 200 / without MessageId / unanswered / copies: over the whole "
          "row (warm-up included; after the window every connection waits for its last answer). "
          "copies expected = subscriptions × publishes answered with a MessageId; copies found = "
          "ApproximateNumberOfMessages (+ NotVisible + Delayed) summed over the queues after the row; "
          "extra copies can only come from unanswered publishes.")


def ec2_table(rows, fills):
    """EC2 on a filled account: how long each fill took, and what the describes returned."""
    if fills:
        print()
        print("EC2 account fills (RunInstances of up to the batch, then one CreateTags "
              "Name=group-<k> per 10 instances), before each peer's ec2-* rows:")
        print()
        print("| peer | instances | RunInstances calls | launch time | CreateTags calls "
              "| tag time | total | ok |")
        print("|---|--:|--:|--:|--:|--:|--:|---|")
        for r in fills:
            print(f"| {r['peer']} | {r['launched']:,} of {r['ec2_fill']:,} | {r['run_calls']} "
                  f"| {r['run_s']:.1f} s | {r['tag_calls']} | {r['tag_s']:.1f} s "
                  f"| {r['fill_s']:.1f} s | {'yes' if r['ok'] else 'no: ' + r['error'][:120]} |")
    ec2 = [r for r in rows if "na" not in r and "ec2_expected" in r]
    if ec2:
        print()
        print("EC2 checks over each whole row (warm-up included): describes answered 200 and "
              "those listing another number of instances than the group has; ec2-run-10: "
              "RunInstances and TerminateInstances answered, instances launched per second of "
              "the window, and the latency of every request (run and terminate together; the "
              "row's own p50/p99 are RunInstances alone):")
        print()
        print("| peer | scenario | conns | describes | wrong count | runs | terminates "
              "| instances/s | all p50 | all p99 | failed |")
        print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        for r in ec2:
            run = r["ec2_runs"] > 0 or r["ec2_terminates"] > 0
            print(f"| {r['peer']} | {r['action']} | {r['connections']} | {r['ec2_describes']} "
                  f"| {r['ec2_wrong_count']} | {r['ec2_runs']} | {r['ec2_terminates']} "
                  f"| {fmt_rps(r['ec2_instances_per_s']) if run else '—'} "
                  f"| {fmt_latency(r['all_p50_us']) if run else '—'} "
                  f"| {fmt_latency(r['all_p99_us']) if run else '—'} | {r['ec2_failed']} |")


def fanout_table(rows):
    if not rows:
        return
    print()
    print("SNS fan-out latency (overcast-sqs-probe fanout, on a fresh start of each peer): one "
          "publish at a time; one long-polling receiver per queue (ReceiveMessage, "
          "WaitTimeSeconds=20); time from writing the Publish until the last copy, and the first, "
          "came back from its queue:")
    print()
    print("| peer | subscriptions | publish → last copy p50 | p99 | max | first copy p50 "
          "| Publish answered p50 | p99 | samples complete | copies received / expected "
          "| missing | duplicated | other MessageId | bad envelope |")
    print("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for r in rows:
        print(f"| {r['peer']} | {r['subscriptions']} | {fmt_latency(r['last_p50_us'])} "
              f"| {fmt_latency(r['last_p99_us'])} | {fmt_latency(r['last_max_us'])} "
              f"| {fmt_latency(r['first_p50_us'])} | {fmt_latency(r['publish_p50_us'])} "
              f"| {fmt_latency(r['publish_p99_us'])} | {r['trials_ok']}/{r['samples']} "
              f"| {r['copies_received']:,} / {r['copies_expected']:,} | {r['missing']} "
              f"| {r['duplicated']} | {r['id_mismatch']} | {r['bad_envelope']} |")
    problems = [r for r in rows if r.get("first_problem")]
    for r in problems:
        print(f"\n{r['peer']}, {r['subscriptions']} subscriptions, first problem: {r['first_problem']}")


if __name__ == "__main__":
    main()
