'use strict';
// Each error class from a real emulator answer (or fault), with its properties; `instanceof`
// works; stacks show the caller's line; retries of reads; a panic is an InternalError.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const { useEmulator, hcp } = require('./emulator.js');

const emu = useEmulator();
const QUERY = '/v2/partners/sub-customers/query';

function isA(Class, check = () => {}) {
  return (e) => {
    assert.ok(e instanceof Class, `${e && e.name}: ${e && e.message}`);
    assert.ok(e instanceof hcp.HcpError && e instanceof Error);
    assert.equal(e.name, Class.name);
    check(e);
    return true;
  };
}

test('InvalidArgumentError names the field; nothing is sent', async () => {
  const client = emu.current.client();
  await assert.rejects(
    client.updateCustomerAccountAmount({ customer_id: 'x', amount: '-1' }),
    isA(hcp.InvalidArgumentError, (e) => {
      assert.deepEqual([e.field, e.dispatch, e.operation, e.code, e.kind], ['amount', 'not_sent', 'update_customer_account_amount', 100, 'InvalidArgument']);
      assert.match(e.message, /amount/);
    }),
  );
  assert.equal(await emu.current.sent('update_customer_account_amount'), 0);
});

test('ApiError carries the code, status and request id', async () => {
  const client = emu.current.client();
  const cid = (await client.createSubCustomer({ xaccount_id: 'rich', xaccount_type: 'hcp_demo_IDP', domain_name: 'js_rich' })).domain_id;
  await assert.rejects(
    client.updateCustomerAccountAmount({ customer_id: cid, amount: '99999999' }),
    isA(hcp.ApiError, (e) => {
      assert.deepEqual([e.errorCode, e.status, e.dispatch, e.retryable, e.code], ['CBC.99005003', 400, 'responded', false, 300]);
      assert.ok(e.requestId && e.message.includes(e.requestId));
      assert.match(e.errorMsg, /insufficient/);
    }),
  );
});

test('AuthError for a bad secret key, not retried, the key nowhere', async () => {
  const e = emu.current;
  const client = e.client({ credentials: hcp.akSk(e.info.ak, 'not-the-secret-key', { domainId: e.info.domain_id }) });
  await assert.rejects(
    client.listSubCustomers(),
    isA(hcp.AuthError, (err) => {
      assert.deepEqual([err.errorCode, err.status, err.code], ['APIGW.0301', 401, 200]);
      assert.ok(!require('node:util').inspect(err).includes('not-the-secret-key'));
    }),
  );
  assert.equal(await e.sent('list_sub_customers'), 1, 'a refused signature is not retried');
});

test('password and token credentials', async () => {
  const e = emu.current;
  const pw = hcp.password(e.info.user_name, e.info.password, e.info.domain_name);
  assert.ok((await e.client({ credentials: pw }).listSubCustomers({ limit: 1 })).count >= 1);
  const wrong = hcp.password(e.info.user_name, 'WRONG-PASSWORD-9', e.info.domain_name);
  await assert.rejects(e.client({ credentials: wrong }).listSubCustomers({ limit: 1 }), isA(hcp.AuthError, (err) => {
    assert.ok(!(err.message + require('node:util').inspect(err)).includes('WRONG-PASSWORD-9'));
  }));
  const issued = await e.client().keystoneCreateUserTokenByPassword({
    auth: {
      identity: { methods: ['password'], password: { user: { name: e.info.user_name, password: e.info.password, domain: { name: e.info.domain_name } } } },
      scope: { domain: { name: e.info.domain_name } },
    },
  });
  const byToken = e.client({ credentials: hcp.token(issued['X-Subject-Token']) });
  assert.ok((await byToken.listSubCustomers({ limit: 1 })).count >= 1);
  await assert.rejects(e.client({ credentials: hcp.token('not-a-token') }).listSubCustomers(), isA(hcp.AuthError));
});

test('ThrottledError after the retries', async () => {
  await emu.current.fault({ path: QUERY, kind: 'throttle', count: 5 });
  const client = emu.current.client({ retry: { maxAttempts: 2, baseDelay: 0.01 } });
  await assert.rejects(client.listSubCustomers(), isA(hcp.ThrottledError, (e) => {
    assert.ok(e instanceof hcp.ApiError);
    assert.deepEqual([e.status, e.errorCode, e.retryable, e.attempts, e.code], [429, 'APIGW.0308', true, 2, 301]);
  }));
});

test('reads are retried after a dropped connection', async () => {
  await emu.current.fault({ path: QUERY, kind: 'drop_before', count: 2 });
  assert.ok((await emu.current.client().listSubCustomers({ limit: 1 })).count >= 1);
  assert.equal(await emu.current.sent('list_sub_customers'), 3);
});

test('TimeoutError', async () => {
  await emu.current.fault({ path: QUERY, kind: 'delay', delay_ms: 1500, count: 3 });
  const client = emu.current.client({ timeouts: { attempt: 0.3 }, retry: { maxAttempts: 2, baseDelay: 0.01 } });
  await assert.rejects(client.listSubCustomers(), isA(hcp.TimeoutError, (e) => assert.deepEqual([e.dispatch, e.code], ['maybe_sent', 400])));
});

test('ConnectionError: never sent, so even money may be retried', async () => {
  const client = new hcp.Client({ endpoint: 'http://127.0.0.1:9', credentials: hcp.akSk('a', 'b', { domainId: 'd' }), retry: { maxAttempts: 2, baseDelay: 0.01 } });
  await assert.rejects(client.updateCustomerAccountAmount({ customer_id: 'c', amount: 1 }), isA(hcp.ConnectionError, (e) => {
    assert.deepEqual([e.dispatch, e.attempts, e.code], ['not_sent', 2, 401]);
  }));
});

test('OutcomeUnknownError when the answer to a money call is lost; applied once', async () => {
  const e = emu.current;
  const client = e.client();
  const cid = (await client.createSubCustomer({ xaccount_id: 'lost', xaccount_type: 'hcp_demo_IDP', domain_name: 'js_lost' })).domain_id;
  await e.fault({ path: '/v2/accounts/partner-accounts/adjust-amount', kind: 'drop_after', count: 1 });
  await assert.rejects(client.updateCustomerAccountAmount({ customer_id: cid, amount: '10.00' }), isA(hcp.OutcomeUnknownError, (err) => {
    assert.equal(err.dispatch, 'maybe_sent');
    assert.equal(err.retryable, false);
    assert.match(err.hint, /may have been applied/);
    assert.equal(err.code, 500);
  }));
  const stats = (await e.stats()).update_customer_account_amount;
  assert.deepEqual([stats.received, stats.applied], [1, 1]);
  const row = (await client.listCustomersBalancesDetail({ customer_infos: [{ customer_id: cid }] })).customer_balances[0];
  assert.equal(row.amount, '10.00', 'applied exactly once');
});

test('a 5xx on a money call is OutcomeUnknownError, sent once', async () => {
  const e = emu.current;
  await e.fault({ path: '/v2/accounts/partner-accounts/adjust-amount', kind: 'fail', status: 500, error_code: 'CBC.0999', count: 1 });
  await assert.rejects(e.client().updateCustomerAccountAmount({ customer_id: e.seed.resale_customer_id, amount: 1 }), isA(hcp.OutcomeUnknownError, (err) => {
    assert.deepEqual([err.status, err.errorCode], [500, 'CBC.0999']);
  }));
  assert.equal(await e.sent('update_customer_account_amount'), 1);
});

test('DecodeError keeps an excerpt of an unreadable answer', async (t) => {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('<html><body>maintenance</body></html>'));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const client = new hcp.Client({ endpoint: `http://127.0.0.1:${server.address().port}`, credentials: hcp.akSk('a', 'b', { domainId: 'd' }) });
  await assert.rejects(client.listSubCustomers(), isA(hcp.DecodeError, (e) => {
    assert.match(e.bodyExcerpt, /maintenance/);
    assert.equal(e.code, 302);
  }));
});

test('a panic in the core is an InternalError, sync or spawned', async () => {
  const client = emu.current.client();
  for (const spawned of [false, true]) {
    await assert.rejects(client._panic(spawned), isA(hcp.InternalError, (e) => {
      assert.equal(e.code, 900);
      assert.match(e.message, /deliberate test panic/);
    }));
  }
  assert.ok((await client.listSubCustomers({ limit: 1 })).count >= 1, 'the client goes on working');
});

test("an error's stack shows the caller's line", async () => {
  const client = emu.current.client();
  await emu.current.fault({ path: QUERY, kind: 'fail', status: 400, error_code: 'CBC.0100', count: 1 });
  const line = Number(new Error().stack.split('\n')[1].match(/:(\d+):\d+\)?$/)[1]) + 2;
  try {
    await client.listSubCustomers({ limit: 1 });
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof hcp.ApiError);
    assert.ok(e.stack.includes(`${__filename}:${line}:`), e.stack);
  }
  // And for bad input, found before any await.
  const line2 = Number(new Error().stack.split('\n')[1].match(/:(\d+):\d+\)?$/)[1]) + 2;
  try {
    await client.listSubCustomers({ limit: NaN });
    assert.fail('no error');
  } catch (e) {
    assert.ok(e instanceof hcp.InvalidArgumentError);
    assert.ok(e.stack.includes(`${__filename}:${line2}:`), e.stack);
  }
});

test('bad options name the option; nothing touches the network', () => {
  const bad = [
    [{ timeouts: { total: -1 } }, 'timeouts.total'],
    [{ timout: 5 }, 'timout'],
    [{ retry: { maxAttempts: 0 } }, 'retry.max_attempts'],
    [{ site: 'eu' }, 'site'],
    [{ numbers: 'floats' }, 'numbers'],
    [{ logger: { info() {} } }, 'logger'],
    [{ credentials: { type: 'ak_sk', ak: 'A', sk: 'S' } }, 'credentials'],
    [{ timeouts: { total: NaN } }, 'timeouts.total'],
  ];
  for (const [options, field] of bad) {
    assert.throws(() => new hcp.Client(options), (e) => {
      assert.ok(e instanceof hcp.InvalidArgumentError, `${field}: ${e}`);
      assert.equal(e.field, field);
      return true;
    });
  }
});
