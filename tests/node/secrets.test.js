'use strict';
// Secrets never show: not in util.inspect or JSON of credentials and clients, not in errors, not
// in what the logger receives (which does get the core's events).

const test = require('node:test');
const assert = require('node:assert/strict');
const util = require('node:util');
const { useEmulator, sleep, hcp } = require('./emulator.js');

const emu = useEmulator();
const SECRETS = ['SKSECRET-123', 'TOKSECRET-456', 'PWSECRET-789', 'PROXYPW-000'];

function noSecret(text, where) {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${s} in ${where}: ${text}`);
}

test('credentials and clients show no secret', () => {
  const creds = [
    hcp.akSk('AK', 'SKSECRET-123', { securityToken: 'TOKSECRET-456', domainId: 'D' }),
    hcp.password('user', 'PWSECRET-789', 'domain'),
    hcp.token('TOKSECRET-456'),
    hcp.assumeRole(hcp.akSk('AK', 'SKSECRET-123'), 'agency', { customerId: 'C' }),
    hcp.fromEnv(),
    hcp.fromProfile({ path: '/nowhere' }),
  ];
  for (const c of creds) {
    assert.ok(c instanceof hcp.Credentials);
    noSecret(util.inspect(c, { depth: 10, showHidden: true }), 'inspect');
    noSecret(JSON.stringify(c), 'JSON');
    noSecret(String(c) + Object.keys(c).join() + Object.getOwnPropertyNames(c).join(), 'keys');
  }
  assert.match(util.inspect(creds[0]), /ak: 'AK'.*sk: '\*\*\*'/s);
  const client = new hcp.Client({ endpoint: 'http://127.0.0.1:9', proxy: 'http://u:PROXYPW-000@127.0.0.1:1', credentials: creds[0] });
  const shown = util.inspect(client, { depth: 10, showHidden: true });
  noSecret(shown, 'client');
  assert.match(shown, /endpoint: 'http:\/\/127\.0\.0\.1:9'/);
  noSecret(JSON.stringify(client), 'client JSON');
  assert.throws(() => new hcp.Client({ credentials: { type: 'ak_sk', ak: 'A', sk: 'SKSECRET-123' } }), (e) => {
    noSecret(e.message + util.inspect(e), 'error');
    return e.field === 'credentials';
  });
});

test('the logger receives the core events, never a secret; nothing without one', async () => {
  const e = emu.current;
  const lines = [];
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((m) => [m, (text) => lines.push(`${m} ${text}`)]));
  const pw = hcp.password(e.info.user_name, e.info.password, e.info.domain_name);
  const client = e.client({ credentials: pw, logger });
  assert.ok((await client.listSubCustomers({ limit: 1 })).count >= 1);
  // A money call given up on: its outcome is logged at WARN when it ends.
  await e.fault({ path: '/v2/accounts/partner-accounts/adjust-amount', kind: 'delay', delay_ms: 300, count: 1 });
  await assert.rejects(
    client.updateCustomerAccountAmount({ customer_id: e.seed.resale_customer_id, amount: 1 }, { timeoutMs: 50 }),
    hcp.OutcomeUnknownError,
  );
  await sleep(500);
  const text = lines.join('\n');
  assert.ok(lines.length > 0, 'the logger got events');
  assert.ok(lines.some((l) => l.startsWith('warn ') && l.includes('update_customer_account_amount')), text);
  assert.ok(!text.includes(e.info.password), 'the password is not in the log');
  for (const l of lines) assert.match(l, /^(debug|info|warn|error) hcpartner/);
});
