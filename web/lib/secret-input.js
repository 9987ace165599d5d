// secret-input: a URL field that shows its secrets (tickets, CSRF tokens,
// JWTs, passwords: the rules of redact.js) as [REDACTED] whenever it is not
// being edited, so a pasted URL's ticket is not left on screen, in
// screenshots or screen shares. The real value lives only in this
// module's memory; a form submits it (restored in a capturing submit
// listener, before the browser or the page's own handler reads the field).

import { redactString } from './redact.js';

/**
 * secretInput wraps input and returns {value}: the real value to read and
 * write instead of input.value.
 */
export function secretInput(input) {
  let real = null; // the real value while the field shows the masked one
  const mask = () => {
    const v = input.value;
    const shown = redactString(v);
    if (shown === v) {
      real = null;
      return;
    }
    real = v;
    input.value = shown;
  };
  const unmask = () => {
    if (real === null) return;
    input.value = real;
    real = null;
  };
  input.addEventListener('focus', unmask);
  input.addEventListener('blur', mask);
  input.form?.addEventListener(
    'submit',
    () => {
      unmask();
      // A form the page handles itself stays on the page: mask again.
      setTimeout(() => document.activeElement !== input && mask());
    },
    { capture: true },
  );
  return {
    get value() {
      return real !== null ? real : input.value;
    },
    set value(v) {
      input.value = v;
      real = null;
      if (document.activeElement !== input) mask();
    },
  };
}
