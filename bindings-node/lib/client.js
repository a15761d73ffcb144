'use strict';
// Client and Pager: converters over the native client. Options, credentials, validation,
// retries, numbers, errors and what giving up means are all decided by the core's facade.

const util = require('node:util');
const native = require('./native.js');
const { bridge, track, keep, release, OK, ERR, END, META } = require('./bridge.js');
const { toWire, BadInput } = require('./wire.js');
const { errorFrom, invalidArgument } = require('./report.js');
const { HcpError } = require('./errors.js');
const { specOf } = require('./credentials.js');
const { Operations, OPERATIONS } = require('./operations.js');
const logging = require('./logging.js');

const FROM_NATIVE = Symbol('hcpartner native client');

/** A snake_case operation name for a camelCase one (either is accepted). */
function operationName(name) {
  return typeof name === 'string' && Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name] : name;
}

function wire(value, what) {
  try {
    return toWire(value, what);
  } catch (e) {
    if (e instanceof BadInput) throw invalidArgument(e.field, e.message);
    throw e;
  }
}

/** The native outcome of `start`, or a thrown error: never a rejection from native code. */
function unwrap(result) {
  if (typeof result === 'string') throw errorFrom(result);
  return result;
}

function checkNumbers(numbers) {
  if (numbers === undefined || numbers === 'strings') return true;
  if (numbers === 'numbers') return false;
  throw invalidArgument('numbers', `must be "strings" (the default) or "numbers", got ${util.inspect(numbers)}`);
}

/** The facade's call options (timeout, retry, headers) as JSON text; '' for none. */
function coreCallOptions(core) {
  const given = Object.fromEntries(Object.entries(core).filter(([, v]) => v !== undefined));
  return Object.keys(given).length ? wire(given, 'options') : '';
}

function checkCallOptions(options) {
  if (options === undefined || options === null) return { core: '' };
  const { signal, timeoutMs, timeout, retry, headers, ...rest } = options;
  const unknown = Object.keys(rest);
  if (unknown.length) {
    throw invalidArgument(unknown[0], 'unknown call option (known: signal, timeoutMs, timeout, retry, headers)');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalidArgument('signal', 'must be an AbortSignal');
  }
  if (timeoutMs !== undefined && !(Number.isFinite(timeoutMs) && timeoutMs >= 0)) {
    throw invalidArgument('timeoutMs', `must be a non-negative number of milliseconds, got ${timeoutMs}`);
  }
  return { signal, timeoutMs, core: coreCallOptions({ timeout, retry, headers }) };
}

/** The answer's metadata of a call's result (requestId, status, attempts, elapsed, operation). */
function meta(result) {
  if (result === null || typeof result !== 'object') return undefined;
  const d = Object.getOwnPropertyDescriptor(result, 'meta');
  return d !== undefined && !d.enumerable ? d.value : undefined;
}

/**
 * `META` text: the metadata (a line `[operation, requestId, status, attempts, elapsed]`) as a
 * non-enumerable `meta` (JSON.stringify keeps the wire's shape).
 */
function withMeta(text) {
  const cut = text.indexOf('\n');
  const result = JSON.parse(text.slice(cut + 1));
  if (result !== null && typeof result === 'object') {
    const [operation, requestId, status, attempts, elapsed] = JSON.parse(text.slice(0, cut));
    const value = Object.freeze({ operation, requestId, status, attempts, elapsed });
    Object.defineProperty(result, 'meta', { value, enumerable: false });
  }
  return result;
}

/**
 * Starts a call; resolves with `[kind, text, cause]` and never rejects, so that the error is
 * made in the awaiting async function (its stack then shows the caller's line).
 */
function start(nativeClient, operation, params, { signal, timeoutMs, core }) {
  return new Promise((resolve) => {
    if (signal && signal.aborted) {
      resolve([-1, undefined, signal.reason]); // given up before it started: nothing is sent
      return;
    }
    let timer;
    const stop = () => {
      if (timer !== undefined) clearTimeout(timer);
      if (signal) signal.removeEventListener('abort', onAbort);
    };
    const id = track((kind, text) => {
      stop();
      resolve([kind, text]);
    });
    if (!signal && timeoutMs === undefined) {
      // Nothing can give up on it: no control object to make (the common case, and the fast one).
      const failed = nativeClient.start(id, operation, params, core);
      if (failed !== null) {
        release(id);
        resolve([ERR, failed]);
      }
      return;
    }
    let control;
    try {
      control = nativeClient.call(id, operation, params, core);
    } catch (e) {
      release(id);
      throw e;
    }
    if (typeof control === 'string') {
      release(id);
      resolve([ERR, control]);
      return;
    }
    function giveUp(reason, what) {
      stop();
      const abandoned = control.cancel(what);
      if (abandoned === null) {
        release(id); // dropped: its outcome never comes
        resolve([-1, undefined, reason]);
      } else {
        // Runs to its end (keeping the process alive); its outcome is logged, not awaited.
        keep(id);
        resolve([ERR, abandoned, reason]);
      }
    }
    function onAbort() {
      giveUp(signal.reason, 'aborted');
    }
    if (signal) signal.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () => giveUp(new DOMException(`${operation} took longer than timeoutMs (${timeoutMs} ms)`, 'TimeoutError'), 'timed out'),
        timeoutMs,
      );
    }
  });
}

/**
 * The answer of one native task that reports under an id: `begin(id)` starts it and returns null,
 * or the report of why it could not start. Resolves with the parsed answer; rejects with its error.
 */
async function once(begin) {
  const [kind, text] = await new Promise((resolve) => {
    const id = track((k, t) => resolve([k, t]));
    const failed = begin(id);
    if (failed !== null) {
      release(id);
      resolve([ERR, failed]);
    }
  });
  if (kind === ERR) throw errorFrom(text);
  return JSON.parse(text);
}

/** The JSON text of the ticket in `error` (an HcpError's `ticket`, or a ticket); null for none. */
function ticketOf(error) {
  const ticket = error instanceof HcpError ? error.ticket : error;
  if (ticket === null || ticket === undefined) return null;
  if (typeof ticket !== 'object' || Array.isArray(ticket) || ticket instanceof Error) {
    const what = ticket instanceof Error ? ticket.name : Array.isArray(ticket) ? 'an array' : typeof ticket;
    throw invalidArgument('error', `must be an hcpartner error (an OutcomeUnknownError) or its ticket (an object), not ${what}`);
  }
  return wire(ticket, 'ticket');
}

/** Every item (or page) of a paginated operation, as an async iterator. */
class Pager {
  #native;
  #client;
  #args;

  constructor(client, nativePager, args) {
    this.#client = client;
    this.#native = nativePager;
    this.#args = args;
  }

  /** Iterating again starts again from the first page. */
  [Symbol.asyncIterator]() {
    if (this.#native === null) {
      const [operation, params, pages] = this.#args;
      return new Pager(this.#client, unwrap(this.#client.pager(operation, params, pages)), this.#args);
    }
    return this;
  }

  async next() {
    if (this.#native === null) return { done: true, value: undefined };
    const nativePager = this.#native;
    const [kind, text] = await new Promise((resolve) => {
      const id = track((k, t) => resolve([k, t]));
      const failed = nativePager.next(id);
      if (failed !== null) {
        release(id);
        resolve([ERR, failed]);
      }
    });
    if (kind === OK) return { done: false, value: JSON.parse(text) };
    this.#native = null;
    if (kind === END) return { done: true, value: undefined };
    throw errorFrom(text);
  }

  /** Stops early (`break` in `for await` calls it). */
  async return() {
    if (this.#native !== null) this.#native.close();
    this.#native = null;
    return { done: true, value: undefined };
  }

  /** Every item (or page) in an array. */
  async toArray() {
    const out = [];
    for await (const item of this) out.push(item);
    return out;
  }

  get operation() {
    return this.#args[0];
  }

  [util.inspect.custom]() {
    return `Pager { operation: ${util.inspect(this.#args[0])}, ${this.#args[2] ? 'pages' : 'items'} }`;
  }
}

/** The client: one method per operation (camelCase), each returning a Promise of a plain object. */
class Client extends Operations {
  #native;
  #logger;

  constructor(options = {}, nativeClient = undefined) {
    super();
    if (options === FROM_NATIVE) {
      this.#native = nativeClient.native;
      this.#logger = nativeClient.logger;
    } else {
      if (options === null || typeof options !== 'object') {
        throw invalidArgument('options', 'must be an object');
      }
      const { logger, numbers, credentials, ...core } = options;
      const strings = checkNumbers(numbers);
      if (credentials !== undefined) core.credentials = specOf(credentials);
      // Operation names in rate limits may be camelCase, as the methods are.
      for (const name of ['rateLimits', 'rate_limits']) {
        const limits = core[name];
        if (limits !== null && typeof limits === 'object' && !Array.isArray(limits)) {
          core[name] = Object.fromEntries(Object.entries(limits).map(([op, rate]) => [operationName(op), rate]));
        }
      }
      this.#native = unwrap(native.newClient(bridge, wire(core, 'options'), strings));
      this.#logger = logger === undefined ? undefined : logging.check(logger);
    }
    if (this.#logger !== undefined) logging.attach(this, this.#logger);
  }

  /** Calls any operation by name (`listSubCustomers` or `list_sub_customers`) with flat params (wire names). */
  async call(operation, params, options) {
    const op = operationName(operation);
    const controls = checkCallOptions(options);
    const [kind, text, cause] = await start(this.#native, op, wire(params, 'params'), controls);
    if (kind === META) return withMeta(text);
    if (kind === OK) return JSON.parse(text);
    if (kind === ERR) throw errorFrom(text, cause);
    throw cause;
  }

  /** Every item across pages (`limit` sets the page size), as an async iterator with `toArray()`. */
  paginate(operation, params) {
    return this.#pager(operation, params, false);
  }

  /** Every page (the whole answer of each call). */
  pages(operation, params) {
    return this.#pager(operation, params, true);
  }

  #pager(operation, params, pages) {
    const args = [operationName(operation), wire(params, 'params'), pages];
    return new Pager(this.#native, unwrap(this.#native.pager(...args)), args);
  }

  /** A client acting for a resale customer through assume_role (shares the connection pool). */
  forCustomer(agencyName, { customerId, customerName } = {}) {
    const nativeClient = unwrap(this.#native.forCustomer(agencyName, customerId, customerName));
    return new Client(FROM_NATIVE, { native: nativeClient, logger: this.#logger });
  }

  /**
   * Settles an unknown outcome from the service's records: an OutcomeUnknownError of a funding,
   * reclaim or coupon call, or its `ticket`. Resolves with `{ verdict, operation, looked_in,
   * records }`; sends only reads.
   */
  async reconcile(error) {
    const ticket = ticketOf(error);
    const nativeClient = this.#native;
    return once((id) => nativeClient.reconcile(id, ticket));
  }

  get endpoint() {
    return this.#native.endpoint;
  }

  get site() {
    return this.#native.site;
  }

  [util.inspect.custom]() {
    const n = this.#native;
    return `Client { endpoint: ${util.inspect(n.endpoint)}, site: ${util.inspect(n.site)}, auth: ${util.inspect(n.auth)} }`;
  }

  /** Test hook: a deliberate panic in a sync export or a spawned task. */
  async _panic(spawned = false) {
    const nativeClient = this.#native;
    return once((id) => nativeClient.panicForTest(id, spawned));
  }
}

/** Signs a request with AK/SK (byte-identical to the official SDK); returns the headers to add. */
function signRequest({ method, url, headers, body, ak, sk, securityToken, domainId } = {}) {
  const pairs = headers === undefined || headers === null ? [] : Array.isArray(headers) ? headers : Object.entries(headers);
  pairs.forEach((pair, i) => {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      throw invalidArgument(`headers[${i}]`, 'must be a [name, value] pair of strings');
    }
  });
  let bytes;
  if (body === undefined || body === null) bytes = Buffer.alloc(0);
  else if (typeof body === 'string') bytes = Buffer.from(body);
  else if (ArrayBuffer.isView(body)) bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  else throw invalidArgument('body', 'must be a string, a Buffer or a Uint8Array');
  for (const [name, value] of Object.entries({ method, url, ak, sk })) {
    if (typeof value !== 'string') throw invalidArgument(name, 'must be a string');
  }
  const signed = native.signRequest(method, url, JSON.stringify(pairs), bytes, ak, sk, securityToken ?? null, domainId ?? null);
  if (typeof signed === 'string') throw errorFrom(signed);
  return signed;
}

module.exports = { Client, Pager, signRequest, meta };
