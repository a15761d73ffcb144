'use strict';
// Loads the native addon built for this platform (`napi build --platform` names it
// hcpartner.<platform>-<arch>[-<libc>].node, next to package.json).

const path = require('node:path');

function libc() {
  if (process.platform !== 'linux') return '';
  const report = process.report && process.report.getReport ? process.report.getReport() : null;
  const glibc = report && report.header && report.header.glibcVersionRuntime;
  return glibc ? '-gnu' : '-musl';
}

function abi() {
  if (process.platform === 'win32') return '-msvc';
  return libc();
}

const file = path.join(__dirname, '..', `hcpartner.${process.platform}-${process.arch}${abi()}.node`);

let native;
try {
  native = require(file);
} catch (e) {
  const err = new Error(
    `hcpartner: cannot load its native addon ${path.basename(file)} (${e.message}); ` +
      'build it with `npm run build` in bindings-node (needs Rust), or install a package built for this platform',
  );
  err.cause = e;
  throw err;
}

module.exports = native;
