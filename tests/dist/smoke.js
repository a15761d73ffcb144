'use strict';
// The installed npm tarball against the emulator binary from dist/ (tests/dist/run.sh copies this
// into a fresh npm project): the version, a read, a funding call with an exact amount, an API
// error, a panic caught as InternalError (unwinding works in the zig-linked addon), and the addon
// loaded from the package's own hcpartner.linux-x64-gnu.node.

const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('hcpartner');

async function main() {
  const info = JSON.parse(process.env.HCP_EMULATOR_INFO);
  assert.equal(h.version, process.env.HCP_VERSION);
  const root = path.dirname(require.resolve('hcpartner'));
  assert.ok(root.startsWith(__dirname), `${root} is not this project's`);
  const loaded = Object.keys(require.cache).filter((f) => f.endsWith('.node'));
  assert.deepEqual(loaded, [path.join(root, 'hcpartner.linux-x64-gnu.node')]);
  const client = new h.Client({ endpoint: info.url, credentials: h.akSk(info.ak, info.sk, { domainId: info.domain_id }) });
  const page = await client.listSubCustomers({ offset: 0, limit: 100 });
  assert.ok(page.count >= 1 && page.customer_infos.length >= 1, JSON.stringify(page));
  await client.updateCustomerAccountAmount({ customer_id: info.seed.resale_customer_id, amount: '12.34' });
  await assert.rejects(client.updateCustomerAccountAmount({ customer_id: '0'.repeat(32), amount: '1.00' }), (e) => {
    assert.ok(e instanceof h.ApiError, String(e));
    assert.equal(e.code, 300);
    assert.ok(e.errorCode);
    return true;
  });
  for (const spawned of [false, true]) {
    await assert.rejects(client._panic(spawned), (e) => e instanceof h.InternalError && e.code === 900);
  }
  assert.ok((await client.listSubCustomers({ limit: 1 })).count >= 1);
  console.log(`hcpartner ${h.version} from ${root}: ${page.count} customers`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
