'use strict';
// Where outcomes come back: the native bridge calls `done(id, kind, text)` on the JS thread for
// every finished call and page. While any is pending the bridge keeps the event loop alive; an
// idle client never does.

const native = require('./native.js');

/** Kinds of outcome (the same numbers as bindings-node/src/bridge.rs). */
const OK = 0;
const ERR = 1;
const END = 2;
const META = 3; // a call's result after a line of its answer's metadata

const pending = new Map();
let nextId = 1;

const bridge = new native.Bridge((id, kind, text) => {
  const settle = pending.get(id);
  if (settle === undefined) return; // dropped by an abort meanwhile
  release(id);
  settle(kind, text);
});

/** Registers `settle(kind, text)` for a new id and returns the id. */
function track(settle) {
  const id = nextId;
  nextId = nextId >= 0xffffffff ? 1 : nextId + 1;
  pending.set(id, settle);
  if (pending.size === 1) bridge.setBusy(true);
  return id;
}

/** Keeps `id` pending (the process alive) but drops what its outcome would have done. */
function keep(id) {
  if (pending.has(id)) pending.set(id, () => {});
}

/** Forgets `id` (its outcome will not come, or already came). */
function release(id) {
  if (pending.delete(id) && pending.size === 0) bridge.setBusy(false);
}

module.exports = { bridge, track, keep, release, OK, ERR, END, META };
