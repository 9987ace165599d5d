// console-real: the console's "Qlik Cloud / Qlik Sense Enterprise" target.
// A real engine is reached from a browser with the cookies of a signed-in
// session plus URL parameters, so this target does not take a URL: it takes
// what a user has (a pasted hub link, a tenant and its web integration id,
// or a Qlik Sense Enterprise host, virtual proxy prefix and ticket) and
// hands it to /qix-auth.js, which fetches the CSRF token on Connect and
// explains a failed handshake instead of "1006".
//
// The ticket is a password input and is never shown: the preview and every
// message are redacted, and switching to URL mode copies the redacted URL.
import { parseAppURL, isCloudHost, refuseSecrets, CLOUD, ENTERPRISE } from '/qix-auth.js';
import { redactString } from './redact.js';

/** CSRF_PLACEHOLDER stands for the token in the preview; it is fetched on Connect. */
const CSRF_PLACEHOLDER = 'fetched-on-connect';

/**
 * realTarget binds the target's own fields (ui.appLink, ui.flavor,
 * ui.webIntegrationId, ui.qlikTicket, ui.fetchCsrf); the fields it shares
 * with the other targets (host, secure, prefix, app, identity, ttl,
 * parameters) stay in console-url.js. onChange() runs after a pasted link
 * filled the form or the product changed.
 */
export function realTarget(ui, { onChange = () => {}, updateVisibility = () => {} } = {}) {
  const flavor = () => (ui.flavor.value === ENTERPRISE ? ENTERPRISE : CLOUD);

  /** fillFromLink reads a pasted hub link into the fields; false when it names no app. */
  function fillFromLink() {
    const text = ui.appLink.value.trim();
    if (!text) {
      ui.appLinkNote.textContent = 'From the hub or the browser bar: fills the fields below.';
      return false;
    }
    const p = parseAppURL(text);
    if (!p) {
      ui.appLinkNote.textContent = 'No app id in this link: paste https://<tenant>/sense/app/<appId>/… or https://<host>/<prefix>/sense/app/<appId>.';
      return false;
    }
    // A …qlikcloud.com host or a virtual proxy prefix tells the product;
    // otherwise (a bare host) the chosen one stays.
    if (isCloudHost(p.host)) ui.flavor.value = CLOUD;
    else if (p.prefix) ui.flavor.value = ENTERPRISE;
    ui.host.value = p.host;
    ui.secure.checked = p.secure;
    ui.appId.value = p.appId;
    ui.prefix.value = flavor() === ENTERPRISE ? p.prefix : '';
    const product = flavor() === CLOUD ? 'Qlik Cloud' : 'Qlik Sense Enterprise';
    ui.appLinkNote.textContent = redactString(`Read as ${product}: ${p.host}${ui.prefix.value ? `, prefix /${ui.prefix.value}` : ''}, app ${p.appId}.`);
    updateVisibility();
    onChange();
    return true;
  }

  ui.appLink.addEventListener('input', fillFromLink);
  ui.flavor.addEventListener('change', () => {
    updateVisibility();
    onChange();
  });

  /** hidden tells whether a node with data-flavor is off for the chosen product. */
  function hidden(node) {
    return node.hasAttribute('data-flavor') && !node.dataset.flavor.split(' ').includes(flavor());
  }

  /**
   * options is what connectURL() takes, from the form's fields (common:
   * {host, secure, appId, identity, ttl, params, prefix} from console-url.js).
   */
  function options(common) {
    const o = { flavor: flavor(), host: common.host, secure: common.secure, appId: common.appId || '', csrf: ui.fetchCsrf.checked };
    if (o.flavor === CLOUD) o.webIntegrationId = ui.webIntegrationId.value.trim();
    else {
      if (common.prefix) o.prefix = common.prefix;
      if (ui.qlikTicket.value) o.qlikTicket = ui.qlikTicket.value.trim();
    }
    if (common.identity) o.identity = common.identity;
    if (common.ttl !== undefined) o.ttl = common.ttl;
    if (common.params) o.params = common.params;
    return o;
  }

  /**
   * check returns why the options cannot connect yet ('' when they can):
   * API keys, Authorization and bearer tokens are refused with the reason.
   */
  function check(o) {
    try {
      // A pasted link is checked too: a token in it would go nowhere good.
      refuseSecrets({ ...o, appURL: ui.appLink.value.trim() || undefined });
    } catch (err) {
      return err.message;
    }
    if (!o.appId) return 'Type the app id, or paste the app link from the hub (engineData for a session without an app).';
    if (o.flavor === CLOUD && !o.webIntegrationId) {
      return `Qlik Cloud needs a web integration id whose allowed origins list ${location.origin} (management console → Web).`;
    }
    return '';
  }

  /**
   * previewConfig is the buildURL config of the URL connectURL() will make,
   * with a placeholder where the CSRF token goes (same parameter order).
   */
  function previewConfig(o) {
    const c = { secure: o.secure, host: o.host, appId: o.appId };
    if (o.prefix) c.prefix = o.prefix;
    if (o.identity) c.identity = o.identity;
    if (o.ttl !== undefined) c.ttl = o.ttl;
    const params = [];
    if (o.flavor === CLOUD) params.push(['qlik-web-integration-id', o.webIntegrationId]);
    if (o.csrf) params.push(['qlik-csrf-token', CSRF_PLACEHOLDER]);
    if (o.qlikTicket) params.push(['qlikTicket', o.qlikTicket]);
    params.push(...(o.params || []));
    if (params.length) c.params = params;
    return c;
  }

  return { flavor, hidden, options, check, previewConfig, fillFromLink };
}

/**
 * showExplained puts a QixAuthError (or any error) into box: the summary
 * as a heading and the likely causes as a numbered list, all redacted.
 */
export function showExplained(box, err) {
  const msg = redactString(String((err && err.message) || err));
  const causes = (err && Array.isArray(err.causes) ? err.causes : []).map((c) => redactString(String(c)));
  const summary = causes.length ? msg.split(' Likely causes: ')[0] : msg;
  box.hidden = false;
  box.textContent = '';
  const head = document.createElement('p');
  head.className = 'err-head';
  head.textContent = `Could not connect: ${summary}`;
  box.append(head);
  if (!causes.length) return;
  const label = document.createElement('p');
  label.className = 'causes-label';
  label.textContent = 'Likely causes, most likely first:';
  const ol = document.createElement('ol');
  ol.className = 'causes';
  for (const c of causes) {
    const li = document.createElement('li');
    li.textContent = c;
    ol.append(li);
  }
  box.append(label, ol);
}
