#!/usr/bin/env python3
"""One table, measured in one run: the wire floor (wrk, one connection), the Rust core, and
hcpartner's Python face against the official huaweicloudsdkbss and bare http.client, all against
the same static server (benches/src/bin/static_server.rs: a fixed ListSubCustomers answer), so the
figures are the clients' costs; then the same call end to end against the emulator (AK/SK signature
verified, state looked up).

Each measure runs `--repeats` times for `--seconds`; the clients being compared alternate within a
repeat, and ratios are per repeat (min / median / max), since this machine is shared and noisy.

Usage: python benches/python_bench.py [--seconds S] [--repeats N]   (`make bench-python` sets up
the venv, the release wheel and the release binaries).
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

ROOT = Path(__file__).resolve().parents[1]
RELEASE = ROOT / "target" / "release"
PATH = "/v2/partners/sub-customers/query"
BODY = b'{"offset":0,"limit":10}'
AK, SK, DOMAIN = "BENCHAKEXAMPLE0000001", "bench-secret-key-not-a-real-one", "0a1b2c3d4e5f40718293a4b5c6d7e8f9"


def start(cmd: List[str]) -> Tuple["subprocess.Popen[str]", str]:
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def official(url: str, ak: str, sk: str, domain: str) -> Callable[[], Any]:
    from huaweicloudsdkbss.v2 import BssClient, ListSubCustomersRequest, QuerySubCustomerListReq
    from huaweicloudsdkcore.auth.credentials import GlobalCredentials
    from huaweicloudsdkcore.http.http_config import HttpConfig

    config = HttpConfig.get_default_config()
    config.retry_times = 0
    client = (BssClient.new_builder().with_http_config(config)
              .with_credentials(GlobalCredentials(ak, sk, domain)).with_endpoints([url]).build())

    def call() -> Any:
        resp = client.list_sub_customers(ListSubCustomersRequest(body=QuerySubCustomerListReq(offset=0, limit=10)))
        assert resp.count is not None
        return resp
    return call


def hcp(url: str, ak: str, sk: str, domain: str) -> Tuple[Callable[[], Any], Any]:
    import hcpartner

    creds = hcpartner.AkSk(ak, sk, domain_id=domain)
    client = hcpartner.Client(endpoint=url, credentials=creds)
    aclient = hcpartner.AsyncClient(endpoint=url, credentials=creds)

    def call() -> Any:
        resp = client.list_sub_customers(offset=0, limit=10)
        assert "count" in resp
        return resp
    return call, aclient


def bare(url: str, parse: bool) -> Callable[[], Any]:
    """http.client with keep-alive, no signing: the plainest Python HTTP code."""
    host = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(host.hostname, host.port)

    def call() -> Any:
        conn.request("POST", PATH, BODY, {"Content-Type": "application/json"})
        data = conn.getresponse().read()
        return json.loads(data) if parse else data
    return call


def calls_per_s(run: Callable[[], int], seconds: float) -> float:
    run()  # warm: connections, caches
    calls, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        calls += run()
    return calls / (time.perf_counter() - t0)


def sequential(call: Callable[[], Any]) -> Callable[[], int]:
    def run() -> int:
        for _ in range(20):
            call()
        return 20
    return run


def threaded(call: Callable[[], Any], pool: ThreadPoolExecutor, threads: int) -> Callable[[], int]:
    def worker() -> None:
        for _ in range(10):
            call()

    def run() -> int:
        for f in [pool.submit(worker) for _ in range(threads)]:
            f.result()
        return 10 * threads
    return run


def asyncio_hcp(aclient: Any, in_flight: int) -> Callable[[], int]:
    loop = asyncio.new_event_loop()

    async def worker() -> None:
        for _ in range(4):
            await aclient.list_sub_customers(offset=0, limit=10)

    async def batch() -> None:
        # `in_flight` calls at any time (as the official SDK's executor of that many threads).
        await asyncio.gather(*(worker() for _ in range(in_flight)))

    def run() -> int:
        loop.run_until_complete(batch())
        return in_flight * 4
    return run


def asyncio_official(call: Callable[[], Any], in_flight: int) -> Callable[[], int]:
    """The official SDK has no asyncio: a 64-thread executor is its only way."""
    loop = asyncio.new_event_loop()
    pool = ThreadPoolExecutor(in_flight)

    async def batch() -> None:
        await asyncio.gather(*(loop.run_in_executor(pool, call) for _ in range(in_flight * 4)))

    def run() -> int:
        loop.run_until_complete(batch())
        return in_flight * 4
    return run


def import_cost(setup: str, runs: int = 9) -> Tuple[float, float]:
    """Median ms to run `setup` in a fresh interpreter (over the bare interpreter: measured
    inside it), and the RSS (MiB) it adds."""
    code = ("import time,re;rss=lambda: int(re.search(r'VmRSS:\\s+(\\d+)', open('/proc/self/status').read()).group(1))/1024;"
            f"r0=rss();t=time.perf_counter();{setup};d=time.perf_counter()-t;print(d*1000, rss()-r0)")
    times, rss = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
        times.append(float(out[0]))
        rss.append(float(out[1]))
    return statistics.median(times), statistics.median(rss)


def spread(values: List[float]) -> str:
    v = sorted(values)
    return f"{v[0]:8.1f} {statistics.median(v):8.1f} {v[-1]:8.1f}"


def wrk_floor(url: str, seconds: float, repeats: int) -> Optional[List[float]]:
    if not shutil.which("wrk"):
        return None
    out = []
    for _ in range(repeats):
        text = subprocess.run(["wrk", "-t1", "-c1", f"-d{max(seconds, 1):.0f}s", url], capture_output=True,
                              text=True, check=True).stdout
        out.append(1e6 / float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)))  # type: ignore[union-attr]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    server, url = start([str(RELEASE / "static_server")])
    emulator, line = start([str(RELEASE / "hcpartner-emulator"), "--port", "0", "--exit-with-stdin"])
    info = json.loads(line)
    try:
        print(f"static server {url} (a fixed {len(open(ROOT / 'benches/fixtures/list_sub_customers.json').read())}-byte "
              f"ListSubCustomers answer); {args.repeats} repeats x {args.seconds:.0f} s; load {os.getloadavg()[0]:.1f}\n")
        print(f"{'per call, µs':<58}{'min':>8} {'median':>8} {'max':>8}")
        floor = wrk_floor(url, args.seconds, args.repeats)
        if floor:
            print(f"{'wire floor: wrk, 1 connection':<58}{spread(floor)}")
        core = subprocess.run([str(RELEASE / "core_bench"), url, "--seconds", str(args.seconds / 2),
                               "--repeats", str(args.repeats)], capture_output=True, text=True, check=True).stdout
        for row in core.splitlines()[1:]:
            name, rest = row[:44].strip(), row[44:].split()
            print(f"{'core: ' + name:<58}{float(rest[0]):8.1f} {float(rest[1]):8.1f} {float(rest[2]):8.1f}")

        off_s, (hcp_s, ahcp_s) = official(url, AK, SK, DOMAIN), hcp(url, AK, SK, DOMAIN)
        bare_raw, bare_json = bare(url, parse=False), bare(url, parse=True)
        rows: Dict[str, List[float]] = {k: [] for k in ("seq_off", "seq_hcp", "seq_bare", "seq_bare_json", "t16_off",
                                                        "t16_hcp", "a64_off", "a64_hcp")}
        with ThreadPoolExecutor(16) as pool:
            for _ in range(args.repeats):
                rows["seq_off"].append(calls_per_s(sequential(off_s), args.seconds))
                rows["seq_hcp"].append(calls_per_s(sequential(hcp_s), args.seconds))
                rows["seq_bare"].append(calls_per_s(sequential(bare_raw), args.seconds))
                rows["seq_bare_json"].append(calls_per_s(sequential(bare_json), args.seconds))
                rows["t16_off"].append(calls_per_s(threaded(off_s, pool, 16), args.seconds))
                rows["t16_hcp"].append(calls_per_s(threaded(hcp_s, pool, 16), args.seconds))
                rows["a64_off"].append(calls_per_s(asyncio_official(off_s, 64), args.seconds))
                rows["a64_hcp"].append(calls_per_s(asyncio_hcp(ahcp_s, 64), args.seconds))
        for key, name in [("seq_bare", "bare http.client, keep-alive, read only"),
                          ("seq_bare_json", "bare http.client, keep-alive, + json.loads"),
                          ("seq_off", "official huaweicloudsdkbss, sequential"), ("seq_hcp", "hcpartner, sequential"),
                          ("t16_off", "official, 16 threads"), ("t16_hcp", "hcpartner, 16 threads"),
                          ("a64_off", "official, asyncio 64 in flight (64-thread executor)"),
                          ("a64_hcp", "hcpartner, asyncio 64 in flight")]:
            print(f"{'python: ' + name:<58}{spread([1e6 / r for r in rows[key]])}")

        print(f"\n{'ratios (per repeat), x faster':<58}{'min':>8} {'median':>8} {'max':>8}")
        def ratio(a: str, b: str, name: str, goal: str) -> None:
            print(f"{name:<58}{spread([x / y for x, y in zip(rows[a], rows[b])])}   goal {goal}")
        ratio("seq_hcp", "seq_off", "python sequential vs official", ">= 10")
        ratio("seq_hcp", "seq_bare", "python sequential vs bare http.client (read only)", ">= 1.3")
        ratio("seq_hcp", "seq_bare_json", "python sequential vs bare http.client + json.loads", "")
        ratio("t16_hcp", "t16_off", "python 16 threads vs official", ">= 25")
        ratio("a64_hcp", "a64_off", "python asyncio 64 vs official", ">= 25")

        # End to end against the emulator: signature verified, state looked up, a real answer.
        e_off, (e_hcp, _) = official(info["url"], info["ak"], info["sk"], info["domain_id"]), \
            hcp(info["url"], info["ak"], info["sk"], info["domain_id"])
        eo, eh = [], []
        for _ in range(args.repeats):
            eo.append(calls_per_s(sequential(e_off), args.seconds / 2))
            eh.append(calls_per_s(sequential(e_hcp), args.seconds / 2))
        print(f"{'emulator end to end, sequential, hcpartner vs official':<58}"
              f"{spread([h / o for h, o in zip(eh, eo)])}   ({statistics.median(eh):.0f} vs {statistics.median(eo):.0f} calls/s)")

        bare_imp, bare_rss = import_cost("pass")
        off_imp, off_rss = import_cost("import huaweicloudsdkbss.v2")
        hcp_imp, hcp_rss = import_cost(f"import hcpartner; hcpartner.Client(endpoint='{url}', "
                                       f"credentials=hcpartner.AkSk('a', 'b', domain_id='d'))")
        imp_only, _ = import_cost("import hcpartner")
        print(f"\nimport hcpartner: {imp_only - bare_imp:.1f} ms over a bare interpreter (goal <= 5); with a client "
              f"{hcp_imp - bare_imp:.1f} ms, RSS +{hcp_rss - bare_rss:.1f} MiB (goal <= 5); official "
              f"huaweicloudsdkbss.v2: {off_imp - bare_imp:.1f} ms, RSS +{off_rss - bare_rss:.1f} MiB")
    finally:
        for p in (server, emulator):
            assert p.stdin is not None
            p.stdin.close()
            p.wait(timeout=10)


if __name__ == "__main__":
    main()
