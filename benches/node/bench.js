'use strict';
// make bench-node: hcpartner against the official @huaweicloud/huaweicloud-sdk-core (through a
// BSS-shaped client, official_bss.js) and bare node:http with keep-alive, all calling
// ListSubCustomers on one static server (benches/src/bin/static_server.rs, its own process) in one run:
// sequential, 16 and 200 in flight, `require` time, RSS after 10,000 calls and its growth from
// 10,000 to 100,000 and over the next 100,000 (all of it, and the part outside V8's heap). Each throughput is measured
// BENCH_REPEATS (5) times: the table shows the median and min-max. The machine may be shared
// and noisy: compare within one run.

const { spawn, execFileSync } = require('node:child_process');
const http = require('node:http');
const path = require('node:path');
const readline = require('node:readline');

const REPEATS = Number(process.env.BENCH_REPEATS || 5);
const SEQ = Number(process.env.BENCH_SEQ || 2000);
const CONC = Number(process.env.BENCH_CONC || 4000);
const HCP = path.resolve(__dirname, '..', '..', 'bindings-node');
const [AK, SK, DOMAIN] = ['BENCHAKEXAMPLE000001', 'benchSecretKey0123456789abcdefghijKLMNOP', '0970dbench0000000000000000000000'];
const NAMES = { official: 'official core', bare: 'node:http keep-alive', hcpartner: 'hcpartner' };

function startServer() {
  return new Promise((resolve, reject) => {
    // The benchmark server every bench uses (benches/src/bin/static_server.rs): prints its URL.
    const server = path.resolve(__dirname, '..', '..', 'target', 'release', 'static_server');
    const child = spawn(server, [], { stdio: ['pipe', 'pipe', 'inherit'] });
    child.on('error', reject);
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      resolve({ url: line.trim(), stop: () => child.stdin.end() });
    });
  });
}

/** One ListSubCustomers call per client kind, each returning the parsed body. */
function makeCall(kind, url) {
  if (kind === 'official') {
    const { officialClient } = require('./official_bss.js');
    const c = officialClient(url, AK, SK, DOMAIN);
    return () => c.listSubCustomers({ limit: 10 });
  }
  if (kind === 'bare') {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
    const { hostname, port } = new URL(url);
    const body = JSON.stringify({ limit: 10 });
    return () =>
      new Promise((resolve, reject) => {
        const req = http.request(
          { hostname, port, path: '/v2/partners/sub-customers/query', method: 'POST', agent,
            headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
          (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
  }
  const { Client, akSk } = require(HCP);
  const c = new Client({ endpoint: url, credentials: akSk(AK, SK, { domainId: DOMAIN }) });
  return () => c.listSubCustomers({ limit: 10 });
}

/** Calls per second for `n` calls with `inFlight` at a time. */
async function run(call, n, inFlight) {
  let started = 0;
  const worker = async () => {
    while (started < n) {
      started++;
      const r = await call();
      if (r.customer_infos.length !== 10) throw new Error('a wrong answer');
    }
  };
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

// ---- child modes: a fresh process per measurement ----

async function childRequire(kind) {
  const t0 = process.hrtime.bigint();
  if (kind === 'hcpartner') require(HCP);
  else require('./official_bss.js');
  process.stdout.write(`${Number(process.hrtime.bigint() - t0) / 1e6}\n`);
}

async function childRss(kind, url, checkpoints) {
  const call = makeCall(kind, url);
  const out = [];
  let done = 0;
  for (const at of checkpoints) {
    await run(call, at - done, 16);
    done = at;
    // Collected first: the figure is what is kept, not what V8 has yet to collect. V8's heap
    // reservation (heapTotal: its young generation grows under allocation) is reported apart.
    global.gc();
    const m = process.memoryUsage();
    out.push([m.rss / 2 ** 20, m.heapTotal / 2 ** 20]);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function child(args) {
  return execFileSync(process.execPath, ['--expose-gc', __filename, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim();
}

// ---- the table ----

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (xs, digits = 0) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${median(s).toFixed(digits)} (${s[0].toFixed(digits)}–${s[s.length - 1].toFixed(digits)})`;
};

async function main() {
  const server = await startServer();
  try {
    const kinds = ['official', 'bare', 'hcpartner'];
    const calls = Object.fromEntries(kinds.map((k) => [k, makeCall(k, server.url)]));
    for (const k of kinds) await run(calls[k], 300, 16); // warm up
    const modes = [['sequential', SEQ, 1], ['16 in flight', CONC, 16], ['200 in flight', CONC, 200]];
    const rates = {};
    for (let r = 0; r < REPEATS; r++) {
      for (const [mode, n, inFlight] of modes) {
        for (const k of kinds) {
          ((rates[mode] ||= {})[k] ||= []).push(await run(calls[k], n, inFlight));
        }
      }
    }
    const requireMs = {};
    for (const k of ['official', 'hcpartner']) {
      requireMs[k] = Array.from({ length: REPEATS }, () => Number(child(['require', k])));
    }
    const rss = {};
    for (const k of kinds) {
      // 200,000 as well: the first 100,000 calls include V8 sizing its young generation up, for
      // any client; the goal is judged on the next 100,000, once that has settled.
      const points = k === 'official' ? [10_000] : [10_000, 100_000, 200_000];
      rss[k] = JSON.parse(child(['rss', k, server.url, ...points.map(String)]));
    }

    const rows = [['measure', NAMES.official, NAMES.bare, NAMES.hcpartner, 'vs official', 'vs node:http', 'goal']];
    const goals = { sequential: '≥ 4× official, ≥ 1.2× node:http', '16 in flight': '', '200 in flight': '≥ 8× official' };
    for (const [mode] of modes) {
      const m = rates[mode];
      rows.push([
        `${mode} (calls/s)`, fmt(m.official), fmt(m.bare), fmt(m.hcpartner),
        `${(median(m.hcpartner) / median(m.official)).toFixed(2)}×`,
        `${(median(m.hcpartner) / median(m.bare)).toFixed(2)}×`, goals[mode],
      ]);
    }
    rows.push(['require (ms)', fmt(requireMs.official, 1), '—', fmt(requireMs.hcpartner, 1), '', '', '≤ 30 ms']);
    rows.push(['RSS after 10,000 calls, after a GC (MiB)', ...kinds.map((k) => rss[k][0][0].toFixed(1)), '', '', '']);
    const growth = (k, a, b) => (rss[k][b][0] - rss[k][a][0]).toFixed(1);
    const native = (k, a, b) => (rss[k][b][0] - rss[k][b][1] - (rss[k][a][0] - rss[k][a][1])).toFixed(1);
    rows.push(['RSS growth 10,000 → 100,000 calls (MiB)', '—', growth('bare', 0, 1), growth('hcpartner', 0, 1), '', '', '']);
    rows.push(['  of it outside V8\'s heap (MiB)', '—', native('bare', 0, 1), native('hcpartner', 0, 1), '', '', '']);
    rows.push(['RSS growth 100,000 → 200,000 calls (MiB)', '—', growth('bare', 1, 2), growth('hcpartner', 1, 2), '', '', '≤ 5 MiB']);
    rows.push(['  of it outside V8\'s heap (MiB)', '—', native('bare', 1, 2), native('hcpartner', 1, 2), '', '', '']);
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
    console.log(`\nListSubCustomers against one static server; median (min–max) of ${REPEATS} runs; ${SEQ} sequential, ${CONC} concurrent calls per run.`);
    rows.forEach((r, i) => {
      console.log(`| ${r.map((c, j) => String(c).padEnd(widths[j])).join(' | ')} |`);
      if (i === 0) console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    });
  } finally {
    server.stop();
  }
}

const [mode, ...rest] = process.argv.slice(2);
const job = mode === 'require' ? childRequire(rest[0]) : mode === 'rss' ? childRss(rest[0], rest[1], rest.slice(2).map(Number)) : main();
job.catch((e) => {
  console.error(e);
  process.exit(1);
});
