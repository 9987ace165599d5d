// Nothing qix-wasm needs beyond Vite's defaults for `vite build`: the
// package names its worker, wasm and wasm_exec.js in new URL('./…',
// import.meta.url) form, which Vite follows and emits. The dev server
// (`vite`) must not pre-bundle it, or those URLs would point into Vite's
// dependency cache where the files are not.
import { defineConfig } from 'vite';
import { CSP } from './csp.js';

export default defineConfig({
  optimizeDeps: { exclude: ['qix-wasm'] },
  build: { target: 'es2022' },
  preview: { headers: { 'Content-Security-Policy': CSP } },
});
