// qix-config.js: create()'s config (enigma.js 2.x's, plus qix-wasm's own),
// checked up front, and the mixins it carries, applied as enigma.js applies
// them.

import { clientError, errorCodes } from './qix-errors.js';
import { checkResume } from './qix-resume.js';

const OPTIONS = new Set([
  // enigma.js 2.x
  'url', 'schema', 'protocol', 'suspendOnClose', 'Promise', 'createSocket', 'mixins', 'requestInterceptors', 'responseInterceptors',
  // qix-wasm
  'worker', 'wasmURL', 'timeout', 'freeze', 'progress', 'maxInFlight', 'retryAborted', 'resume',
  // qix-wasm: what to do when another object holds the selection mode (6003)
  'modalRecovery',
]);

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const typeName = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * checkConfig returns the problem with config (a message for open() to
 * reject with), or '' when it is usable. Options it does not know are
 * reported with console.warn, once per create().
 */
export function checkConfig(config) {
  for (const key of Object.keys(config)) {
    if (!OPTIONS.has(key)) console.warn(`qix-wasm: config.${key} is not an option of create() and is ignored`);
  }
  const { url, schema, protocol, mixins } = config;
  if (typeof url !== 'string' || url === '') return `config.url must be a WebSocket URL string, got ${typeName(url)}`;
  if (schema !== undefined) {
    if (!isObject(schema) || !isObject(schema.structs)) return 'config.schema must be an enigma.js schema: an object with a structs object';
    for (const [cls, methods] of Object.entries(schema.structs)) {
      if (!isObject(methods)) return `config.schema.structs.${cls} must be an object of methods`;
    }
  }
  if (protocol !== undefined) {
    if (!isObject(protocol)) return `config.protocol must be an object, got ${typeName(protocol)}`;
    for (const key of Object.keys(protocol)) {
      if (key !== 'delta') console.warn(`qix-wasm: config.protocol.${key} is not supported and is ignored (only delta is)`);
    }
  }
  for (const key of ['Promise', 'createSocket']) {
    if (config[key] !== undefined && typeof config[key] !== 'function') return `config.${key} must be a function, got ${typeName(config[key])}`;
  }
  for (const key of ['worker', 'suspendOnClose', 'freeze']) {
    if (config[key] !== undefined && typeof config[key] !== 'boolean') return `config.${key} must be a boolean, got ${typeName(config[key])}`;
  }
  if (config.wasmURL !== undefined && typeof config.wasmURL !== 'string') return `config.wasmURL must be a string, got ${typeName(config.wasmURL)}`;
  if (config.timeout !== undefined && !(typeof config.timeout === 'number' && config.timeout >= 0)) return 'config.timeout must be a number of milliseconds (0: none)';
  if (config.maxInFlight !== undefined && !(config.maxInFlight === Infinity || (Number.isInteger(config.maxInFlight) && config.maxInFlight >= 1))) {
    return 'config.maxInFlight must be a whole number of calls, at least 1 (or Infinity)';
  }
  if (config.retryAborted !== undefined && typeof config.retryAborted !== 'boolean' && !(Number.isInteger(config.retryAborted) && config.retryAborted >= 0)) {
    return 'config.retryAborted must be a boolean or how many times to retry (0: never)';
  }
  const resumeProblem = checkResume(config.resume);
  if (resumeProblem) return resumeProblem;
  if (config.modalRecovery !== undefined && ![true, false, 'cancel', 'accept'].includes(config.modalRecovery)) {
    return "config.modalRecovery must be 'cancel', 'accept', true ('cancel') or false";
  }
  if (config.progress !== undefined && config.progress !== false && !(typeof config.progress === 'number' && config.progress >= 10)) {
    return 'config.progress must be false or the milliseconds between GetProgress polls (at least 10)';
  }
  if (mixins !== undefined) {
    if (!Array.isArray(mixins)) return `config.mixins must be an array, got ${typeName(mixins)}`;
    for (const [i, m] of mixins.entries()) {
      if (!isObject(m)) return `config.mixins[${i}] must be an object`;
      const types = [].concat(m.types === undefined ? [] : m.types, m.type === undefined ? [] : [m.type]);
      if (types.length === 0 || types.some((t) => typeof t !== 'string')) return `config.mixins[${i}] needs types: a type name or an array of them`;
      if (m.init !== undefined && typeof m.init !== 'function') return `config.mixins[${i}].init must be a function`;
      for (const part of ['extend', 'override']) {
        if (m[part] !== undefined && !isObject(m[part])) return `config.mixins[${i}].${part} must be an object`;
      }
      for (const [k, f] of Object.entries(m.override || {})) {
        if (typeof f !== 'function') return `config.mixins[${i}].override.${k} must be a function`;
      }
    }
  }
  for (const key of ['requestInterceptors', 'responseInterceptors']) {
    const list = config[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return `config.${key} must be an array, got ${typeName(list)}`;
    for (const [i, ic] of list.entries()) {
      if (!isObject(ic)) return `config.${key}[${i}] must be an object with onFulfilled and/or onRejected`;
      for (const h of ['onFulfilled', 'onRejected']) {
        if (ic[h] !== undefined && typeof ic[h] !== 'function') return `config.${key}[${i}].${h} must be a function`;
      }
    }
  }
  return '';
}

/** Mixins holds the mixins of a config by type name, in config order. */
export class Mixins {
  constructor(list = []) {
    this.byType = new Map();
    for (const m of list) {
      const types = [].concat(m.types === undefined ? [] : m.types, m.type === undefined ? [] : [m.type]);
      const entry = { extend: m.extend, override: m.override, init: m.init };
      for (const t of types) {
        if (!this.byType.has(t)) this.byType.set(t, []);
        this.byType.get(t).push(entry);
      }
    }
  }

  get(type) {
    return this.byType.get(type) || [];
  }

  /**
   * apply weaves the mixins of type into target (a class prototype for
   * qTypes, the object itself for genericTypes): override wraps the method
   * there (it gets the base function bound to the object, then the call's
   * arguments); extend adds methods that do not exist yet.
   */
  apply(type, target) {
    for (const { extend = {}, override = {} } of this.get(type)) {
      for (const key of Object.keys(override)) {
        const base = target[key];
        if (typeof base !== 'function' || typeof override[key] !== 'function') {
          throw clientError(errorCodes.SCHEMA_MIXIN_CANT_OVERRIDE_FUNCTION, `No function to override. Type: ${type} function: ${key}`);
        }
        const fn = override[key];
        target[key] = function overridden(...args) {
          return fn.call(this, base.bind(this), ...args);
        };
      }
      for (const key of Object.keys(extend)) {
        if (typeof target[key] === 'function' && typeof extend[key] === 'function') {
          throw clientError(errorCodes.SCHEMA_MIXIN_EXTEND_NOT_ALLOWED, `Extend is not allowed for this mixin. Type: ${type} function: ${key}`);
        }
        target[key] = extend[key];
      }
    }
  }

  /** init runs the init of every mixin of type and genericType on a new object. */
  init(config, api, type, genericType) {
    const list = genericType !== type ? this.get(type).concat(this.get(genericType)) : this.get(type);
    for (const m of list) if (typeof m.init === 'function') m.init({ config, api });
  }
}
