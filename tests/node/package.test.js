'use strict';
// The package as users get it: index.d.ts type-checks a sample under `tsc --strict` (and rejects
// wrong calls), `npm pack` gives a tarball that installs and loads its built addon, the addon also
// loads from a napi-rs platform package, and `version` is Cargo.toml's.

const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT } = require('./emulator.js');

const PKG = path.join(ROOT, 'bindings-node');

test('tsc --strict accepts the right calls and rejects the wrong ones', () => {
  const tsc = path.join(PKG, 'node_modules', '.bin', 'tsc');
  execFileSync(tsc, ['-p', path.join(__dirname, 'typing')], { stdio: 'pipe' });
});

const CARGO_VERSION = /^version = "(.*)"$/m.exec(fs.readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];

test("version is Cargo.toml's, as package.json's", () => {
  assert.equal(require(PKG).version, CARGO_VERSION);
  assert.equal(JSON.parse(fs.readFileSync(path.join(PKG, 'package.json'), 'utf8')).version, CARGO_VERSION);
});

test('without its own addon file the package loads the napi-rs platform package hcpartner-<platform>', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcpartner-platform-'));
  try {
    const triple = `${process.platform}-${process.arch}-gnu`;
    const main = path.join(dir, 'node_modules', 'hcpartner');
    fs.mkdirSync(path.join(main, 'lib'), { recursive: true });
    for (const f of ['package.json', 'index.js']) fs.copyFileSync(path.join(PKG, f), path.join(main, f));
    for (const f of fs.readdirSync(path.join(PKG, 'lib'))) fs.copyFileSync(path.join(PKG, 'lib', f), path.join(main, 'lib', f));
    const platform = path.join(dir, 'node_modules', `hcpartner-${triple}`);
    fs.mkdirSync(platform);
    const file = `hcpartner.${triple}.node`;
    fs.copyFileSync(path.join(PKG, file), path.join(platform, file));
    fs.writeFileSync(path.join(platform, 'package.json'), JSON.stringify({ name: `hcpartner-${triple}`, version: CARGO_VERSION, main: file }));
    const script = "const h = require('hcpartner'); console.log(h.version, Object.keys(require.cache).filter((f) => f.endsWith('.node')).map((f) => require('path').basename(require('path').dirname(f))).join());";
    assert.equal(execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' }).trim(), `${CARGO_VERSION} hcpartner-${triple}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('npm pack gives an installable package with the addon', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcpartner-pack-'));
  try {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', dir], { cwd: PKG, encoding: 'utf8' });
    const [{ filename, files }] = JSON.parse(out);
    const names = files.map((f) => f.path);
    for (const want of ['index.js', 'index.mjs', 'index.d.ts', 'types/index.d.ts', 'lib/client.js']) assert.ok(names.includes(want), want);
    assert.ok(names.some((n) => n.endsWith('.node')), 'the built addon is in the package');
    assert.ok(!names.some((n) => n.startsWith('src/') || n.startsWith('node_modules/')));
    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), '{"name": "app", "private": true}');
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, filename)], { cwd: app, stdio: 'pipe' });
    const script = "const h = require('hcpartner'); const c = new h.Client({ endpoint: 'http://127.0.0.1:9', credentials: h.akSk('a', 'b') }); console.log(c.endpoint, typeof h.signRequest);";
    assert.equal(execFileSync(process.execPath, ['-e', script], { cwd: app, encoding: 'utf8' }).trim(), 'http://127.0.0.1:9 function');
    const esm = "import { version } from 'hcpartner'; console.log(version);";
    assert.match(execFileSync(process.execPath, ['--input-type=module', '-e', esm], { cwd: app, encoding: 'utf8' }), /^\d+\.\d+\.\d+/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
