'use strict';
// JS values to the JSON text the core reads. The walk names the field of anything JSON cannot
// carry exactly (NaN, a function, a Map, a lone surrogate, a cycle) so that it fails as an
// InvalidArgument before anything is sent; a bigint keeps every digit; an `undefined` property
// is not sent (as a missing one).

const native = require('./native.js');

const MAX_DEPTH = native.maxDepth();

/** Bad input found here, before the core sees it: `field` names it. */
class BadInput {
  constructor(field, message) {
    this.field = field.length > 80 ? `${field.slice(0, 80)}…` : field || 'params';
    this.message = message;
  }
}

function child(path, key) {
  return path ? `${path}.${key}` : key;
}

function typeName(v) {
  const proto = Object.getPrototypeOf(v);
  return (proto && proto.constructor && proto.constructor.name) || 'object';
}

function refuse(v, path) {
  const what = typeof v === 'object' ? typeName(v) : typeof v;
  const advice =
    {
      Date: '; pass an ISO 8601 string',
      Map: '; pass a plain object',
      Set: '; pass an array',
      Buffer: '; pass a string',
      Uint8Array: '; pass a string',
    }[what] || '';
  return new BadInput(
    path,
    `cannot send a ${what} (send a string, number, bigint, boolean, null, array or plain object)${advice}`,
  );
}

function write(v, path, depth) {
  switch (typeof v) {
    case 'string':
      if (!v.isWellFormed()) throw new BadInput(path, 'is not valid Unicode (a lone surrogate)');
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new BadInput(path, `expected a finite number, got ${v}`);
      // The shortest text that reads back as the same number: 0.1 stays 0.1.
      return String(v);
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      throw refuse(v, path);
  }
  if (v === null) return 'null';
  if (depth >= MAX_DEPTH) {
    throw new BadInput(path, `is nested deeper than ${MAX_DEPTH} levels (or contains itself)`);
  }
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      if (v[i] === undefined) throw new BadInput(`${path}[${i}]`, 'is undefined (an array cannot leave a hole)');
      out += (i ? ',' : '') + write(v[i], `${path}[${i}]`, depth + 1);
    }
    return out + ']';
  }
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) throw refuse(v, path);
  let out = '{';
  let first = true;
  for (const key of Object.keys(v)) {
    const item = v[key];
    if (item === undefined) continue;
    const at = child(path, key);
    if (!key.isWellFormed()) throw new BadInput(at, 'has a key that is not valid Unicode');
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + write(item, at, depth + 1);
    first = false;
  }
  return out + '}';
}

/** The JSON text of a params (or options) object; `undefined`/`null` is `{}`. */
function toWire(value, what) {
  if (value === undefined || value === null) return '{}';
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadInput(what, `must be a plain object, not ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return write(value, '', 0);
}

module.exports = { toWire, BadInput };
