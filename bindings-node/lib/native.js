'use strict';
// Loads the native addon built for this platform where napi-rs's layout puts it: the file
// hcpartner.<platform>-<arch>[-<abi>].node next to package.json (what `napi build --platform`
// writes, and what the npm tarball of `make dist` carries for linux-x64-gnu), else the platform
// package hcpartner-<platform>-<arch>[-<abi>] (napi-rs's npm/<platform>/ packages, whose main is
// that same file). On Linux the glibc and musl builds are told apart by which one is there and
// loads (asking for a process report to read the libc costs ~8 ms of `require`).

const fs = require('node:fs');
const path = require('node:path');

const ABIS = { linux: ['-gnu', '-musl'], win32: ['-msvc'] };

function load() {
  const failures = [];
  for (const abi of ABIS[process.platform] || ['']) {
    const triple = `${process.platform}-${process.arch}${abi}`;
    const file = path.join(__dirname, '..', `hcpartner.${triple}.node`);
    if (fs.existsSync(file)) {
      try {
        return require(file);
      } catch (e) {
        failures.push(`${path.basename(file)}: ${e.message}`);
      }
    }
    const pkg = `hcpartner-${triple}`;
    try {
      return require(pkg);
    } catch (e) {
      if (e.code !== 'MODULE_NOT_FOUND' || !e.message.includes(`'${pkg}'`)) failures.push(`${pkg}: ${e.message}`);
    }
  }
  throw new Error(
    `hcpartner: no native addon loads for ${process.platform}-${process.arch} (${failures.join('; ') || 'none is installed'}); ` +
      'build it with `npm run build` in bindings-node (needs Rust), or install a package built for this platform',
  );
}

module.exports = load();
