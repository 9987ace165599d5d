// qix-redact.js: masks credentials in text and URLs with the rules of
// qixcore/redact.go (secret parameter and field names, Authorization-like
// headers, Bearer/Basic credentials, JWTs, userinfo passwords,
// /identity/<x>), so messages a page shows or logs never carry tokens.
// qix-auth.js re-exports it.

/** REDACTED replaces every secret in masked text. */
export const REDACTED = 'REDACTED';

const SECRET_NAMES = new Set([
  'qlikticket', 'ticket', 'qlikjwt', 'jwt',
  'accesstoken', 'idtoken', 'refreshtoken', 'token', 'authtoken',
  'qlikcsrftoken', 'csrftoken', 'xsrftoken', 'xqlikxrfkey', 'xrfkey',
  'apikey', 'password', 'passwd', 'pwd', 'qpassword',
  'secret', 'clientsecret', 'signature', 'sig',
  'authorization', 'auth', 'cookie', 'session', 'xqliksession',
]);
const SECRET_SUFFIXES = ['token', 'secret', 'password', 'ticket', 'jwt', 'apikey', 'xrfkey'];

/** secretName tells whether a parameter or field called name carries a credential. */
export function secretName(name) {
  const n = String(name).toLowerCase().replace(/[-_]/g, '');
  return SECRET_NAMES.has(n) || SECRET_SUFFIXES.some((s) => n.endsWith(s));
}

const PAIR_RE = /([A-Za-z][A-Za-z0-9_.%-]*)=([^&#;?=\s"'<>]*)/g;
const JSON_RE = /"([A-Za-z][A-Za-z0-9_-]*)"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;
// Go's header list plus qlik-csrf-token, which this module's own messages could name.
const HEADER_RE = /\b(authorization|proxy-authorization|cookie|set-cookie|x-qlik-xrfkey|x-qlik-session|qlik-csrf-token)(\s*:\s*)[^\r\n"]+/gi;
const SCHEME_RE = /\b(bearer|basic)(\s+)[A-Za-z0-9._~+/=-]{4,}/gi;
export const JWT_RE = /eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g;
const USERINFO_RE = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"]*):[^@\s/"]*@/gi;
const IDENTITY_RE = /(\/identity\/)[^/?#\s"']+/g;

function unescapeName(name) {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

/**
 * redactText masks credentials in free text: secret name=value pairs and
 * "name":"value" fields, Authorization/Cookie-like header values, Bearer
 * and Basic credentials, JWTs, URL userinfo passwords and /identity/<x>.
 */
export function redactText(s) {
  if (s == null) return '';
  s = String(s);
  if (!s) return s;
  s = s.replace(HEADER_RE, `$1$2${REDACTED}`);
  s = s.replace(SCHEME_RE, `$1$2${REDACTED}`);
  s = s.replace(JWT_RE, REDACTED);
  s = s.replace(USERINFO_RE, `$1:${REDACTED}@`);
  s = s.replace(IDENTITY_RE, `$1${REDACTED}`);
  s = s.replace(PAIR_RE, (m, name, value) => {
    const v = value.replace(/[:.,)\]}]+$/, '');
    if (!v || v === REDACTED || !secretName(unescapeName(name))) return m;
    return `${name}=${REDACTED}${value.slice(v.length)}`;
  });
  s = s.replace(JSON_RE, (m, name, sep, value) =>
    secretName(name) && value ? `"${name}"${sep}"${REDACTED}"` : m);
  return s;
}

/** redactURL returns an engine URL safe to show: secret query and fragment values masked. */
export function redactURL(raw) {
  const s = String(raw ?? '');
  const hashAt = s.indexOf('#');
  const head = hashAt < 0 ? s : s.slice(0, hashAt);
  const frag = hashAt < 0 ? null : s.slice(hashAt + 1);
  const qAt = head.indexOf('?');
  let out = qAt < 0 ? head : head.slice(0, qAt) + '?' + redactPairs(head.slice(qAt + 1));
  if (frag !== null) out += '#' + redactPairs(frag);
  return redactText(out);
}

function redactPairs(q) {
  return q.split('&').map((p) => {
    const i = p.indexOf('=');
    if (i < 0 || i === p.length - 1) return p;
    return secretName(unescapeName(p.slice(0, i))) ? p.slice(0, i + 1) + REDACTED : p;
  }).join('&');
}
