// qix-url.js: buildUrl, enigma.js's sense-utilities URL builder, as a
// synchronous function with the same options (the Go builder, buildURL,
// knows Qlik Cloud's URLs too).

const trimSlashes = (s) => String(s).replace(/^\/+|\/+$/g, '');

function queryValue(v) {
  switch (typeof v) {
    case 'string':
      return v;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'number':
      return Number.isFinite(v) ? String(v) : '';
    default:
      return '';
  }
}

/** query encodes urlParams as node's querystring.stringify does (arrays repeat the key). */
function query(params) {
  if (params === null || typeof params !== 'object') return '';
  const parts = [];
  for (const key of Object.keys(params)) {
    const k = encodeURIComponent(queryValue(key));
    const v = params[key];
    if (Array.isArray(v)) for (const x of v) parts.push(`${k}=${encodeURIComponent(queryValue(x))}`);
    else parts.push(`${k}=${encodeURIComponent(queryValue(v))}`);
  }
  return parts.join('&');
}

/**
 * buildUrl returns the WebSocket URL for enigma.js's SenseConfiguration
 * ({host = 'localhost', port, secure = true, prefix, subpath, route, appId,
 * identity, ttl, urlParams}); without appId and route it is app/engineData.
 * Unlike sense-utilities it does not write the defaults into config.
 */
export function buildUrl(config = {}) {
  const { host, port, prefix, subpath, identity, ttl, urlParams, appId } = config;
  const secure = config.secure === undefined ? true : config.secure;
  const route = !appId && !config.route ? 'app/engineData' : config.route;
  let url = `${secure ? 'wss' : 'ws'}://${host || 'localhost'}`;
  if (port) url += `:${port}`;
  if (prefix) url += `/${trimSlashes(prefix)}`;
  if (subpath) url += `/${trimSlashes(subpath)}`;
  if (route) url += `/${trimSlashes(route)}`;
  else if (appId) url += `/app/${encodeURIComponent(appId)}`;
  if (identity) url += `/identity/${encodeURIComponent(identity)}`;
  if (ttl) url += `/ttl/${ttl}`;
  if (urlParams) url += `?${query(urlParams)}`;
  return url;
}
