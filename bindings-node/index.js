'use strict';
// hcpartner: the Huawei Cloud Partner Center API from Node.js. A thin face over the Rust core
// (bindings-node/src): it converts values and decides nothing. Types: index.d.ts.

const native = require('./lib/native.js');
const { Client, Pager, signRequest, meta } = require('./lib/client.js');
const credentials = require('./lib/credentials.js');
const errors = require('./lib/errors.js');

const { specOf: _specOf, ...helpers } = credentials;
const { BY_KIND: _byKind, ...classes } = errors;

module.exports = {
  Client,
  Pager,
  signRequest,
  meta,
  ...helpers,
  ...classes,
  version: native.version(),
};
