'use strict';
// The core's per-call options through the Node face (timeout, retry, headers: the same names and
// errors as every face) and what a successful call's answer said about itself (`meta`).

const test = require('node:test');
const assert = require('node:assert/strict');
const { useEmulator, hcp } = require('./emulator.js');

const emu = useEmulator();

test('a result carries its metadata without changing its shape', async () => {
  const client = emu.current.client();
  const page = await client.listSubCustomers({ limit: 1 });
  const m = hcp.meta(page);
  assert.equal(page.meta, m);
  assert.deepEqual([m.operation, m.status, m.attempts], ['list_sub_customers', 200, 1]);
  assert.ok(typeof m.requestId === 'string' && m.requestId.length >= 16 && m.elapsed > 0);
  assert.deepEqual(Object.keys(page).sort(), ['count', 'customer_infos']);
  assert.ok(!JSON.stringify(page).includes('requestId'));
  assert.equal(hcp.meta({ count: 1 }), undefined);
  assert.ok(Object.isFrozen(m));
  assert.deepEqual(Object.keys(m), ['operation', 'requestId', 'status', 'attempts', 'elapsed']);
  // A result with money takes the exact path (rendered by its model), with the same metadata.
  const made = await client.createSubCustomer({ xaccount_id: 'meta-a', xaccount_type: 'hcp_demo_IDP', domain_name: 'js_meta_a' });
  const balances = await client.listCustomersBalancesDetail({ customer_infos: [{ customer_id: made.domain_id }] });
  assert.equal(balances.customer_balances[0].amount, '0.00');
  assert.equal(hcp.meta(balances).operation, 'list_customers_balances_detail');
  assert.ok(!Object.keys(balances).includes('meta'));
});

test('timeout and retry per call', async () => {
  const client = emu.current.client();
  await emu.current.fault({ op: 'list_sub_customers', kind: 'fail', status: 500, count: 1 });
  await assert.rejects(client.listSubCustomers({ limit: 1 }, { retry: { maxAttempts: 1 } }), (e) => e instanceof hcp.ApiError && e.attempts === 1);
  await emu.current.fault({ op: 'list_sub_customers', kind: 'fail', status: 500, count: 2 });
  assert.equal(hcp.meta(await client.listSubCustomers({ limit: 1 }, { retry: { max_attempts: 3 } })).attempts, 3);
  await emu.current.fault({ op: 'list_sub_customers', kind: 'delay', delay_ms: 3000, count: 3 });
  const start = Date.now();
  await assert.rejects(client.listSubCustomers({ limit: 1 }, { timeout: 0.4 }), (e) => e instanceof hcp.TimeoutError);
  assert.ok(Date.now() - start < 2000);
});

test('bad call options name the field and send nothing', async () => {
  const client = emu.current.client();
  const cases = [
    [{ timout: 1 }, 'timout'],
    [{ timeout: -1 }, 'timeout'],
    [{ retry: { maxAttempts: 0 } }, 'retry.max_attempts'],
    [{ headers: { Authorization: 'x' } }, 'headers.Authorization'],
    [{ headers: { 'X-Key': 'HDR-SECRET\r\n' } }, 'headers.X-Key'],
  ];
  for (const [options, field] of cases) {
    await assert.rejects(client.listSubCustomers({ limit: 1 }, options), (e) => {
      assert.ok(e instanceof hcp.InvalidArgumentError, String(e));
      assert.equal(e.field, field);
      assert.ok(!String(e.message).includes('HDR-SECRET'));
      return true;
    });
  }
  assert.equal(await emu.current.sent('list_sub_customers'), 0);
});
