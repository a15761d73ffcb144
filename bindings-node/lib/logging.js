'use strict';
// The `logger` option: the core's events (retries, request ids, token refreshes, the outcome of
// a call given up on; never a secret) go to every logger of a live client. The events are the
// process's, not one client's: two clients with different loggers both see them. Nothing is
// forwarded while no client has a logger.

const native = require('./native.js');

const METHODS = ['error', 'warn', 'info', 'debug'];
/** Live clients per logger. */
const loggers = new Map();
let installed = false;

const forget = new FinalizationRegistry((logger) => {
  const n = (loggers.get(logger) || 1) - 1;
  if (n > 0) loggers.set(logger, n);
  else loggers.delete(logger);
});

function emit(level, target, message) {
  const method = METHODS[Math.min(level, 4) - 1] || 'debug';
  for (const logger of loggers.keys()) {
    try {
      logger[method](`${target}: ${message}`);
    } catch {
      // A failing logger must not take the process down from a native callback.
    }
  }
}

/** `logger` if it has the four methods, else the error naming the option. */
function check(logger) {
  const missing = METHODS.filter((m) => logger === null || typeof logger !== 'object' || typeof logger[m] !== 'function');
  if (missing.length) {
    const { invalidArgument } = require('./report.js');
    throw invalidArgument('logger', `must have the methods ${METHODS.join(', ')} (such as console or pino); lacks ${missing.join(', ')}`);
  }
  return logger;
}

/** Sends the core's events to `logger` while `client` lives. */
function attach(client, logger) {
  loggers.set(logger, (loggers.get(logger) || 0) + 1);
  forget.register(client, logger);
  if (!installed) {
    native.setLogSink(emit, 4);
    installed = true;
  }
}

module.exports = { check, attach };
