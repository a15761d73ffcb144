'use strict';
// The facade's error report (JSON from the native side) as an instance of its class.

const native = require('./native.js');
const { BY_KIND, HcpError } = require('./errors.js');

/** The error for a report's JSON text; `cause`: why the caller gave up (an abort), if it did. */
function errorFrom(text, cause) {
  const report = JSON.parse(text);
  const Class = BY_KIND[report.kind] || HcpError;
  return new Class(report.display, report, cause === undefined ? undefined : { cause });
}

/** An InvalidArgumentError naming `field`, rendered by the core. */
function invalidArgument(field, message) {
  return errorFrom(native.invalidArgument(field, message));
}

module.exports = { errorFrom, invalidArgument };
