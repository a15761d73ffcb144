// `import` of the package gives the same objects as `require`.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import hcpDefault, { Client, akSk, InvalidArgumentError, signRequest, version } from '../../bindings-node/index.mjs';
import * as ns from '../../bindings-node/index.mjs';

const require = createRequire(import.meta.url);

test('ESM and CJS entry points export the same objects', () => {
  const cjs = require('../../bindings-node');
  assert.equal(hcpDefault, cjs);
  assert.deepEqual(Object.keys(ns).filter((k) => k !== 'default').sort(), Object.keys(cjs).sort());
  for (const k of Object.keys(cjs)) assert.equal(ns[k], cjs[k], k);
  assert.equal(Client, cjs.Client);
  assert.match(version, /^\d+\.\d+\.\d+/);
  assert.throws(() => new Client({ credentials: akSk('a', 'b'), site: 'eu' }), InvalidArgumentError);
  assert.equal(typeof signRequest, 'function');
});
