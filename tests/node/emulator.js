'use strict';
// One emulator process per test file (the `hcpartner-emulator` binary), reset before each test,
// and helpers for its admin API (faults, stats). Everything talks to 127.0.0.1 only.
// With HCP_SECRETS_DIR set (make test), each test file runs with a `logger` at debug (the core's
// events are the process's: one client with a logger receives them all) writing to
// node-debug.FILE.log there, and the text of every hcpartner error made goes there too, for
// tests/secrets/scan.py.

const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { before, after, beforeEach } = require('node:test');
const hcp = require('../../bindings-node');

// The default credential chain must not try the metadata service.
process.env.HCPARTNER_METADATA_DISABLED = '1';

const ROOT = path.resolve(__dirname, '..', '..');
const SECRETS_DIR = process.env.HCP_SECRETS_DIR;
let debugClient = null; // lives as long as the test file: the logger stays attached

function debugLog() {
  if (!SECRETS_DIR || debugClient) return;
  const fs = require('node:fs');
  const util = require('node:util');
  const fd = fs.openSync(path.join(SECRETS_DIR, `node-debug.${path.basename(process.argv[1] || 'node')}.log`), 'w');
  const write = (line) => fs.writeSync(fd, `${line}\n`);
  const logger = Object.fromEntries(['debug', 'info', 'warn', 'error'].map((m) => [m, (text) => write(`${m} ${text}`)]));
  debugClient = new hcp.Client({ endpoint: 'http://127.0.0.1:9', logger });
  // Every hcpartner error passes through this constructor (HcpError's `super`), its report set
  // once the constructors have run.
  class Recorded extends Error {
    constructor(message, options) {
      super(message, options);
      queueMicrotask(() => write(`${this.constructor.name} ${util.inspect(this, { depth: 5 })} ${JSON.stringify(this)}`));
    }
  }
  Object.setPrototypeOf(hcp.HcpError, Recorded);
  Object.setPrototypeOf(hcp.HcpError.prototype, Recorded.prototype);
}
const BINARY = process.env.HCP_EMULATOR || path.join(ROOT, 'target', 'debug', 'hcpartner-emulator');

class Emulator {
  constructor(child, info) {
    this.child = child;
    this.info = info;
    this.url = info.url;
    this.seed = info.seed;
  }

  async admin(method, route, body) {
    const res = await fetch(this.url + route, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async reset() {
    await this.admin('POST', '/_emulator/reset');
    await this.admin('DELETE', '/_emulator/faults');
  }

  fault(spec) {
    return this.admin('POST', '/_emulator/faults', spec);
  }

  /** Per operation: received, applied, refused, failed, faulted. */
  async stats() {
    return (await this.admin('GET', '/_emulator/stats')).ops;
  }

  async sent(op) {
    const s = (await this.stats())[op];
    return s ? s.received : 0;
  }

  aksk() {
    return hcp.akSk(this.info.ak, this.info.sk, { domainId: this.info.domain_id });
  }

  client(options = {}) {
    return new hcp.Client({
      endpoint: this.url,
      credentials: this.aksk(),
      retry: { baseDelay: 0.01, throttleDelay: 0.01 },
      ...options,
    });
  }

  stop() {
    this.child.stdin.end();
    this.child.kill();
  }
}

function start(args = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(BINARY, ['--port', '0', '--exit-with-stdin', '--token-ttl', '3600', ...args], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    child.on('error', (e) => reject(new Error(`cannot start the emulator ${BINARY} (run \`make test-node\`, or set HCP_EMULATOR): ${e.message}`)));
    const lines = readline.createInterface({ input: child.stdout });
    lines.once('line', (line) => {
      lines.close();
      resolve(new Emulator(child, JSON.parse(line)));
    });
    child.once('exit', (code) => reject(new Error(`the emulator exited (${code}) before printing its address`)));
  });
}

/**
 * Registers the hooks of a test file and returns the emulator holder (`emu.current`). `debug:
 * false` keeps the core's events off in this process (the load test: 2 events per read).
 */
function useEmulator(args = [], { debug = true } = {}) {
  if (debug) debugLog();
  const holder = { current: null };
  before(async () => {
    holder.current = await start(args);
  });
  beforeEach(async () => {
    await holder.current.reset();
  });
  after(() => holder.current.stop());
  return holder;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function lastMonth() {
  const d = new Date();
  d.setDate(0);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

module.exports = { useEmulator, start, sleep, lastMonth, hcp, ROOT };
