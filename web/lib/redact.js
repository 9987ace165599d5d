// redact: secrets out of anything the pages show, log or export. Tickets,
// JWTs, CSRF tokens, API keys, passwords, Authorization values and
// Bearer/Basic credentials are replaced by "[REDACTED]" while the structure
// around them (a URL, a frame, a message) stays as it was. The traffic log,
// its export and every message of the console go through it. Passwords
// given as positional params (OpenDoc's qPassword is param 2) are found by
// their place in the schema: secret-params.js, generated from Go's rule.
import { SECRET_PARAMS } from './secret-params.js';

export const REDACTED = '[REDACTED]';

// Keys whose string values are secrets wherever they appear (QIX params
// such as qPassword, connection properties, headers echoed in layouts).
const SECRET_KEY = /pass(word|wd)|^q?pwd$|secret|token|ticket|api[-_]?key|authori[sz]ation|xrfkey|(^|[-_])jwt$|cookie|credential/i;

// Query or connection-string parameters that carry secrets: Qlik tickets,
// JWTs (qlik-jwt, jwt, accessToken), CSRF tokens, API keys, passwords.
const SECRET_NAMES =
  'qlikTicket|qlik-?jwt|jwt|access_?token|accessToken|id_?token|refresh_?token|token|ticket|qlik-csrf-token|csrf[-_]?token|x-qlik-xrfkey|xrfkey|api[-_]?key|password|pwd|secret|client_secret|signature|sig|authori[sz]ation|auth';
// key=value, where the value may be "Bearer <token>" written out.
const SECRET_PARAM = new RegExp(`\\b(${SECRET_NAMES})=((?:Bearer|Basic)\\s+)?([^&;#\\s"'<>]*)`, 'gi');
// The same names as JSON members inside a message: "qlik-csrf-token": "abc".
const SECRET_MEMBER = new RegExp(`"(${SECRET_NAMES})"(\\s*:\\s*)"([^"]+)"`, 'gi');
// Headers written out in a message (Bearer/Basic values: see BEARER).
const SECRET_HEADER = /\b(Authorization|Proxy-Authorization|X-Qlik-Xrfkey|qlik-csrf-token|X-Qlik-Session)(\s*:\s*)(?!Bearer\b|Basic\b)([^\s,;"']+)/gi;
// A Cookie header: every cookie in it, to the end of the line.
const COOKIE_HEADER = /\b((?:Set-)?Cookie)(\s*:\s*)([^\n"']+)/gi;
const BEARER = /\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi;
// Three base64url parts starting with a JSON header: a JWT even when it
// sits somewhere no rule above knows about.
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;

/** redactString hides secrets inside one string (a URL, a script, a header). */
export function redactString(s) {
  if (typeof s !== 'string' || s.length < 4) return s;
  return s
    .replace(SECRET_PARAM, (all, key, scheme, value) => (value ? `${key}=${REDACTED}` : all))
    .replace(SECRET_MEMBER, (all, key, colon) => `"${key}"${colon}"${REDACTED}"`)
    .replace(SECRET_HEADER, (all, key, colon, value) => (value === REDACTED ? all : `${key}${colon}${REDACTED}`))
    .replace(COOKIE_HEADER, `$1$2${REDACTED}`)
    .replace(BEARER, `$1$2${REDACTED}`)
    .replace(JWT, REDACTED);
}

/**
 * maskSecretParams returns the frame msg with the non-empty strings at its
 * method's secret positions (SECRET_PARAMS) replaced by "[REDACTED]": a
 * copy with a new params array when something is masked, else msg itself.
 * Named params ({"qPassword": …}) are left to redact(), which knows them
 * by name.
 */
export function maskSecretParams(msg) {
  if (!msg || typeof msg !== 'object' || !Array.isArray(msg.params) || typeof msg.method !== 'string') return msg;
  if (!Object.hasOwn(SECRET_PARAMS, msg.method)) return msg;
  let params = null;
  for (const i of SECRET_PARAMS[msg.method]) {
    const v = msg.params[i];
    if (typeof v === 'string' && v !== '' && v !== REDACTED) {
      params ??= [...msg.params];
      params[i] = REDACTED;
    }
  }
  return params ? { ...msg, params } : msg;
}

/** redactFrame is redact() of a QIX frame, its positional secrets included. */
export function redactFrame(msg) {
  return redact(maskSecretParams(msg));
}

/**
 * redact returns a copy of value without secrets: string values under secret
 * keys become "[REDACTED]" and every other string goes through redactString.
 * Numbers, booleans, nulls, keys and the shape are kept, so a redacted frame
 * is still a valid frame of the same method.
 */
export function redact(value, key = '') {
  if (typeof value === 'string') {
    if (value !== '' && key && SECRET_KEY.test(key)) return REDACTED;
    return redactString(value);
  }
  if (Array.isArray(value)) return value.map((v) => redact(v));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = redact(v, k);
    return out;
  }
  return value;
}
