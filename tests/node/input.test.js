'use strict';
// Bad input of every kind is an InvalidArgumentError naming the field, and nothing is sent (the
// emulator's request counters, summed over every operation, do not move);
// numbers keep their digits on the way out.

const test = require('node:test');
const assert = require('node:assert/strict');
const { useEmulator, hcp } = require('./emulator.js');

const emu = useEmulator();
const MONEY = 'update_customer_account_amount';
const HUGE = 'x'.repeat(10_000_000);

/** Requests the emulator received, summed over every operation. */
async function received(e) {
  return Object.values(await e.stats()).reduce((n, s) => n + s.received, 0);
}

test('bad input names the field; nothing reaches the service', async () => {
  const client = emu.current.client();
  const rid = emu.current.seed.resale_customer_id;
  const cyclic = [];
  cyclic.push(cyclic);
  let deep = 'x';
  for (let i = 0; i < 2000; i++) deep = { a: deep };
  class Money {
    constructor(v) {
      this.v = v;
    }
  }
  const me = { customer_id: rid };
  me.me = me;
  const before = await received(emu.current);
  const cases = [
    [{ customer_id: rid, amount: NaN }, 'amount'],
    [{ customer_id: rid, amount: -1 }, 'amount'],
    [{ customer_id: rid, amount: '-0.01' }, 'amount'],
    [{ customer_id: rid, amount: 0 }, 'amount'],
    [{ customer_id: rid, amount: 1.001 }, 'amount'],
    [{ customer_id: rid, amount: 1e30 }, 'amount'],
    [{ customer_id: rid, amount: 'NaN' }, 'amount'],
    [{ customer_id: rid, amount: 'Infinity' }, 'amount'],
    [{ customer_id: rid, amount: true }, 'amount'],
    [{ customer_id: rid, amount: null }, 'amount'],
    [{ customer_id: 5, amount: 1 }, 'customer_id'],
    [{ customer_id: HUGE, amount: 1 }, 'customer_id'],
    [{ customer_id: me, amount: 1 }, 'customer_id'],
    [{ customer_id: rid, amount: Infinity }, 'amount'],
    [{ customer_id: rid, amount: -Infinity }, 'amount'],
    [{ customer_id: rid, amount: '1_5' }, 'amount'],
    [{ customer_id: rid, amount: '10_' }, 'amount'],
    [{ customer_id: rid, amount: 0.1 + 0.2 }, 'amount'],
    [{ customer_id: rid, amount: '1.005' }, 'amount'],
    [{ customer_id: rid, amount: new Set([1]) }, 'amount'],
    [{ customer_id: rid, amount: new Map() }, 'amount'],
    [{ customer_id: rid, amount: new Money(1) }, 'amount'],
    [{ customer_id: rid, amount: () => 1 }, 'amount'],
    [{ customer_id: rid, amount: Symbol('x') }, 'amount'],
    [{ customer_id: Buffer.from('x'), amount: 1 }, 'customer_id'],
    [{ customer_id: new Date(), amount: 1 }, 'customer_id'],
    [{ customer_id: '\ud800', amount: 1 }, 'customer_id'],
    [{ customer_id: rid, amount: 1, extra: [1, undefined] }, 'extra[1]'],
    [{ customer_id: cyclic, amount: 1 }, 'customer_id'],
    [{ customer_id: deep, amount: 1 }, 'customer_id'],
    [{ amount: 1 }, 'customer_id'],
  ];
  for (const [params, field] of cases) {
    await assert.rejects(client.call(MONEY, params), (e) => {
      assert.ok(e instanceof hcp.InvalidArgumentError, `${field}: ${e}`);
      assert.ok(e.field && e.field.startsWith(field), `${field}: got ${e.field} (${e.message})`);
      assert.equal(e.code, 100);
      assert.equal(e.dispatch, 'not_sent');
      return true;
    });
  }
  for (const params of [[1], 'x', 5]) {
    await assert.rejects(client.updateCustomerAccountAmount(params), (e) => e instanceof hcp.InvalidArgumentError && e.field === 'params');
  }
  // Other operations: wrong types, 10 MB strings (a field with a limit, one without, nested), an
  // object that holds itself, unknown keys, a coupon's face value.
  const other = [
    ['list_sub_customers', { limit: 'ten' }, 'limit'],
    ['list_sub_customers', { limit: 1.5 }, 'limit'],
    ['list_sub_customers', { association_type: HUGE }, 'association_type'],
    ['list_sub_customers', { account_name: HUGE }, 'account_name'],
    ['list_sub_customers', { no_such_field: 1 }, 'no_such_field'],
    ['list_customers_balances_detail', { customer_infos: 'x' }, 'customer_infos'],
    ['list_customers_balances_detail', { customer_infos: [{ customer_id: HUGE }] }, 'customer_infos[0].customer_id'],
    ['list_customers_balances_detail', { customer_infos: [{ customer_id: rid, note: HUGE }] }, 'customer_infos[0].note'],
    ['list_customers_balances_detail', { customer_infos: [me] }, 'customer_infos[0].me'],
    ['create_partner_coupons', { quota_id: 'Q', customer_ids: [rid], face_value: NaN }, 'face_value'],
    ['create_partner_coupons', { quota_id: 'Q', customer_ids: [rid], face_value: -0.5 }, 'face_value'],
    ['noSuchOperation', {}, 'operation'],
    ['', {}, 'operation'],
  ];
  for (const [op, params, field] of other) {
    await assert.rejects(client.call(op, params), (e) => {
      assert.ok(e instanceof hcp.InvalidArgumentError, `${op} ${field}: ${e}`);
      assert.ok(e.field && e.field.startsWith(field), `${op}: got ${e.field} (${e.message})`);
      assert.equal(e.dispatch, 'not_sent');
      // Clear and short: names the field, never copies a huge value into the message.
      assert.ok(e.message.includes(field.split(/[[.]/)[0]) && e.message.length < 600, `${op} ${field}: ${e.message.slice(0, 300)}`);
      return true;
    });
  }
  assert.equal(await emu.current.sent(MONEY), 0, 'nothing reached the service');
  assert.equal(await received(emu.current), before, 'nothing at all reached the service');
});

test('undefined properties are not sent; snake and camel operation names both work', async () => {
  const client = emu.current.client();
  const a = await client.listSubCustomers({ limit: 2, offset: undefined, account_name: undefined });
  const b = await client.call('list_sub_customers', { limit: 2 });
  const c = await client.call('listSubCustomers', { limit: 2 });
  assert.deepEqual(a, b);
  assert.deepEqual(b, c);
});

test('money goes out exact: a string keeps its digits, a bigint every digit', async () => {
  const e = emu.current;
  const client = e.client();
  const id = (await client.createSubCustomer({ xaccount_id: 'exact', xaccount_type: 'hcp_demo_IDP', domain_name: 'js_exact' })).domain_id;
  await client.updateCustomerAccountAmount({ customer_id: id, amount: '0.10' });
  await client.updateCustomerAccountAmount({ customer_id: id, amount: '0.20' });
  await client.updateCustomerAccountAmount({ customer_id: id, amount: 99999n });
  const row = (await client.listCustomersBalancesDetail({ customer_infos: [{ customer_id: id }] })).customer_balances[0];
  assert.equal(row.amount, '99999.30', 'no float on the way: 0.10 + 0.20 + 99999 exactly');
});
