'use strict';
// A read made while the JS thread has nothing else in flight runs on that thread's own loop
// (bindings-node/src/local.rs), the rest on the core's shared runtime. Seen from outside:
// sequential reads start no runtime thread; a worker thread's loop drives its own and closes
// cleanly, even with a read still on the wire; answers arrive intact either way.

const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { Worker } = require('node:worker_threads');
const { useEmulator, ROOT } = require('./emulator.js');

const emu = useEmulator();
const ADDON = require('node:path').join(ROOT, 'bindings-node');

/** A script making `reads` sequential reads with the emulator's credentials, then reporting. */
function script(info, reads, report) {
  return `
    const hcp = require(${JSON.stringify(ADDON)});
    const info = ${JSON.stringify({ url: info.url, ak: info.ak, sk: info.sk, domain: info.domain_id })};
    const client = new hcp.Client({ endpoint: info.url, credentials: hcp.akSk(info.ak, info.sk, { domainId: info.domain }) });
    (async () => {
      let customers = 0;
      for (let i = 0; i < ${reads}; i++) customers += (await client.listSubCustomers({ limit: 2 })).customer_infos.length;
      ${report}
    })().catch((e) => { console.error(e); process.exit(3); });`;
}

test('sequential reads and paging run on the JS thread: no runtime thread is started', async () => {
  const report = `
    const total = (await client.listSubCustomers({ limit: 1 })).count;
    let paged = 0;
    for await (const c of client.paginate('listSubCustomers', { limit: 1 })) paged++;
    const fs = require('node:fs');
    const names = fs.readdirSync('/proc/self/task').map((t) => fs.readFileSync('/proc/self/task/' + t + '/comm', 'utf8').trim());
    console.log(JSON.stringify({ customers, total, paged, runtime: names.filter((n) => n === 'hcpartner').length }));`;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script(emu.current.info, 20, report)], { encoding: 'utf8' }));
  assert.equal(out.customers, 40);
  assert.ok(out.total >= 2);
  assert.equal(out.paged, out.total, 'one item per page, every one');
  assert.equal(out.runtime, 0, 'the shared runtime started for sequential reads or pages');
  assert.ok(await emu.current.sent('list_sub_customers') >= 21 + out.total);
});

function worker(code) {
  const w = new Worker(code, { eval: true });
  const messages = [];
  w.on('message', (m) => messages.push(m));
  return new Promise((resolve, reject) => {
    w.on('error', reject);
    w.on('exit', (code) => resolve({ code, messages, w }));
  });
}

test('a worker thread drives its own reads and its loop closes cleanly', async () => {
  const report = `require('node:worker_threads').parentPort.postMessage(customers);`;
  const { code, messages } = await worker(script(emu.current.info, 5, report));
  assert.equal(code, 0);
  assert.deepEqual(messages, [10]);
});

test('a worker terminated with a read on the wire closes cleanly', async () => {
  await emu.current.fault({ path: '/v2/partners/sub-customers/query', kind: 'delay', delay_ms: 2000, count: 1 });
  const report = `require('node:worker_threads').parentPort.postMessage(customers);`;
  const w = new Worker(script(emu.current.info, 1, report), { eval: true });
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await emu.current.sent('list_sub_customers'), 1, 'the read is on the wire');
  const code = await w.terminate();
  assert.equal(code, 1);
  // This thread's calls still work, locally and on the runtime.
  const client = emu.current.client();
  const many = await Promise.all(Array.from({ length: 12 }, () => client.listSubCustomers({ limit: 1 })));
  assert.equal(many.length, 12);
});

test('answers reach JS intact, ASCII or not, read alone on the JS thread or with others in flight', async () => {
  const client = emu.current.client();
  // ASCII answers go to V8 as Latin-1, others as UTF-8 (bridge.rs `js_string`), by both routes:
  // straight from libuv's callback (a read alone) and through the threadsafe function.
  const xids = ['客户-ü-€', 'plain-ascii'];
  for (const xid of xids) {
    await client.createSubCustomer({ xaccount_id: xid, xaccount_type: 'hcp_demo_IDP', domain_name: `js_text_${xids.indexOf(xid)}` });
  }
  const seen = (r) => r.customer_infos.map((c) => c.xaccount_id).filter((x) => xids.includes(x)).sort();
  const alone = await client.listSubCustomers({ limit: 100 });
  assert.deepEqual(seen(alone), [...xids].sort());
  const together = await Promise.all(Array.from({ length: 8 }, () => client.listSubCustomers({ limit: 100 })));
  for (const r of together) assert.deepEqual(seen(r), [...xids].sort());
});
