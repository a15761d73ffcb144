'use strict';
// Load through the Node face: 20,000 reads with 256 promises in flight on one client (IAM
// password token) against the emulator process. The emulator's clock is moved past the token's
// lifetime twice during the load, so the token expires under 256 callers twice: exactly one
// refresh each time (three token requests in all). No error; once the client is dropped and
// collected, open descriptors and threads are back at their baseline and RSS has not grown past a
// bound. Prints throughput and p50/p99 (the figures are in docs/reliability.md).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const v8 = require('node:v8');
const vm = require('node:vm');
const { useEmulator, sleep, hcp } = require('./emulator.js');

const emu = useEmulator([], { debug: false }); // the events of 20,000 reads would time the logger
const READS = Number(process.env.HCP_LOAD_READS || 20000);
const IN_FLIGHT = 256;
const TOKEN_TTL = 3600; // the suite's emulator runs with --token-ttl 3600
// RSS the process may keep after the load: V8 keeps the heap it grew to (committed pages are
// given back lazily) and glibc the malloc arenas of the runtime's workers; one 20,000-read run
// grows RSS by about 40 MiB. A leak shows in what V8 still holds after a full collection: that
// must be back within a few MiB (a leak of the answers, 20,000 pages of 10 customers, is ~100).
const RSS_SLACK_MIB = 64;
const HEAP_SLACK_MIB = 4;

const fds = () => fs.readdirSync('/proc/self/fd').length;
const threads = () => fs.readdirSync('/proc/self/task').length;
const heapMiB = () => process.memoryUsage().heapUsed / 2 ** 20;
const rssMiB = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc'); // a full collection on demand, without a flag on the command line

async function settle() {
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(200);
  }
}

test('20,000 reads with 256 in flight leave nothing behind', { timeout: 300_000 }, async () => {
  const e = emu.current;
  const pw = () => hcp.password(e.info.user_name, e.info.password, e.info.domain_name);
  {
    // The runtime's threads, the addon and V8's heap exist before the baseline.
    const warm = e.client({ credentials: pw() });
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => warm.listSubCustomers({ limit: 10 })));
  }
  await settle();
  const before = { fds: fds(), threads: threads(), rss: rssMiB(), heap: heapMiB() };
  const tokens = async () => ((await e.stats()).keystone_create_user_token_by_password || { received: 0 }).received;
  const tokensBefore = await tokens();

  let client = e.client({ credentials: pw() });
  const expireAt = new Map([
    [Math.floor(READS / 3), 2 * TOKEN_TTL],
    [Math.floor((2 * READS) / 3), 4 * TOKEN_TTL],
  ]);
  const times = [];
  let next = 0;
  async function worker() {
    while (next < READS) {
      const i = next++;
      // The clock moves while other reads are in flight: those already past the check succeed,
      // the rest find the token expired together.
      if (expireAt.has(i)) await e.admin('POST', '/_emulator/clock', { offset_seconds: expireAt.get(i) });
      const t = process.hrtime.bigint();
      const page = await client.listSubCustomers({ limit: 10 });
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
      assert.ok(page.customer_infos.length > 0, `read ${i}: an empty page`);
    }
  }
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const fetched = (await tokens()) - tokensBefore;
  client = null;
  await settle(); // the client is collected, its connections closed
  const after = { fds: fds(), threads: threads(), rss: rssMiB(), heap: heapMiB() };
  times.sort((a, b) => a - b);
  const pct = (p) => times[Math.min(Math.floor(times.length * p), times.length - 1)];
  console.log(
    `node load: ${READS} reads, ${IN_FLIGHT} in flight, ${seconds.toFixed(1)} s, ${(READS / seconds).toFixed(0)} reads/s, ` +
      `p50 ${pct(0.5).toFixed(1)} ms, p99 ${pct(0.99).toFixed(1)} ms; tokens fetched ${fetched}; ` +
      `descriptors ${before.fds} -> ${after.fds}, threads ${before.threads} -> ${after.threads}, ` +
      `RSS ${before.rss.toFixed(1)} -> ${after.rss.toFixed(1)} MiB (V8 heap in use ${before.heap.toFixed(1)} -> ${after.heap.toFixed(1)})`,
  );
  assert.equal(times.length, READS);
  assert.equal(fetched, 3, 'one token at the start, one refresh for each of the two expiries');
  assert.ok(after.fds <= before.fds, `descriptors: ${before.fds} before, ${after.fds} after`);
  assert.ok(after.threads <= before.threads, `threads: ${before.threads} before, ${after.threads} after`);
  assert.ok(after.heap - before.heap <= HEAP_SLACK_MIB, `V8 heap in use grew ${(after.heap - before.heap).toFixed(1)} MiB`);
  assert.ok(after.rss - before.rss <= RSS_SLACK_MIB, `RSS grew ${(after.rss - before.rss).toFixed(1)} MiB`);
});
