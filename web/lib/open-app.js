// open-app: open the app an engine URL names, the way that engine expects.
//
// A /app/SessionApp_<id> URL makes the engine create the session app while
// the socket connects (Qlik Cloud and the emulator; ?from=<template> copies
// a template): the app is already the session's doc, so it is fetched with
// Global.GetActiveDoc. OpenDoc or CreateSessionApp(FromApp) on top of it
// fail with "App already open" (1002). Any other app id is opened with
// OpenDoc.

/** appIdOf returns the app id of an engine URL (/app/<id>), or ''. */
export function appIdOf(url) {
  try {
    const m = /\/app\/([^/?#]+)/.exec(new URL(url).pathname);
    return m ? decodeURIComponent(m[1]) : '';
  } catch {
    return '';
  }
}

/** isSessionApp is true for the ids engines create on connect (SessionApp_…). */
export const isSessionApp = (appId) => /^SessionApp_/i.test(appId || '');

/**
 * appCall names the Global method (and its args) that gives the app appId:
 * GetActiveDoc for a session app, OpenDoc otherwise; null for no app.
 */
export function appCall(appId) {
  if (!appId) return null;
  return isSessionApp(appId) ? { method: 'GetActiveDoc', args: [] } : { method: 'OpenDoc', args: [appId] };
}

/**
 * openApp resolves with the Doc that appId names (see appCall), through
 * qix-wasm's Global.call or, on an enigma.js Global (no call), its
 * camelCase method. The caller names the app in its error message.
 */
export function openApp(global, appId) {
  const c = appCall(appId);
  if (!c) return Promise.reject(new Error('failed to open the app: the engine URL names no app (/app/<id>)'));
  if (typeof global.call === 'function') return global.call(c.method, ...c.args);
  return global[c.method[0].toLowerCase() + c.method.slice(1)](...c.args);
}
