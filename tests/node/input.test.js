'use strict';
// Bad input of every kind is an InvalidArgumentError naming the field, and nothing is sent;
// numbers keep their digits on the way out.

const test = require('node:test');
const assert = require('node:assert/strict');
const { useEmulator, hcp } = require('./emulator.js');

const emu = useEmulator();
const MONEY = 'update_customer_account_amount';

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
  const cases = [
    [{ customer_id: rid, amount: NaN }, 'amount'],
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
  assert.equal(await emu.current.sent(MONEY), 0, 'nothing reached the service');
  // A 10 MB value is not copied into the message.
  await assert.rejects(client.listSubCustomers({ association_type: 'x'.repeat(10_000_000) }), (e) => {
    assert.ok(e instanceof hcp.InvalidArgumentError);
    assert.ok(e.message.length < 500, `${e.message.length} characters`);
    return true;
  });
  // An unknown operation names itself.
  await assert.rejects(client.call('noSuchOperation', {}), (e) => e instanceof hcp.InvalidArgumentError && /noSuchOperation/.test(e.message));
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
