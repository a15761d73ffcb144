'use strict';
// Giving up on a call follows the facade's money rule: a read stops at once (the Promise rejects
// with the abort reason); a money call that may be on the wire runs to its end and the Promise
// rejects with OutcomeUnknownError; the emulator's stats prove it was applied once.

const test = require('node:test');
const assert = require('node:assert/strict');
const { useEmulator, sleep, hcp } = require('./emulator.js');

const emu = useEmulator();
const MONEY = 'update_customer_account_amount';
const ADJUST = '/v2/accounts/partner-accounts/adjust-amount';

async function balance(client, id) {
  return (await client.listCustomersBalancesDetail({ customer_infos: [{ customer_id: id }] })).customer_balances[0].amount;
}

test('aborting a slow read rejects at once with the reason', async () => {
  await emu.current.fault({ path: '/v2/partners/sub-customers/query', kind: 'delay', delay_ms: 3000, count: 1 });
  const client = emu.current.client();
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  const started = performance.now();
  await assert.rejects(client.listSubCustomers({ limit: 1 }, { signal: ac.signal }), (e) => {
    assert.equal(e.name, 'AbortError');
    assert.ok(!(e instanceof hcp.OutcomeUnknownError));
    return true;
  });
  const waited = performance.now() - started;
  assert.ok(waited < 200 + 100, `rejected ${waited - 200} ms after the abort`);
  // timeoutMs does the same, with a TimeoutError DOMException (as AbortSignal.timeout does).
  await emu.current.fault({ path: '/v2/partners/sub-customers/query', kind: 'delay', delay_ms: 3000, count: 1 });
  await assert.rejects(client.listSubCustomers({ limit: 1 }, { timeoutMs: 150 }), (e) => e.name === 'TimeoutError' && !(e instanceof hcp.HcpError));
  // An already aborted signal: nothing is sent.
  await assert.rejects(client.listIndirectPartners({}, { signal: AbortSignal.abort() }), { name: 'AbortError' });
  await sleep(50);
  assert.equal(await emu.current.sent('list_indirect_partners'), 0);
  // The client goes on working, many at once.
  const results = await Promise.all(Array.from({ length: 64 }, () => client.listSubCustomers({ limit: 1 })));
  assert.equal(results.length, 64);
});

test('aborting a money call on the wire: OutcomeUnknownError, applied once', async () => {
  const e = emu.current;
  const client = e.client();
  const rid = e.seed.resale_customer_id;
  const before = Number(await balance(client, rid));
  await e.fault({ path: ADJUST, kind: 'delay', delay_ms: 800, count: 1 });
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  const started = performance.now();
  let abandoned;
  await assert.rejects(client.updateCustomerAccountAmount({ customer_id: rid, amount: '25.00' }, { signal: ac.signal }), (err) => {
    abandoned = err;
    assert.ok(err instanceof hcp.OutcomeUnknownError, String(err));
    assert.deepEqual(err.ticket.params, { customer_id: rid, amount: '25.00' }, 'the ticket to reconcile it');
    assert.equal(err.operation, MONEY);
    assert.equal(err.dispatch, 'maybe_sent');
    assert.match(err.hint, /list_partner_account_change_records/);
    assert.equal(err.cause.name, 'AbortError', 'the cause is the abort');
    return true;
  });
  assert.ok(performance.now() - started < 200 + 150, 'the Promise did not wait for the answer');
  let stats = (await e.stats())[MONEY];
  assert.equal(stats.applied, 0, 'still on the wire');
  await sleep(900); // it runs to its end in the background
  stats = (await e.stats())[MONEY];
  assert.deepEqual([stats.received, stats.applied], [1, 1]);
  assert.equal(Number(await balance(client, rid)) - before, 25, 'applied exactly once');
  assert.equal((await client.reconcile(abandoned)).verdict, 'applied', 'settled from the records');
  // timeoutMs on a money call: the same rule.
  await e.fault({ path: ADJUST, kind: 'delay', delay_ms: 600, count: 1 });
  await assert.rejects(client.updateCustomerAccountAmount({ customer_id: rid, amount: 1 }, { timeoutMs: 150 }), (err) => {
    assert.ok(err instanceof hcp.OutcomeUnknownError);
    assert.equal(err.cause.name, 'TimeoutError');
    return true;
  });
  await sleep(700);
  stats = (await e.stats())[MONEY];
  assert.deepEqual([stats.received, stats.applied], [2, 2], 'both ran to their end, once each');
});

test('aborting a money call before it is sent drops it', async () => {
  const e = emu.current;
  const client = e.client();
  await assert.rejects(
    client.updateCustomerAccountAmount({ customer_id: e.seed.resale_customer_id, amount: 1 }, { signal: AbortSignal.abort() }),
    (err) => err.name === 'AbortError',
  );
  await sleep(100);
  assert.equal(await e.sent(MONEY), 0);
});

test('a dropped connection on a money call: OutcomeUnknownError, applied once, not retried', async () => {
  const e = emu.current;
  const client = e.client({ retry: { maxAttempts: 5, baseDelay: 0.01 } });
  const rid = e.seed.resale_customer_id;
  const before = Number(await balance(client, rid));
  await e.fault({ path: ADJUST, kind: 'drop_after', count: 1 });
  await assert.rejects(client.updateCustomerAccountAmount({ customer_id: rid, amount: '7.50' }), hcp.OutcomeUnknownError);
  const stats = (await e.stats())[MONEY];
  assert.deepEqual([stats.received, stats.applied], [1, 1]);
  assert.equal(Number(await balance(client, rid)) - before, 7.5);
});

test('bad call options name the option', async () => {
  const client = emu.current.client();
  await assert.rejects(client.listSubCustomers({}, { timeoutMs: -1 }), (e) => e instanceof hcp.InvalidArgumentError && e.field === 'timeoutMs');
  await assert.rejects(client.listSubCustomers({}, { signal: 'x' }), (e) => e.field === 'signal');
  await assert.rejects(client.listSubCustomers({}, { timeOut: 5 }), (e) => e.field === 'timeOut');
  assert.equal(await emu.current.sent('list_sub_customers'), 0);
});
