// qix-errors.js: the errors calls reject with, shaped as enigma.js's.

/** enigma.js's client error codes (enigma.js/error-codes). */
export const errorCodes = Object.freeze({
  NOT_CONNECTED: -1,
  OBJECT_NOT_FOUND: -2,
  EXPECTED_ARRAY_OF_PATCHES: -3,
  PATCH_HAS_NO_PARENT: -4,
  ENTRY_ALREADY_DEFINED: -5,
  NO_CONFIG_SUPPLIED: -6,
  PROMISE_REQUIRED: -7,
  SCHEMA_STRUCT_TYPE_NOT_FOUND: -8,
  SCHEMA_MIXIN_CANT_OVERRIDE_FUNCTION: -9,
  SCHEMA_MIXIN_EXTEND_NOT_ALLOWED: -10,
  SESSION_SUSPENDED: -11,
  SESSION_NOT_ATTACHED: -12,
});

export const NOT_CONNECTED = -1;
export const SUSPENDED = -11;
export const NOT_ATTACHED = -12;

// enigma.js's messages for the client errors Go reports (Go's own text
// stays in err.detail).
const MESSAGES = new Map([
  [-2, 'Object not found'],
  [-3, 'Unexpected RPC response, expected array of patches'],
  [-11, 'Session suspended'],
  [-12, 'Not attached'],
]);

/** clientError is an enigma.js client error (enigmaError: true, a negative code). */
export function clientError(code, message) {
  const err = new Error(message);
  err.code = code;
  err.kind = 'client';
  err.enigmaError = true;
  return err;
}

/**
 * toError builds the Error a call rejects with, from the Go side's error
 * object. A call cut off by the socket's close rejects as in enigma.js
 * (code -1, 'Socket closed'), with the close code and reason beside it.
 */
export function toError(e) {
  let err;
  if (e.kind === 'engine') {
    err = new Error(e.message);
    err.code = e.code;
    err.parameter = e.parameter;
    err.qixName = e.name;
    err.method = e.method;
    err.handle = e.handle;
  } else if (e.kind === 'close') {
    err = new Error('Socket closed');
    err.code = NOT_CONNECTED;
    err.enigmaError = true;
    err.closeCode = e.code;
    err.reason = e.reason;
    if (e.qepCode) err.qepCode = e.qepCode;
    if (e.traceId) err.traceId = e.traceId;
  } else {
    err = new Error(MESSAGES.get(e.code) || e.text);
    err.code = e.code;
    err.enigmaError = true;
  }
  err.kind = e.kind;
  err.detail = e.text;
  return err;
}
