'use strict';
// Loads the native addon built for this platform (`napi build --platform` names it
// hcpartner.<platform>-<arch>[-<abi>].node, next to package.json). On Linux the glibc and musl
// builds are told apart by which one is there and loads (asking for a process report to read
// the libc costs ~8 ms of `require`).

const fs = require('node:fs');
const path = require('node:path');

const ABIS = { linux: ['-gnu', '-musl'], win32: ['-msvc'] };

function load() {
  const base = path.join(__dirname, '..', `hcpartner.${process.platform}-${process.arch}`);
  const files = (ABIS[process.platform] || ['']).map((abi) => `${base}${abi}.node`).filter((f) => fs.existsSync(f));
  const failures = [];
  for (const file of files) {
    try {
      return require(file);
    } catch (e) {
      failures.push(`${path.basename(file)}: ${e.message}`);
    }
  }
  const err = new Error(
    `hcpartner: no native addon loads for ${process.platform}-${process.arch} (${failures.join('; ') || 'none is built'}); ` +
      'build it with `npm run build` in bindings-node (needs Rust), or install a package built for this platform',
  );
  throw err;
}

module.exports = load();
