'use strict';
// signRequest against the vectors made with the official huaweicloudsdkcore signer.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const hcp = require('../../bindings-node');

const { vectors } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'vectors', 'signing.json'), 'utf8'));

test('every vector signs as the official SDK does', () => {
  assert.ok(vectors.length >= 10);
  for (const v of vectors) {
    const headers = v.headers.map(([k, val]) => [k, val]);
    // The vector's clock: X-Sdk-Date as the SDK would have added it.
    if (v.time !== null) headers.push(['X-Sdk-Date', v.time]);
    const added = hcp.signRequest({
      method: v.method, url: v.url, headers, body: Buffer.from(v.body), ak: v.ak, sk: v.sk,
      securityToken: v.security_token ?? undefined, domainId: v.domain_id ?? undefined,
    });
    assert.equal(added.Authorization, v.expected.authorization, v.name);
    const official = Object.fromEntries(Object.entries(v.expected.added_headers).map(([k, val]) => [k.toLowerCase(), val]));
    for (const [name, value] of Object.entries(added)) assert.equal(official[name.toLowerCase()], value, `${v.name}: ${name}`);
  }
});

test('headers as an object and a string body', () => {
  const out = hcp.signRequest({
    method: 'POST', url: 'https://bss.myhuaweicloud.com/v2/partners/sub-customers/query',
    headers: { 'Content-Type': 'application/json' }, body: '{"limit":10}', ak: 'AK', sk: 'SK',
  });
  assert.deepEqual(Object.keys(out).sort(), ['Authorization', 'Host', 'X-Sdk-Date']);
  assert.match(out.Authorization, /^SDK-HMAC-SHA256 Access=AK, SignedHeaders=content-type;host;x-sdk-date, /);
});

test('a bad request names the field', () => {
  assert.throws(() => hcp.signRequest({ method: 'GET', url: 'bss.myhuaweicloud.com/v2', ak: 'AK', sk: 'SK' }), (e) => e instanceof hcp.InvalidArgumentError && e.field === 'url');
  assert.throws(() => hcp.signRequest({ method: 'GET', url: 'https://x/v2', ak: 'AK' }), (e) => e.field === 'sk');
  assert.throws(() => hcp.signRequest({ method: 'GET', url: 'https://x/v2', headers: [['a']], ak: 'AK', sk: 'S' }), (e) => e.field === 'headers[0]');
});
