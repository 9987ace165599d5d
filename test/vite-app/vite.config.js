// qix-wasm needs no Vite configuration: the package names its worker, wasm
// and wasm_exec.js as new URL('./…', import.meta.url), which `vite build`
// emits as hashed assets (and `vite` serves from node_modules). The only
// setting here is the test's: `vite preview` sends the Content-Security-
// Policy README.md recommends with every response.
import { defineConfig } from 'vite';
import { CSP } from './csp.js';

export default defineConfig({
  preview: { headers: { 'Content-Security-Policy': CSP } },
});
