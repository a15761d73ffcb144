'use strict';
// client.reconcile against the emulator: an unknown outcome of funding or coupons settled from the
// service's records, each verdict checked against what the emulator really applied (its stats),
// and what cannot be reconciled refused naming the field.

const test = require('node:test');
const assert = require('node:assert/strict');
const { useEmulator, hcp } = require('./emulator.js');

const emu = useEmulator();
const MONEY = 'update_customer_account_amount';

/** The OutcomeUnknownError of `op` with its connection dropped before or after processing. */
async function lost(client, op, kind, params) {
  await emu.current.fault({ op, kind, count: 1 });
  const err = await client.call(op, params).then(
    () => assert.fail(`${op} succeeded through a ${kind} fault`),
    (e) => e,
  );
  assert.ok(err instanceof hcp.OutcomeUnknownError, `${err.name}: ${err.message}`);
  assert.notEqual(err.ticket, null, 'an unknown outcome of funding carries a ticket');
  return err;
}

test('a lost answer to funding is applied once, its amount exact', async () => {
  const client = emu.current.client();
  const cid = emu.current.seed.resale_customer_id;
  const err = await lost(client, MONEY, 'drop_after', { customer_id: cid, amount: '23.45' });
  assert.equal(err.ticket.operation, MONEY);
  assert.deepEqual(err.ticket.params, { customer_id: cid, amount: '23.45' }, 'money in the ticket is an exact string');
  assert.ok(err.ticket.began > 0 && err.ticket.began <= err.ticket.ended);

  const r = await client.reconcile(err);
  assert.deepEqual([r.verdict, r.operation, r.looked_in], ['applied', MONEY, 'list_partner_adjust_records']);
  assert.deepEqual(r.records.map((x) => [x.customer_id, x.amount]), [[cid, '23.45']]);
  const stats = (await emu.current.stats())[MONEY];
  assert.deepEqual([stats.received, stats.applied], [1, 1]);

  // The ticket alone (kept as JSON in a database) settles it too, and settling moves nothing.
  const again = await client.reconcile(JSON.parse(JSON.stringify(err.ticket)));
  assert.equal(again.verdict, 'applied');
  assert.equal((await emu.current.stats())[MONEY].applied, 1);
});

test('a request dropped before processing is not applied', async () => {
  const client = emu.current.client();
  const err = await lost(client, MONEY, 'drop_before', { customer_id: emu.current.seed.resale_customer_id, amount: 23.46 });
  const r = await client.reconcile(err);
  assert.deepEqual([r.verdict, r.records], ['not_applied', []]);
  assert.equal((await emu.current.stats())[MONEY].applied, 0);
});

test('a lost coupon issue is applied; money as the numbers option says', async () => {
  const { seed } = emu.current;
  const params = { quota_id: seed.quota_id, customer_ids: [seed.resale_customer_id], face_value: '3.21' };
  const err = await lost(emu.current.client(), 'create_partner_coupons', 'drop_after', params);
  assert.equal(err.ticket.params.face_value, '3.21');
  const r = await emu.current.client().reconcile(err);
  assert.deepEqual([r.verdict, r.looked_in, r.records.length], ['applied', 'list_issued_partner_coupons', 1]);
  assert.deepEqual([r.records[0].customer_id, r.records[0].face_value], [seed.resale_customer_id, '3.21']);
  const numeric = await emu.current.client({ numbers: 'numbers' }).reconcile(err);
  assert.equal(numeric.records[0].face_value, 3.21);
  assert.equal((await emu.current.stats()).create_partner_coupons.applied, 1);
});

test('only an unknown outcome of a settled call reconciles', async () => {
  const client = emu.current.client();
  const cid = emu.current.seed.resale_customer_id;
  const refused = await client.updateCustomerAccountAmount({ customer_id: cid, amount: '-1' }).catch((e) => e);
  assert.ok(refused instanceof hcp.InvalidArgumentError);
  assert.equal(refused.ticket, null);
  // An unknown outcome of a call whose records say nothing of it has no ticket either.
  await emu.current.fault({ op: 'create_sub_customer', kind: 'drop_after', count: 1 });
  const unsettled = await client.createSubCustomer({ xaccount_id: 'recon', xaccount_type: 'hcp_demo_IDP', domain_name: 'js_recon' }).catch((e) => e);
  assert.ok(unsettled instanceof hcp.OutcomeUnknownError);
  assert.equal(unsettled.ticket, null);
  for (const wrong of [refused, unsettled, new TypeError('x'), 'a ticket', [], undefined]) {
    await assert.rejects(client.reconcile(wrong), (e) => {
      assert.ok(e instanceof hcp.InvalidArgumentError, `${e.name}: ${e.message}`);
      assert.equal(e.field, 'error');
      assert.match(e.message, /OutcomeUnknown/);
      return true;
    });
  }
  assert.equal((await emu.current.stats()).list_partner_adjust_records, undefined, 'nothing was looked up');
});

test('a ticket that is not one is refused naming the field', async () => {
  const client = emu.current.client();
  const err = await lost(client, MONEY, 'drop_before', { customer_id: emu.current.seed.resale_customer_id, amount: '1.01' });
  const cases = [
    [{ ...err.ticket, began: 'yesterday' }, 'ticket.began'],
    [{ ...err.ticket, params: [1] }, 'ticket.params'],
    [{ ...err.ticket, operation: 'list_sub_customers' }, 'operation'],
    [{ ...err.ticket, params: { customer_id: 'c' } }, 'amount'],
    [{ ...err.ticket, sk: 'x' }, 'ticket.sk'],
  ];
  for (const [bad, field] of cases) {
    await assert.rejects(client.reconcile(bad), (e) => e instanceof hcp.InvalidArgumentError && e.field === field);
  }
});
