// qix-auth.js: from what a user has (a tenant and a web integration id, a
// Qlik Sense Enterprise host and virtual proxy prefix, or an app URL pasted
// from the hub) to a WebSocket URL a browser page can open, doing the
// handshake's prerequisites (the CSRF token) and explaining failures in
// words instead of "1006".
//
// Browsers cannot set headers on a WebSocket: a page reaches a real engine
// with the cookies of a signed-in session plus URL parameters.
//   - Qlik Cloud: the page's origin must be listed in a web integration;
//     GET https://<tenant>/api/v1/csrf-token (credentials included, header
//     qlik-web-integration-id) answers with the token in its qlik-csrf-token
//     response header; the socket is
//     wss://<tenant>/app/<appId>?qlik-web-integration-id=…&qlik-csrf-token=….
//   - Qlik Sense Enterprise (November 2024 and later): GET
//     https://<host>/<prefix>/qps/csrftoken (credentials included) answers
//     with the qlik-csrf-token header, sent as the qlik-csrf-token URL
//     parameter of wss://<host>/<prefix>/app/<appId>. A qlikTicket, when
//     given, goes on the URL as well.
// API keys, Authorization values and bearer tokens are refused: in a URL
// they end up in server, proxy and browser logs, and browsers have no
// other way to send them on a WebSocket.
//
// Every message this module produces (errors, explanations, redactedURL)
// has secrets masked with the rules of qixcore/redact.go.
//
//   import { openSession } from '/qix-auth.js';
//   import { create } from '/qix.js';
//   const { session, global, app } = await openSession(create, {
//     appURL: 'https://acme.eu.qlikcloud.com/sense/app/<appId>/overview',
//     webIntegrationId: '<id>',
//   });

/** Flavours of engine this module connects to. */
export const CLOUD = 'cloud';
export const ENTERPRISE = 'enterprise';

export { REDACTED, secretName, redactText, redactURL } from './qix-redact.js';
import { JWT_RE, redactText, redactURL } from './qix-redact.js';

// ---- errors ----------------------------------------------------------------

/**
 * QixAuthError is what this module throws: message is readable and redacted;
 * reason is a stable key ('secret-in-url', 'missing-input', 'csrf-failed',
 * 'handshake-failed'); causes lists the likely causes in order.
 */
export class QixAuthError extends Error {
  constructor(reason, message, extra = {}) {
    super(redactText(message));
    this.name = 'QixAuthError';
    this.reason = reason;
    this.causes = (extra.causes || []).map(redactText);
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.closeCode !== undefined) this.closeCode = extra.closeCode;
    if (extra.flavor) this.flavor = extra.flavor;
    if (extra.cause) this.cause = extra.cause;
  }
}

// ---- refusing secrets ------------------------------------------------------

const FORBIDDEN_NAMES = /^(authorization|proxy-?authorization|bearer|api[-_]?key|x[-_]api[-_]?key|access[-_]?token|qlik[-_]?jwt|jwt)$/i;
const SECRET_REASON = 'browsers cannot send headers on a WebSocket, so it would have to travel in the URL, '
  + 'where server, proxy and browser logs keep it; in a browser, sign in with cookies instead '
  + '(Qlik Cloud: a web integration id plus the CSRF token; Qlik Sense Enterprise: the virtual proxy session and its CSRF token)';

/**
 * refuseSecrets throws a QixAuthError when options would put an API key,
 * an Authorization value or a bearer token in a browser URL: apiKey,
 * authorization, token or headers options, such parameter names, or values
 * that are Bearer/Basic credentials or JWTs (Qlik Cloud API keys are JWTs).
 */
export function refuseSecrets(opts = {}) {
  const refuse = (what) => {
    throw new QixAuthError('secret-in-url', `refused ${what}: ${SECRET_REASON}`);
  };
  for (const k of ['apiKey', 'api_key', 'authorization', 'Authorization', 'bearer', 'token', 'accessToken', 'jwt']) {
    if (opts[k] !== undefined && opts[k] !== '') refuse(`the ${k} option`);
  }
  if (opts.headers && Object.keys(opts.headers).length) refuse('headers (Authorization and others)');
  const check = (name, value, where) => {
    if (FORBIDDEN_NAMES.test(name)) refuse(`the ${name} parameter in ${where}`);
    const v = String(value ?? '');
    if (/^\s*(bearer|basic)\s+\S/i.test(v)) refuse(`a Bearer/Basic credential in ${where}`);
    if (new RegExp(JWT_RE.source).test(v)) refuse(`a token (JWT or API key) in ${where}`);
  };
  for (const [k, v] of opts.params || []) check(k, v, 'params');
  for (const key of ['appURL', 'url']) {
    if (!opts[key]) continue;
    let u;
    try {
      u = new URL(opts[key]);
    } catch {
      continue;
    }
    if (u.password) refuse(`a password in ${key}`);
    for (const [k, v] of u.searchParams) check(k, v, key);
    if (new RegExp(JWT_RE.source).test(u.pathname + u.hash)) refuse(`a token (JWT or API key) in ${key}`);
  }
}

// ---- pasted URLs -----------------------------------------------------------

const CLOUD_HOST = /(^|\.)(qlikcloud\.com|qlikcloudgov\.com|qlik-stage\.com|qlikcloud\.cn)$/i;

/** isCloudHost tells whether a host name is a Qlik Cloud tenant's. */
export function isCloudHost(host) {
  return CLOUD_HOST.test(String(host || '').replace(/:\d+$/, ''));
}

/**
 * parseAppURL reads a URL pasted from the hub or a browser bar (…/sense/app/<id>/…,
 * …/single/?appid=<id>, or an engine URL …/app/<id>) into {flavor, host,
 * secure, prefix, appId}; null when it names no app. Cloud is recognised by
 * its host names (…qlikcloud.com); flavor overrides that.
 */
export function parseAppURL(input, flavor) {
  let u;
  try {
    u = new URL(String(input).trim());
  } catch {
    return null;
  }
  const secure = u.protocol === 'https:' || u.protocol === 'wss:';
  const segs = u.pathname.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  let appId = '';
  let prefixSegs = [];
  const senseAt = segs.findIndex((s, i) => s === 'sense' && segs[i + 1] === 'app' && segs[i + 2]);
  const appAt = segs.indexOf('app');
  if (senseAt >= 0) {
    appId = segs[senseAt + 2];
    prefixSegs = segs.slice(0, senseAt);
  } else if (segs.includes('single') && (u.searchParams.get('appid') || u.searchParams.get('appId'))) {
    appId = u.searchParams.get('appid') || u.searchParams.get('appId');
    prefixSegs = segs.slice(0, segs.indexOf('single'));
  } else if (appAt >= 0 && segs[appAt + 1]) {
    appId = segs[appAt + 1];
    prefixSegs = segs.slice(0, appAt);
  } else {
    return null;
  }
  const fl = flavor || (isCloudHost(u.hostname) ? CLOUD : ENTERPRISE);
  return { flavor: fl, host: u.host, secure, prefix: fl === CLOUD ? '' : prefixSegs.join('/'), appId };
}

// ---- explanations ----------------------------------------------------------

function originText(o) {
  return o || (typeof location !== 'undefined' ? location.origin : 'this page\'s origin');
}

/**
 * explainHandshakeFailure turns what is known about a failed connection
 * into readable text naming the likely causes, most likely first.
 * ctx: {flavor: 'cloud'|'enterprise', stage: 'csrf'|'websocket',
 * status (HTTP status of the CSRF fetch; 0 when the browser blocked or could
 * not reach it), closeCode, reason, url, host, prefix, webIntegrationId,
 * origin, hasCsrfToken, probeStatus (status of a CSRF fetch made after a
 * socket failure)}. Returns {summary, causes, text}; text is summary plus
 * causes, redacted.
 */
export function explainHandshakeFailure(ctx = {}) {
  const flavor = ctx.flavor || CLOUD;
  const host = ctx.host || hostOf(ctx.url) || 'the server';
  const origin = originText(ctx.origin);
  const wi = ctx.webIntegrationId;
  const prefix = ctx.prefix ? `/${String(ctx.prefix).replace(/^\/+|\/+$/g, '')}` : '';
  const causes = [];
  let summary;
  const notSignedIn = flavor === CLOUD
    ? `not signed in to ${host} in this browser, or the browser blocks its cookies here (third-party cookies are blocked when the page is on another site): sign in to the tenant in another tab, or allow its cookies`
    : `not signed in to ${host}${prefix} (the virtual proxy's session cookie is missing or expired), or the browser blocks its cookies here (third-party cookies): sign in through the hub first`;
  const originNotAllowed = `this page's origin ${origin} is not allowed for the web integration${wi ? ` ${wi}` : ''} (add it to the web integration's allowed origins in the management console)`;
  const wrongWI = `the web integration id${wi ? ` ${wi}` : ''} is wrong or belongs to another tenant`;
  const wrongPrefix = `wrong virtual proxy prefix "${prefix || '/'}" (the hub's URL shows it: https://${host}/<prefix>/hub)`;
  const missingCSRF = flavor === CLOUD
    ? 'missing CSRF token: the URL has no qlik-csrf-token (fetch it from /api/v1/csrf-token first, as connectURL does)'
    : 'missing CSRF token: since the November 2024 release the socket needs qlik-csrf-token from <prefix>/qps/csrftoken (as connectURL does)';
  const staleCSRF = 'the CSRF token no longer matches the session (signed out or signed in again since it was fetched): fetch a new one';

  if (ctx.stage === 'csrf') {
    const where = flavor === CLOUD ? `${host}/api/v1/csrf-token` : `${host}${prefix}/qps/csrftoken`;
    const st = ctx.status ?? 0;
    if (st === 0) {
      summary = `The browser could not read the CSRF token from ${where} (the request failed or its answer was blocked).`;
      if (flavor === CLOUD) causes.push(originNotAllowed, wrongWI);
      causes.push(`${host} is unreachable or mistyped, or a Content-Security-Policy connect-src of this page does not allow https://${host}`);
      if (flavor === ENTERPRISE) causes.push(`the virtual proxy does not list ${origin} in its host allow list (CORS)`, wrongPrefix);
    } else if (st === 401) {
      summary = `${where} answered 401: not signed in.`;
      causes.push(notSignedIn);
    } else if (st === 403) {
      summary = `${where} answered 403: refused.`;
      if (flavor === CLOUD) causes.push(originNotAllowed, wrongWI, notSignedIn);
      else causes.push(notSignedIn, `the virtual proxy does not allow ${origin}`);
    } else if (st === 404) {
      summary = `${where} answered 404: not found.`;
      if (flavor === ENTERPRISE) causes.push(wrongPrefix, 'the server is older than the November 2024 release and has no CSRF endpoint (connect with csrf: false)');
      else causes.push(`${host} is not a Qlik Cloud tenant (check the host name)`);
    } else if (st === 200) {
      summary = `${where} answered without a readable qlik-csrf-token header.`;
      causes.push(flavor === CLOUD
        ? `the tenant did not expose the header to ${origin}: ${originNotAllowed}`
        : `the proxy did not expose the header to ${origin} (cross-origin pages need the virtual proxy's allow list)`);
      causes.push(notSignedIn);
    } else {
      summary = `${where} answered ${st}.`;
      causes.push(`the server is failing or in maintenance (HTTP ${st}); try again later`);
    }
  } else {
    const code = ctx.closeCode ?? 1006;
    const params = paramsOf(ctx.url);
    const hasToken = ctx.hasCsrfToken ?? params.has('qlik-csrf-token');
    const target = ctx.url ? redactURL(ctx.url) : host;
    if (code === 1006 || code === 1002 || code === 1015) {
      summary = `The WebSocket to ${target} was refused during the handshake (close ${code}: the server answered with an HTTP error, whose status browsers hide from pages).`;
      if (ctx.probeStatus === 401) causes.push(notSignedIn);
      if (flavor === CLOUD && !(ctx.webIntegrationId || params.get('qlik-web-integration-id'))) {
        causes.push('the URL has no qlik-web-integration-id: pages on other origins need one (add webIntegrationId)');
      }
      if (!hasToken) causes.push(missingCSRF);
      if (flavor === CLOUD) causes.push(originNotAllowed);
      else causes.push(`the virtual proxy's host allow list does not include ${origin}`, wrongPrefix);
      if (hasToken) causes.push(staleCSRF);
      if (ctx.probeStatus !== 401) causes.push(notSignedIn);
      causes.push(`the engine is not reachable at ${host} (mistyped host, or a proxy that does not pass WebSockets)`);
    } else if (code === 4203 || code === 4006) {
      summary = `The engine closed the socket with ${code}: access denied.`;
      causes.push('the signed-in user has no access to this app (add them to the app\'s space)', notSignedIn);
    } else if (code === 4204 || code === 4004) {
      summary = `The engine closed the socket with ${code}: app not found.`;
      causes.push('the app id is wrong or the app was deleted (copy the URL from the hub again)');
    } else if (code === 4205 || code === 4240) {
      summary = `The engine closed the socket with ${code}: no engine available.`;
      causes.push('the tenant is busy: try again in a moment');
    } else if (code === 4230) {
      summary = 'The engine closed the socket with 4230: too many open apps.';
      causes.push('close other tabs or sessions with apps open');
    } else {
      summary = `The socket closed with ${code}${ctx.reason ? ` (${ctx.reason})` : ''}.`;
      causes.push(`${host} closed the connection; see the reason`);
    }
  }
  const uniq = [...new Set(causes)].map(redactText);
  const redSummary = redactText(summary);
  const text = `${redSummary} Likely causes: ${uniq.map((c, i) => `(${i + 1}) ${c}`).join('; ')}.`;
  return { summary: redSummary, causes: uniq, text };
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

function paramsOf(url) {
  try {
    return new URL(url).searchParams;
  } catch {
    return new URLSearchParams();
  }
}

// ---- connecting ------------------------------------------------------------

/**
 * resolveTarget fills {flavor, host, secure, port, prefix, appId} from
 * options (appURL pasted from the hub, or host/appId/prefix given apart).
 * The flavour is opts.flavor, else Qlik Cloud when a web integration id is
 * given or the host is a …qlikcloud.com one, else Qlik Sense Enterprise.
 */
export function resolveTarget(opts = {}) {
  // A web integration id exists only on Qlik Cloud.
  const hinted = opts.flavor || (opts.webIntegrationId ? CLOUD : undefined);
  const fromURL = opts.appURL ? parseAppURL(opts.appURL, hinted) : null;
  if (opts.appURL && !fromURL) {
    throw new QixAuthError('missing-input', `could not find an app id in ${redactURL(opts.appURL)}: paste a URL like https://<tenant>/sense/app/<appId> or https://<host>/<prefix>/sense/app/<appId>`);
  }
  let host = String(opts.host || fromURL?.host || '').trim().replace(/^(https?|wss?):\/\//i, '').replace(/\/.*$/, '');
  if (opts.port) host = `${host.replace(/:\d+$/, '')}:${opts.port}`;
  const flavor = hinted || fromURL?.flavor || (isCloudHost(host) ? CLOUD : ENTERPRISE);
  const prefix = String(opts.prefix ?? fromURL?.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const appId = opts.appId || fromURL?.appId || '';
  const secure = opts.secure ?? fromURL?.secure ?? true;
  if (!host) throw new QixAuthError('missing-input', 'no host: give the tenant or server host, or paste the app URL from the hub');
  if (flavor !== CLOUD && flavor !== ENTERPRISE) throw new QixAuthError('missing-input', `unknown flavor "${flavor}": want "cloud" or "enterprise"`);
  return { flavor, host, secure, prefix: flavor === CLOUD ? '' : prefix, appId };
}

async function fetchCSRF(t, opts, fetchFn) {
  const base = `${t.secure ? 'https' : 'http'}://${t.host}`;
  const endpoint = t.flavor === CLOUD ? `${base}/api/v1/csrf-token` : `${base}${t.prefix ? `/${t.prefix}` : ''}/qps/csrftoken`;
  const headers = t.flavor === CLOUD ? { 'qlik-web-integration-id': opts.webIntegrationId } : {};
  let resp;
  try {
    resp = await fetchFn(endpoint, { method: 'GET', credentials: 'include', mode: 'cors', headers, signal: opts.signal });
  } catch (e) {
    if (e?.name === 'AbortError') throw e;
    return { status: 0, error: e };
  }
  const token = resp.headers.get('qlik-csrf-token');
  return { status: resp.status, token: resp.ok ? token : null };
}

function csrfError(t, opts, status, cause) {
  const ex = explainHandshakeFailure({ ...t, stage: 'csrf', status, webIntegrationId: opts.webIntegrationId, origin: opts.origin });
  return new QixAuthError('csrf-failed', ex.text, { status, flavor: t.flavor, causes: ex.causes, cause });
}

/**
 * connectURL returns {url, redactedURL, flavor, host, prefix, appId,
 * csrfToken: boolean} after fetching the CSRF token (see the top of this
 * file). Options: flavor, appURL (pasted), host, port, secure (default true),
 * prefix, appId (required unless appURL has it; engineData for none),
 * webIntegrationId (Qlik Cloud, required), qlikTicket (Enterprise),
 * identity, ttl, params ([[name, value]] more URL parameters), csrf (false
 * skips the CSRF fetch: Enterprise before November 2024), origin (for
 * messages), fetch (defaults to globalThis.fetch), signal.
 * Throws QixAuthError with an explanation (redacted) when it cannot.
 */
export async function connectURL(opts = {}) {
  refuseSecrets(opts);
  const t = resolveTarget(opts);
  if (!t.appId) throw new QixAuthError('missing-input', 'no app id: give appId or paste the app URL from the hub');
  if (t.flavor === CLOUD && !opts.webIntegrationId) {
    throw new QixAuthError('missing-input', `Qlik Cloud needs a web integration id for pages on other origins: create one for ${originText(opts.origin)} in the management console (Web) and pass webIntegrationId`);
  }
  const fetchFn = opts.fetch || globalThis.fetch.bind(globalThis);
  let token = null;
  if (opts.csrf !== false) {
    const r = await fetchCSRF(t, opts, fetchFn);
    if (r.status === 200 && r.token) token = r.token;
    else if (!(opts.qlikTicket && t.flavor === ENTERPRISE && (r.status === 401 || r.status === 403))) {
      throw csrfError(t, opts, r.status, r.error);
    }
    // With a ticket and no session yet, the ticket signs the socket in.
  }
  let path = t.prefix ? `/${t.prefix.split('/').map(encodeURIComponent).join('/')}` : '';
  path += `/app/${encodeURIComponent(t.appId)}`;
  if (opts.identity) path += `/identity/${encodeURIComponent(opts.identity)}`;
  if (opts.ttl !== undefined && opts.ttl !== null) path += `/ttl/${Number(opts.ttl)}`;
  const q = new URLSearchParams();
  if (t.flavor === CLOUD) q.append('qlik-web-integration-id', opts.webIntegrationId);
  if (token) q.append('qlik-csrf-token', token);
  if (opts.qlikTicket) q.append('qlikTicket', opts.qlikTicket);
  for (const [k, v] of opts.params || []) q.append(k, v);
  const qs = q.toString();
  const url = `${t.secure ? 'wss' : 'ws'}://${t.host}${path}${qs ? `?${qs}` : ''}`;
  return { url, redactedURL: redactURL(url), flavor: t.flavor, host: t.host, secure: t.secure, prefix: t.prefix, appId: t.appId, csrfToken: !!token };
}

/**
 * explainSessionError explains an error from session.open() (a close
 * error, usually code 1006) for the connection ctx describes (what
 * connectURL returned plus webIntegrationId); it probes the CSRF endpoint
 * once to tell "signed out" from the rest. Returns a QixAuthError.
 */
export async function explainSessionError(err, ctx = {}) {
  // qix.js rejects a failed dial as enigma.js does (code -1) with the
  // socket's close code in closeCode.
  const closeCode = err?.closeCode ?? (err?.code > 0 ? err.code : 1006);
  let probeStatus;
  if (ctx.probe !== false && closeCode === 1006 && ctx.host) {
    const r = await fetchCSRF({ flavor: ctx.flavor, host: ctx.host, secure: ctx.secure ?? !String(ctx.url || '').startsWith('ws:'), prefix: ctx.prefix },
      ctx, ctx.fetch || globalThis.fetch.bind(globalThis));
    probeStatus = r.status;
  }
  const ex = explainHandshakeFailure({ ...ctx, stage: 'websocket', closeCode, reason: err?.reason, probeStatus });
  return new QixAuthError('handshake-failed', ex.text, { closeCode, flavor: ctx.flavor, causes: ex.causes, cause: err });
}

/**
 * openSession builds the URL (connectURL), creates a session with
 * create (qix.js's) and opens it, and the app unless appId is engineData.
 * Resolves with {session, global, app, url: redactedURL}; rejects with an
 * explained, redacted QixAuthError. sessionConfig goes to create().
 */
export async function openSession(create, opts = {}, sessionConfig = {}) {
  const c = await connectURL(opts);
  const session = create({ ...sessionConfig, url: c.url });
  let global;
  try {
    global = await session.open();
  } catch (err) {
    throw await explainSessionError(err, { ...opts, ...c });
  }
  let app = null;
  if (c.appId !== 'engineData') {
    // Qlik Cloud opens the URL's app on connect (and a session attached
    // within its TTL has it open); otherwise the engine waits for OpenDoc.
    const active = await global.getActiveDoc().catch(() => null);
    app = active || await global.openDoc(c.appId);
  }
  return { session, global, app, url: c.redactedURL };
}

export default { connectURL, openSession, explainHandshakeFailure, explainSessionError, parseAppURL, resolveTarget, refuseSecrets, redactText, redactURL, isCloudHost, QixAuthError, CLOUD, ENTERPRISE };
